package com.flashline.usb.emulation;

import com.flashline.dfu.ControlSetup;
import com.flashline.dfu.DfuAltSetting;
import com.flashline.dfu.DfuFunctionalDescriptor;
import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.DfuState;
import com.flashline.dfu.DfuStatus;
import com.flashline.dfu.DfuStatusCode;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.StallException;
import com.flashline.dfu.TransferTimeoutException;
import com.flashline.dfu.UsbDeviceInfo;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A small in-memory DFU device for bridge tests, standing in for the STM32 simulator: a 64 KiB
 * memory that DNLOAD blocks 2.. write and UPLOAD blocks 2.. read (block n at (n-2) * wLength),
 * a state machine just rich enough for GETSTATUS/GETSTATE to look plausible, and hooks to stall,
 * swallow or hold a request.
 */
public final class FakeDfuDevice implements DfuTransport {

    public static final List<String> STM32F4_ALT_NAMES = List.of(
            "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
            "@Option Bytes  /0x1FFFC000/01*016 e");

    /** One DFU request the device received, for assertions. */
    public record Received(DfuRequest request, int wValue, byte[] data) {
    }

    private enum Behaviour { STALL, NO_ANSWER }

    private final UsbDeviceInfo info;
    private final byte[] memory = new byte[64 * 1024];
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<DfuRequest, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final Map<DfuRequest, CountDownLatch[]> holds = new ConcurrentHashMap<>();
    private volatile DfuState state = DfuState.DFU_IDLE;
    private volatile int altSetting;

    public FakeDfuDevice(String serial) {
        this.info = new UsbDeviceInfo(UsbDeviceInfo.ST_VENDOR_ID, UsbDeviceInfo.ST_DFU_PRODUCT_ID, 0x2200,
                "STMicroelectronics", "STM32  BOOTLOADER", serial, "");
        for (int i = 0; i < memory.length; i++) {
            memory[i] = (byte) (i * 7 + 3);
        }
    }

    /** The device answers every {@code request} with a STALL handshake. */
    public FakeDfuDevice stallOn(DfuRequest request) {
        behaviours.put(request, Behaviour.STALL);
        return this;
    }

    /** The device never answers {@code request} (the host times out). */
    public FakeDfuDevice ignore(DfuRequest request) {
        behaviours.put(request, Behaviour.NO_ANSWER);
        return this;
    }

    /** On {@code request} the device counts down {@code entered}, then holds until {@code release} opens. */
    public FakeDfuDevice holdOn(DfuRequest request, CountDownLatch entered, CountDownLatch release) {
        holds.put(request, new CountDownLatch[] {entered, release});
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public byte[] memory(int offset, int length) {
        return Arrays.copyOfRange(memory, offset, offset + length);
    }

    public int altSetting() {
        return altSetting;
    }

    @Override
    public UsbDeviceInfo deviceInfo() {
        return info;
    }

    @Override
    public List<DfuAltSetting> altSettings() {
        return List.of(new DfuAltSetting(0, 0, STM32F4_ALT_NAMES.get(0)), new DfuAltSetting(0, 1, STM32F4_ALT_NAMES.get(1)));
    }

    @Override
    public DfuFunctionalDescriptor functionalDescriptor() {
        return new DfuFunctionalDescriptor(0x0B, 255, 2048, 0x011A);
    }

    @Override
    public void selectAltSetting(int alternateSetting) {
        altSetting = alternateSetting;
    }

    @Override
    public void controlOut(ControlSetup setup, byte[] data, Duration timeout) {
        DfuRequest request = enter(setup, data);
        switch (request) {
            case DNLOAD -> {
                if (setup.wValue() >= 2 && data.length > 0) {
                    System.arraycopy(data, 0, memory, (setup.wValue() - 2) * data.length, data.length);
                }
                state = data.length == 0 ? DfuState.DFU_MANIFEST_SYNC : DfuState.DFU_DNLOAD_SYNC;
            }
            case CLRSTATUS, ABORT -> state = DfuState.DFU_IDLE;
            default -> throw new StallException("unexpected OUT request", setup);
        }
    }

    @Override
    public byte[] controlIn(ControlSetup setup, Duration timeout) {
        DfuRequest request = enter(setup, new byte[0]);
        switch (request) {
            case GETSTATUS -> {
                if (state == DfuState.DFU_DNLOAD_SYNC) {
                    state = DfuState.DFU_DNLOAD_IDLE;
                } else if (state == DfuState.DFU_MANIFEST_SYNC) {
                    state = DfuState.DFU_MANIFEST;
                }
                return new DfuStatus(DfuStatusCode.OK, 0, state, 0).encode();
            }
            case GETSTATE -> {
                return new byte[] {(byte) state.code()};
            }
            case UPLOAD -> {
                state = DfuState.DFU_UPLOAD_IDLE;
                int offset = Math.max(0, setup.wValue() - 2) * setup.wLength();
                return Arrays.copyOfRange(memory, offset, Math.min(memory.length, offset + setup.wLength()));
            }
            default -> throw new StallException("unexpected IN request", setup);
        }
    }

    @Override
    public void close() {
    }

    private DfuRequest enter(ControlSetup setup, byte[] data) {
        DfuRequest request = DfuRequest.fromCode(setup.bRequest());
        if (request == null) {
            throw new StallException("not a DFU request", setup);
        }
        received.add(new Received(request, setup.wValue(), data.clone()));
        CountDownLatch[] hold = holds.get(request);
        if (hold != null) {
            hold[0].countDown();
            try {
                hold[1].await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransferTimeoutException("held request interrupted", setup);
            }
        }
        Behaviour behaviour = behaviours.get(request);
        if (behaviour == Behaviour.STALL) {
            throw new StallException("configured to stall", setup);
        }
        if (behaviour == Behaviour.NO_ANSWER) {
            throw new TransferTimeoutException("configured not to answer", setup);
        }
        return request;
    }
}
