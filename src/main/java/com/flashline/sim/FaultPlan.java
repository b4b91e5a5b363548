package com.flashline.sim;

import com.flashline.dfu.DfuStatusCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The faults a board will inject. Thread-safe: a test may add faults while a host thread drives the
 * board. One-shot faults are consumed when they fire; {@link Fault.CorruptReadback} and
 * {@link Fault.SkipFlashWrites} stay.
 */
public final class FaultPlan {

    private final List<Fault> pending = new ArrayList<>();
    private final List<Fault> fired = new ArrayList<>();

    public static FaultPlan none() {
        return new FaultPlan();
    }

    public synchronized FaultPlan add(Fault fault) {
        pending.add(java.util.Objects.requireNonNull(fault, "fault"));
        return this;
    }

    public FaultPlan stallRequest(long requestNumber) {
        return add(new Fault.StallRequest(requestNumber));
    }

    public FaultPlan errorStatusOnRequest(long requestNumber, DfuStatusCode status) {
        return add(new Fault.ErrorStatusOnRequest(requestNumber, status));
    }

    public FaultPlan errorStatusOnNextWriteOrErase(DfuStatusCode status) {
        return add(new Fault.ErrorStatusOnNextWriteOrErase(status));
    }

    public FaultPlan disconnectAtRequest(long requestNumber) {
        return add(new Fault.DisconnectAtRequest(requestNumber, false));
    }

    public FaultPlan disconnectOnWrite(long address) {
        return add(new Fault.DisconnectOnWrite(address, false));
    }

    public FaultPlan corruptReadback(long start, long end, int xorMask) {
        return add(new Fault.CorruptReadback(start, end, xorMask));
    }

    public FaultPlan corruptWrite(long address, int xorMask) {
        return add(new Fault.CorruptWrite(address, xorMask));
    }

    public FaultPlan skipFlashWrites(long start, long end) {
        return add(new Fault.SkipFlashWrites(start, end));
    }

    /** Faults not yet fired (and the persistent ones). */
    public synchronized List<Fault> pending() {
        return List.copyOf(pending);
    }

    /** One-shot faults that fired, in order. */
    public synchronized List<Fault> fired() {
        return List.copyOf(fired);
    }

    synchronized <F extends Fault> Optional<F> take(Class<F> type, Predicate<F> matches) {
        for (int i = 0; i < pending.size(); i++) {
            Fault f = pending.get(i);
            if (type.isInstance(f) && matches.test(type.cast(f))) {
                pending.remove(i);
                fired.add(f);
                return Optional.of(type.cast(f));
            }
        }
        return Optional.empty();
    }

    synchronized boolean skipsFlashWriteAt(long address) {
        return pending.stream().anyMatch(f -> f instanceof Fault.SkipFlashWrites s
                && address >= s.start() && address < s.end());
    }

    synchronized List<Fault.CorruptReadback> corruptions() {
        return pending.stream().filter(Fault.CorruptReadback.class::isInstance)
                .map(Fault.CorruptReadback.class::cast).toList();
    }
}
