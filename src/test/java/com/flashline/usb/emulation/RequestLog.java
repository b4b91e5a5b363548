package com.flashline.usb.emulation;

import com.flashline.dfu.ControlSetup;
import com.flashline.dfu.DfuAltSetting;
import com.flashline.dfu.DfuFunctionalDescriptor;
import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.UsbDeviceInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Records every DFU class request and SET_INTERFACE a host sends to a backend, so tests can state
 * exactly what a client (FlashLine, dfu-util) asked for. Wraps each transport of a board through
 * {@link UmockdevBridge#plugBoard(String, com.flashline.sim.SimulatedStm32, UnaryOperator)}; one
 * log survives the board's re-enumerations.
 */
public final class RequestLog implements UnaryOperator<DfuTransport> {

    private static final HexFormat HEX = HexFormat.of();

    /**
     * One request as the device saw it.
     *
     * @param request  the DFU request, or {@code null} for SET_INTERFACE
     * @param data     the OUT data stage (DNLOAD), or empty
     * @param answered bytes of the IN data stage the device sent, or -1 when it threw
     */
    public record Entry(DfuRequest request, ControlSetup setup, byte[] data, int answered, int alt) {

        public boolean isUpload() {
            return request == DfuRequest.UPLOAD;
        }

        /** A DfuSe command (DNLOAD block 0): its first byte, or -1. */
        public int command() {
            return request == DfuRequest.DNLOAD && setup.wValue() == 0 && data.length > 0 ? data[0] & 0xFF : -1;
        }

        @Override
        public String toString() {
            if (request == null) {
                return "SET_INTERFACE alt=" + alt;
            }
            String head = request + " wValue=" + setup.wValue() + " wLength=" + setup.wLength();
            if (command() >= 0) {
                return head + " cmd=" + HEX.formatHex(data);
            }
            return answered < 0 ? head + " (failed)" : head;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Entries from {@code from} on, for the part of a session one client produced. */
    public synchronized List<Entry> since(int from) {
        return List.copyOf(entries.subList(from, entries.size()));
    }

    public synchronized int size() {
        return entries.size();
    }

    private synchronized void add(Entry entry) {
        entries.add(entry);
    }

    @Override
    public DfuTransport apply(DfuTransport backend) {
        return new DfuTransport() {
            @Override
            public UsbDeviceInfo deviceInfo() {
                return backend.deviceInfo();
            }

            @Override
            public List<DfuAltSetting> altSettings() {
                return backend.altSettings();
            }

            @Override
            public DfuFunctionalDescriptor functionalDescriptor() {
                return backend.functionalDescriptor();
            }

            @Override
            public void selectAltSetting(int alternateSetting) {
                add(new Entry(null, null, new byte[0], 0, alternateSetting));
                backend.selectAltSetting(alternateSetting);
            }

            @Override
            public void controlOut(ControlSetup setup, byte[] data, Duration timeout) {
                int answered = -1;
                try {
                    backend.controlOut(setup, data, timeout);
                    answered = 0;
                } finally {
                    add(new Entry(DfuRequest.fromCode(setup.bRequest()), setup, data.clone(), answered, -1));
                }
            }

            @Override
            public byte[] controlIn(ControlSetup setup, Duration timeout) {
                byte[] answer = null;
                try {
                    answer = backend.controlIn(setup, timeout);
                    return answer;
                } finally {
                    add(new Entry(DfuRequest.fromCode(setup.bRequest()), setup, new byte[0],
                            answer == null ? -1 : answer.length, -1));
                }
            }

            @Override
            public void close() {
                backend.close();
            }
        };
    }

    /** Uploads and DfuSe commands only, one per line: the part of a session that addresses memory. */
    public static List<String> memoryRequests(List<Entry> entries) {
        List<String> lines = new ArrayList<>();
        for (Entry e : entries) {
            if (e.request() == DfuRequest.UPLOAD || e.request() == DfuRequest.DNLOAD) {
                lines.add(e.toString());
            }
        }
        return lines;
    }
}
