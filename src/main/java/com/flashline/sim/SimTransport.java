package com.flashline.sim;

import com.flashline.dfu.ControlSetup;
import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.DfuAltSetting;
import com.flashline.dfu.DfuFunctionalDescriptor;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.TransferTimeoutException;
import com.flashline.dfu.TransportIoException;
import com.flashline.dfu.UsbDeviceInfo;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The wire to one enumeration of a {@link SimulatedStm32}: each control transfer takes its USB time
 * on the board's clock, then is answered under the board's lock by its
 * {@link DfuRequestDispatcher}. Once the board leaves the bus (or enumerates again) every transfer
 * fails with {@link DeviceGoneException}, as libusb reports a vanished device.
 */
final class SimTransport implements DfuTransport {

    private final SimulatedStm32 board;
    private final int generation;
    private final UsbDeviceInfo info;
    private volatile boolean closed;

    SimTransport(SimulatedStm32 board, int generation) {
        this.board = board;
        this.generation = generation;
        ChipProfile profile = board.profile();
        this.info = new UsbDeviceInfo(profile.vendorId(), profile.productId(), profile.bcdDevice(),
                profile.manufacturer(), profile.product(), board.serialNumber(), board.portPath());
    }

    @Override
    public UsbDeviceInfo deviceInfo() {
        return info;
    }

    @Override
    public List<DfuAltSetting> altSettings() {
        List<String> names = board.profile().altSettingNames();
        return IntStream.range(0, names.size()).mapToObj(i -> new DfuAltSetting(0, i, names.get(i))).toList();
    }

    @Override
    public DfuFunctionalDescriptor functionalDescriptor() {
        return board.profile().functionalDescriptor();
    }

    @Override
    public void selectAltSetting(int alternateSetting) {
        ControlSetup setup = new ControlSetup(0x01, 0x0B, Math.max(0, Math.min(alternateSetting, 0xFFFF)), 0, 0);
        synchronized (board) {
            checkAlive(setup);
            board.requests().selectAltSetting(alternateSetting, setup);
        }
    }

    @Override
    public void controlOut(ControlSetup setup, byte[] data, Duration timeout) {
        Objects.requireNonNull(setup, "setup");
        Objects.requireNonNull(data, "data (use an empty array for no data stage)");
        if (data.length != setup.wLength()) {
            throw new IllegalArgumentException("data length " + data.length + " != wLength " + setup.wLength());
        }
        transfer(setup, data, timeout);
    }

    @Override
    public byte[] controlIn(ControlSetup setup, Duration timeout) {
        Objects.requireNonNull(setup, "setup");
        return transfer(setup, null, timeout);
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "SimTransport[" + board + " #" + generation + "]";
    }

    private byte[] transfer(ControlSetup setup, byte[] data, Duration timeout) {
        board.sleep(board.timing().transferTime(data == null ? setup.wLength() : data.length).toNanos());
        long holdUntil;
        try {
            synchronized (board) {
                checkAlive(setup);
                try {
                    return board.requests().handle(setup, data);
                } catch (DfuRequestDispatcher.Hold h) {
                    holdUntil = h.until;
                }
            }
            return holdThenAnswer(setup, holdUntil, timeout);
        } finally {
            board.deliverNotices();
        }
    }

    /**
     * A held GETSTATUS: the ROM answers it only when the operation is done, and the answer then takes
     * its transfer time (the device NAKs the request until then). The wait runs without the board's
     * lock so that the board can be unplugged meanwhile; a wait longer than the host's transfer
     * timeout ends in a timeout, as libusb would report it (the device stays busy).
     */
    private byte[] holdThenAnswer(ControlSetup setup, long until, Duration timeout) {
        long wait = until - board.clock().nanoTime() + board.timing().transferTime(setup.wLength()).toNanos();
        long limit = timeout == null || timeout.isZero() || timeout.isNegative() ? Long.MAX_VALUE : timeout.toNanos();
        boolean timesOut = wait > limit;
        board.sleep(timesOut ? limit : wait);
        synchronized (board) {
            checkAlive(setup);
            if (timesOut) {
                throw new TransferTimeoutException("GETSTATUS held by the device longer than the transfer timeout",
                        setup);
            }
            return board.requests().answerHeldStatus(setup);
        }
    }

    private void checkAlive(ControlSetup setup) {
        if (closed) {
            throw new TransportIoException("transport was closed", setup);
        }
        if (!board.onBusAs(generation)) {
            throw new DeviceGoneException("device is gone from port " + board.portPath(), setup);
        }
    }
}
