package com.flashline.dfu;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small scripted STM32 DfuSe bootloader for engine tests: a state machine that follows AN3156
 * closely enough to catch protocol mistakes, records every SETUP with the virtual time it arrived,
 * and has knobs for the ROM behaviours the engine must survive.
 */
final class FakeDfuDevice implements DfuTransport {

    /** How a ROM reads "wTransferSize" in AN3156's address formula. */
    enum AddressFormula { REQUEST_LENGTH, DESCRIPTOR_TRANSFER_SIZE }

    record Transfer(ControlSetup setup, byte[] data, long atNanos) {
        DfuRequest request() {
            return DfuRequest.fromCode(setup.bRequest());
        }
    }

    record Write(long address, int length) {
    }

    static final String FLASH_LAYOUT = "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg";
    static final String OPTION_LAYOUT = "@Option Bytes  /0x1FFFC000/01*016 e";
    static final long OPTION_BASE = 0x1FFFC000L;

    final VirtualClock clock;
    final int transferSize;
    final List<DfuAltSetting> alts;

    // knobs
    AddressFormula formula = AddressFormula.REQUEST_LENGTH;
    /** DNBUSY answers before a command completes (an ST ROM answers one). */
    int busyPolls = 1;
    int pollTimeoutMillis = 10;
    /** Busy answers announce this instead of pollTimeoutMillis when set (a ROM that under-reports). */
    Integer reportedPollMillis;
    /** How long the completing GETSTATUS of an erase is held (an F4 holds it through a mass erase). */
    Duration eraseHold = Duration.ZERO;
    /** GETSTATUS requests stalled while busy (an L4 during erase). */
    int stallsWhileBusy;
    /** The next command/data completes with this error status. */
    DfuStatusCode failNext;
    /** CLRSTATUS and ABORT have no effect (a wedged device). */
    boolean ignoresRecovery;
    /** After the zero-length DNLOAD the device vanishes instead of answering GETSTATUS. */
    boolean leaveDisconnectsBeforeStatus;
    /** A reset (unprotect, option bytes) happens only after answering the completing GETSTATUS. */
    boolean resetAfterCompletingStatus;
    /** How long every GETSTATUS takes to be answered (the answer arrives after this). */
    Duration statusLatency = Duration.ZERO;
    /**
     * How long an operation runs on the chip, from the GETSTATUS that started it. With
     * {@link #holdsEarlyStatus} the completing GETSTATUS is held until then.
     */
    Duration operationTime = Duration.ZERO;
    /** The ROM answers a GETSTATUS that arrives while the operation runs only when it is done (ST's F4/F7). */
    boolean holdsEarlyStatus;
    /** After an erase the ROM stays in dfuDNBUSY, reporting pollTimeoutMillis (an H7 rev V second-bank erase). */
    boolean wedgesOnErase;
    /** CLRSTATUS outside dfuERROR enters dfuERROR with errUNKNOWN (ST's device code) instead of being stalled. */
    boolean clearStatusOutsideErrorEntersError;
    /** A wedging erase leaves the sector as it was (the erase did not happen). */
    boolean wedgeSkipsErase;

    // observable device state
    DfuState state = DfuState.DFU_IDLE;
    DfuStatusCode status = DfuStatusCode.OK;
    long pointer = 0x0800_0000L;
    int alt;
    boolean gone;
    /** Stuck in dfuDNBUSY after a wedging erase, until CLRSTATUS. */
    boolean wedged;
    final List<Transfer> transfers = new ArrayList<>();
    /** The transfer timeout the host gave each GETSTATUS, in order. */
    final List<Duration> statusTimeouts = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    final Map<Long, Byte> memory = new HashMap<>();
    final List<Write> writes = new ArrayList<>();
    final List<Long> erasedSectors = new ArrayList<>();
    int massErases;
    int readUnprotects;
    final List<Long> leftTo = new ArrayList<>();
    final List<Long> optionWrites = new ArrayList<>();

    private byte[] pendingData;
    private int pendingBlock;
    private int pollsLeft;
    private int stallsLeft;
    private long earliestNextStatusNanos;
    private long operationEndsNanos;

    FakeDfuDevice(VirtualClock clock, int transferSize, String... layouts) {
        this.clock = clock;
        this.transferSize = transferSize;
        List<DfuAltSetting> list = new ArrayList<>();
        String[] names = layouts.length == 0 ? new String[] {FLASH_LAYOUT, OPTION_LAYOUT} : layouts;
        for (int i = 0; i < names.length; i++) {
            list.add(new DfuAltSetting(0, i, names[i]));
        }
        this.alts = List.copyOf(list);
    }

    static byte pattern(long address) {
        return (byte) (address * 31 + (address >>> 8) + 7);
    }

    byte memoryAt(long address) {
        return memory.getOrDefault(address, pattern(address));
    }

    List<Transfer> transfers(DfuRequest request) {
        return transfers.stream().filter(t -> t.request() == request).toList();
    }

    long count(DfuRequest request) {
        return transfers(request).size();
    }

    @Override
    public UsbDeviceInfo deviceInfo() {
        return new UsbDeviceInfo(0x0483, 0xDF11, 0x2200, "STMicroelectronics", "STM32  BOOTLOADER", "FAKE",
                "1-1");
    }

    @Override
    public List<DfuAltSetting> altSettings() {
        return alts;
    }

    @Override
    public DfuFunctionalDescriptor functionalDescriptor() {
        return new DfuFunctionalDescriptor(0x0B, 255, transferSize, 0x011A);
    }

    @Override
    public void selectAltSetting(int alternateSetting) {
        checkPresent(null);
        if (state != DfuState.DFU_IDLE) {
            violations.add("SET_INTERFACE in " + state);
        }
        alt = alternateSetting;
    }

    @Override
    public void controlOut(ControlSetup setup, byte[] data, Duration timeout) {
        checkPresent(setup);
        transfers.add(new Transfer(setup, data.clone(), clock.nanoTime()));
        checkSetup(setup, data.length);
        DfuRequest request = DfuRequest.fromCode(setup.bRequest());
        switch (request) {
            case DNLOAD -> {
                if (state != DfuState.DFU_IDLE && state != DfuState.DFU_DNLOAD_IDLE) {
                    stall(setup, "DNLOAD in " + state);
                }
                if (data.length == 0) {
                    state = DfuState.DFU_MANIFEST_SYNC;
                } else {
                    state = DfuState.DFU_DNLOAD_SYNC;
                }
                pendingData = data.clone();
                pendingBlock = setup.wValue();
                pollsLeft = busyPolls;
                stallsLeft = stallsWhileBusy;
                earliestNextStatusNanos = 0;
            }
            case CLRSTATUS -> {
                if (state != DfuState.DFU_ERROR) {
                    clearStatusOutsideError(setup);
                    return;
                }
                if (!ignoresRecovery) {
                    state = DfuState.DFU_IDLE;
                    status = DfuStatusCode.OK;
                }
            }
            case ABORT -> {
                if (state != DfuState.DFU_IDLE && state != DfuState.DFU_DNLOAD_IDLE
                        && state != DfuState.DFU_UPLOAD_IDLE) {
                    stall(setup, "ABORT in " + state);
                }
                if (!ignoresRecovery) {
                    state = DfuState.DFU_IDLE;
                }
            }
            default -> stall(setup, "unexpected OUT request " + request);
        }
    }

    /** Outside dfuERROR DFU 1.1 forbids CLRSTATUS; on a wedged ROM it is the way out, so no violation then. */
    private void clearStatusOutsideError(ControlSetup setup) {
        boolean wasWedged = wedged;
        wedged = false;
        if (!wasWedged) {
            violations.add("CLRSTATUS in " + state);
        }
        state = DfuState.DFU_ERROR;
        if (clearStatusOutsideErrorEntersError) {
            status = DfuStatusCode.ERR_UNKNOWN;
            return;
        }
        status = DfuStatusCode.ERR_STALLEDPKT;
        throw new StallException("CLRSTATUS in a state other than dfuERROR", setup);
    }

    @Override
    public byte[] controlIn(ControlSetup setup, Duration timeout) {
        checkPresent(setup);
        long now = clock.nanoTime();
        transfers.add(new Transfer(setup, null, now));
        DfuRequest request = DfuRequest.fromCode(setup.bRequest());
        checkSetup(setup, setup.wLength());
        return switch (request) {
            case GETSTATUS -> {
                statusTimeouts.add(timeout);
                yield statusAnswer(setup, timeout, now);
            }
            case GETSTATE -> new byte[] {(byte) state.code()};
            case UPLOAD -> upload(setup);
            default -> throw stall(setup, "unexpected IN request " + request);
        };
    }

    private byte[] statusAnswer(ControlSetup setup, Duration timeout, long now) {
        if (now < earliestNextStatusNanos && !holdsEarlyStatus) {
            violations.add("GETSTATUS " + (earliestNextStatusNanos - now) + " ns before bwPollTimeout was over");
        }
        clock.advance(statusLatency);
        if (wedged) {
            return busyAnswer();
        }
        boolean busy = state == DfuState.DFU_DNLOAD_SYNC || state == DfuState.DFU_DNBUSY
                || state == DfuState.DFU_MANIFEST_SYNC;
        if (busy && state != DfuState.DFU_MANIFEST_SYNC && pollsLeft == 0 && stallsLeft > 0) {
            stallsLeft--;
            throw new StallException("busy", setup);
        }
        int announced = 0;
        if (state == DfuState.DFU_MANIFEST_SYNC) {
            if (leaveDisconnectsBeforeStatus) {
                gone = true;
                throw new DeviceGoneException("device left DFU mode", setup);
            }
            if (failNext != null) {
                status = failNext;
                state = DfuState.DFU_ERROR;
                failNext = null;
                return new DfuStatus(status, 0, state, 0).encode();
            }
            leftTo.add(pointer);
            state = DfuState.DFU_MANIFEST;
            gone = true; // after this answer: the ROM disconnects and jumps
        } else if (busy && pollsLeft > 0) {
            if (state != DfuState.DFU_DNBUSY) {
                operationEndsNanos = clock.nanoTime() + operationTime.toNanos();
            }
            pollsLeft--;
            state = DfuState.DFU_DNBUSY;
            return busyAnswer();
        } else if (busy) {
            Duration hold = isErase(pendingData) ? eraseHold : Duration.ZERO;
            if (holdsEarlyStatus && clock.nanoTime() < operationEndsNanos) {
                hold = hold.plusNanos(operationEndsNanos - clock.nanoTime());
            }
            if (hold.compareTo(timeout) > 0) {
                clock.advance(timeout);
                throw new TransferTimeoutException("GETSTATUS held " + hold + " > timeout " + timeout, setup);
            }
            clock.advance(hold);
            execute();
            if (wedged) {
                return busyAnswer();
            }
        }
        byte[] answer = new DfuStatus(status, announced, state, 0).encode();
        earliestNextStatusNanos = clock.nanoTime();
        return answer;
    }

    private byte[] busyAnswer() {
        state = DfuState.DFU_DNBUSY;
        int announced = reportedPollMillis != null ? reportedPollMillis : pollTimeoutMillis;
        byte[] answer = new DfuStatus(status, announced, state, 0).encode();
        earliestNextStatusNanos = clock.nanoTime() + Duration.ofMillis(announced).toNanos();
        return answer;
    }

    private static boolean isErase(byte[] data) {
        return data != null && data.length > 0 && (data[0] & 0xFF) == DfuSeCommand.ERASE.code();
    }

    /** Puts the device in dfuDNBUSY as if a command from an earlier session were still running. */
    void busyWithEarlierCommand(int polls) {
        state = DfuState.DFU_DNBUSY;
        pendingData = null;
        pollsLeft = polls;
    }

    private void execute() {
        byte[] data = pendingData;
        pendingData = null;
        if (data == null) {
            state = DfuState.DFU_DNLOAD_IDLE;
            return;
        }
        if (failNext != null) {
            status = failNext;
            state = DfuState.DFU_ERROR;
            failNext = null;
            return;
        }
        state = DfuState.DFU_DNLOAD_IDLE;
        if (pendingBlock == 0) {
            long address = data.length == DfuSeCommand.LENGTH_WITH_ADDRESS ? DfuSeCommand.address(data) : -1;
            // Get is never downloaded: refused like a code AN3156 does not define.
            switch (DfuSeCommand.fromCode(data[0] & 0xFF).orElse(DfuSeCommand.GET_COMMANDS)) {
                case SET_ADDRESS_POINTER -> pointer = address;
                case ERASE -> {
                    if (data.length == 1) {
                        massErases++;
                    } else {
                        erasedSectors.add(address);
                        MemoryLayout.parse(FLASH_LAYOUT).sectorAt(address).filter(x -> !(wedgesOnErase && wedgeSkipsErase))
                                .ifPresent(sector -> {
                            for (long a = sector.start(); a < sector.end(); a++) {
                                memory.put(a, (byte) 0xFF);
                            }
                        });
                    }
                    wedged = wedgesOnErase;
                }
                case READ_UNPROTECT -> {
                    readUnprotects++;
                    resetSoon();
                }
                default -> {
                    status = DfuStatusCode.ERR_STALLEDPKT;
                    state = DfuState.DFU_ERROR;
                }
            }
            return;
        }
        if (pendingBlock == 1) {
            violations.add("DNLOAD with wBlockNum 1");
            return;
        }
        int unit = formula == AddressFormula.REQUEST_LENGTH ? data.length : transferSize;
        long address = (long) (pendingBlock - 2) * unit + pointer;
        writes.add(new Write(address, data.length));
        for (int i = 0; i < data.length; i++) {
            memory.put(address + i, data[i]);
        }
        if (address == OPTION_BASE) {
            optionWrites.add(address);
            resetSoon();
        }
    }

    private void resetSoon() {
        gone = true;
        if (!resetAfterCompletingStatus) {
            // The ROM resets while the host waits for the completing GETSTATUS.
            state = DfuState.DFU_DNBUSY;
            throw new DeviceGoneException("device reset", null);
        }
    }

    private byte[] upload(ControlSetup setup) {
        if (state != DfuState.DFU_IDLE && state != DfuState.DFU_UPLOAD_IDLE) {
            throw stall(setup, "UPLOAD in " + state);
        }
        state = DfuState.DFU_UPLOAD_IDLE;
        if (setup.wValue() == 0) {
            return new byte[] {0x00, 0x21, 0x41, (byte) 0x92};
        }
        if (setup.wValue() == 1) {
            throw stall(setup, "UPLOAD with wBlockNum 1");
        }
        int unit = formula == AddressFormula.REQUEST_LENGTH ? setup.wLength() : transferSize;
        long address = (long) (setup.wValue() - 2) * unit + pointer;
        byte[] out = new byte[setup.wLength()];
        for (int i = 0; i < out.length; i++) {
            out[i] = memoryAt(address + i);
        }
        return out;
    }

    private void checkSetup(ControlSetup setup, int dataLength) {
        DfuRequest request = DfuRequest.fromCode(setup.bRequest());
        if (request == null) {
            violations.add("not a DFU request: " + setup);
            return;
        }
        if (setup.bmRequestType() != (request.isDeviceToHost() ? 0xA1 : 0x21)) {
            violations.add("bad bmRequestType: " + setup);
        }
        if (setup.wIndex() != 0) {
            violations.add("wIndex is not the DFU interface: " + setup);
        }
        boolean payload = request == DfuRequest.DNLOAD || request == DfuRequest.UPLOAD;
        if (setup.wLength() != dataLength || payload && setup.wLength() > transferSize) {
            violations.add("bad wLength: " + setup);
        }
        int expectedLength = switch (request) {
            case GETSTATUS -> 6;
            case GETSTATE -> 1;
            case CLRSTATUS, ABORT -> 0;
            default -> -1;
        };
        if (expectedLength >= 0 && (setup.wLength() != expectedLength || setup.wValue() != 0)) {
            violations.add("bad wValue/wLength for " + request + ": " + setup);
        }
    }

    private StallException stall(ControlSetup setup, String why) {
        violations.add("stalled: " + why);
        state = DfuState.DFU_ERROR;
        status = DfuStatusCode.ERR_STALLEDPKT;
        throw new StallException(why, setup);
    }

    private void checkPresent(ControlSetup setup) {
        if (gone) {
            throw new DeviceGoneException("no such device", setup);
        }
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "FakeDfuDevice" + Arrays.toString(alts.toArray());
    }
}
