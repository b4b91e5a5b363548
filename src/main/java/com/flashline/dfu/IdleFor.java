package com.flashline.dfu;

import java.util.EnumSet;
import java.util.Set;

/** What the host is about to issue, which decides the states AN3156 accepts before it. */
public enum IdleFor {
    /** Only dfuIDLE will do (e.g. before leaving the interface or switching alt settings). */
    IDLE(EnumSet.of(DfuState.DFU_IDLE)),
    /** A DNLOAD (command or data): dfuIDLE or dfuDNLOAD-IDLE (AN3156 section 5). */
    DOWNLOAD(EnumSet.of(DfuState.DFU_IDLE, DfuState.DFU_DNLOAD_IDLE)),
    /** An UPLOAD (read or Get command): dfuIDLE or dfuUPLOAD-IDLE (AN3156 section 4.2). */
    UPLOAD(EnumSet.of(DfuState.DFU_IDLE, DfuState.DFU_UPLOAD_IDLE));

    private final Set<DfuState> accepted;

    IdleFor(Set<DfuState> accepted) {
        this.accepted = accepted;
    }

    public boolean accepts(DfuState state) {
        return accepted.contains(state);
    }

    public Set<DfuState> acceptedStates() {
        return Set.copyOf(accepted);
    }
}
