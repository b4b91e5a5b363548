package com.flashline.job;

import com.flashline.station.Departure;
import com.flashline.station.DeviceRemovedEvent;
import com.flashline.station.DeviceSnapshot;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * "Not twice": a board that passed is not flashed again by auto-start until it has been removed
 * from its port. The one place this rule lives.
 *
 * <p>Precisely: when a job passes on a port, the port is latched with that board's USB serial
 * and chip UID. The latch is released by
 * <ul>
 *   <li>a departure the source knows to be a removal ({@link Departure#UNPLUGGED}); a
 *       {@link Departure#RESET} (Leave, unprotect, option bytes, the application starting) or an
 *       {@link Departure#UNKNOWN} one (libusb cannot tell) does not release it;</li>
 *   <li>the arrival of a board with a different USB serial, or a job identifying a different chip
 *       UID on that port: a different board proves the passed one was taken away;</li>
 *   <li>an operator queuing a job on the port explicitly ({@code POST /api/v1/jobs}).</li>
 * </ul>
 * While latched, a board arriving on the port is held (the port shows DONE_WAITING_REMOVAL with the
 * reason, no job is queued) when it has the passed board's USB serial and that serial identifies
 * the chip (the ROM derived it from the UID, as F4/L4 ROMs do). When the serial is one that many
 * chips share (F1/F0 ROMs report a constant), the job starts and is stopped in IDENTIFY, before
 * anything is erased, if the chip UID is the passed one.
 */
@Component
public class PassedBoardLatch {

    private record Passed(long jobId, String usbSerial, String chipUid) {
    }

    private final Map<String, Passed> latched = new ConcurrentHashMap<>();

    /** The board on {@code port} passed job {@code jobId}. Called before the PASSED state is committed. */
    public void passed(String port, long jobId, String usbSerial, String chipUid) {
        latched.put(port, new Passed(jobId, usbSerial, chipUid));
    }

    /** An operator asked for a job on {@code port} explicitly. */
    public void release(String port) {
        latched.remove(port);
    }

    public boolean latched(String port) {
        return latched.containsKey(port);
    }

    @EventListener
    public void onRemoved(DeviceRemovedEvent event) {
        if (event.departure() == Departure.UNPLUGGED) {
            latched.remove(event.path());
        }
    }

    /** @return why the board that just arrived on {@code port} must not be auto-started, or empty */
    public Optional<String> holdOnArrival(String port, DeviceSnapshot device) {
        Passed passed = latched.get(port);
        if (passed == null) {
            return Optional.empty();
        }
        String serial = device.usb().serialNumber();
        if (serial == null || passed.usbSerial() == null) {
            return Optional.empty(); // only the chip UID can tell: decided in IDENTIFY
        }
        if (!serial.equals(passed.usbSerial())) {
            latched.remove(port, passed);
            return Optional.empty();
        }
        if (serialIdentifiesChip(passed.usbSerial(), passed.chipUid())) {
            return Optional.of(reason(passed, "USB serial " + serial));
        }
        return Optional.empty();
    }

    /** @return why the job on {@code port} must stop before erasing (it found the passed chip), or empty */
    public Optional<String> holdOnIdentify(String port, String chipUid) {
        Passed passed = latched.get(port);
        if (passed == null || chipUid == null) {
            return Optional.empty();
        }
        if (chipUid.equalsIgnoreCase(passed.chipUid())) {
            return Optional.of(reason(passed, "chip UID " + chipUid));
        }
        latched.remove(port, passed);
        return Optional.empty();
    }

    private static String reason(Passed passed, String sameWhat) {
        return "the board with " + sameWhat + " passed job " + passed.jobId()
                + " on this port and came back without being removed; remove it to flash another";
    }

    /**
     * Whether {@code usbSerial} is the one an ST ROM derives from this 96-bit UID (hex of word0 +
     * word2, then the upper half of word1); the UID hex may list the bytes in memory order or as
     * one big-endian number.
     */
    static boolean serialIdentifiesChip(String usbSerial, String chipUidHex) {
        if (usbSerial == null || chipUidHex == null || chipUidHex.length() != 24) {
            return false;
        }
        byte[] memoryOrder;
        try {
            memoryOrder = HexFormat.of().parseHex(chipUidHex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] reversed = new byte[memoryOrder.length];
        for (int i = 0; i < memoryOrder.length; i++) {
            reversed[i] = memoryOrder[memoryOrder.length - 1 - i];
        }
        return usbSerial.equalsIgnoreCase(derivedSerial(memoryOrder)) || usbSerial.equalsIgnoreCase(derivedSerial(reversed));
    }

    private static String derivedSerial(byte[] uid) {
        ByteBuffer b = ByteBuffer.wrap(uid).order(ByteOrder.LITTLE_ENDIAN);
        return String.format("%08X%04X", b.getInt(0) + b.getInt(8), b.getInt(4) >>> 16);
    }
}
