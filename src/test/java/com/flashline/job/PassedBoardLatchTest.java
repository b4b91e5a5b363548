package com.flashline.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.dfu.UsbDeviceInfo;
import com.flashline.sim.ChipProfile;
import com.flashline.station.Departure;
import com.flashline.station.DeviceRemovedEvent;
import com.flashline.station.DeviceSnapshot;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PassedBoardLatchTest {

    private static final byte[] UID = HexFormat.of().parseHex("1a002b000c51333437363530");
    private static final String UID_HEX = HexFormat.of().formatHex(UID);
    private static final String DERIVED_SERIAL = ChipProfile.STM32F407.serialFor(UID);
    private static final String PORT = "1-4.2";

    private final PassedBoardLatch latch = new PassedBoardLatch();

    @Test
    void anF4SerialIsRecognisedAsDerivedFromTheUidInEitherByteOrder() {
        assertThat(PassedBoardLatch.serialIdentifiesChip(DERIVED_SERIAL, UID_HEX)).isTrue();
        StringBuilder reversed = new StringBuilder();
        for (int i = UID.length - 1; i >= 0; i--) {
            reversed.append(String.format("%02x", UID[i]));
        }
        assertThat(PassedBoardLatch.serialIdentifiesChip(DERIVED_SERIAL, reversed.toString())).isTrue();
        assertThat(PassedBoardLatch.serialIdentifiesChip(ChipProfile.STM32F107.serialFor(UID), UID_HEX)).isFalse();
        assertThat(PassedBoardLatch.serialIdentifiesChip("FFFFFFFEFFFF", UID_HEX)).isFalse();
        assertThat(PassedBoardLatch.serialIdentifiesChip(DERIVED_SERIAL, "not hex")).isFalse();
    }

    @Test
    void thePassedBoardComingBackIsHeldUntilItIsUnplugged() {
        latch.passed(PORT, 7, DERIVED_SERIAL, UID_HEX);

        assertThat(latch.holdOnArrival(PORT, board(DERIVED_SERIAL))).hasValueSatisfying(reason ->
                assertThat(reason).contains("passed job 7").contains("without being removed"));
        latch.onRemoved(new DeviceRemovedEvent(PORT, null, Departure.RESET));
        latch.onRemoved(new DeviceRemovedEvent(PORT, null, Departure.UNKNOWN));
        assertThat(latch.holdOnArrival(PORT, board(DERIVED_SERIAL))).as("a reset is no removal").isPresent();

        latch.onRemoved(new DeviceRemovedEvent(PORT, null, Departure.UNPLUGGED));
        assertThat(latch.holdOnArrival(PORT, board(DERIVED_SERIAL))).isEmpty();
        assertThat(latch.latched(PORT)).isFalse();
    }

    @Test
    void aDifferentBoardReleasesThePort() {
        latch.passed(PORT, 7, DERIVED_SERIAL, UID_HEX);

        assertThat(latch.holdOnArrival(PORT, board("0000AAAA1111"))).isEmpty();
        assertThat(latch.latched(PORT)).isFalse();
        assertThat(latch.holdOnArrival("1-4.3", board(DERIVED_SERIAL))).as("other ports are not latched").isEmpty();
    }

    @Test
    void aSharedConstantSerialIsDecidedByTheChipUidInIdentify() {
        latch.passed(PORT, 9, "STM32", UID_HEX);

        assertThat(latch.holdOnArrival(PORT, board("STM32"))).as("every F1 reports STM32").isEmpty();
        assertThat(latch.holdOnIdentify(PORT, UID_HEX.toUpperCase())).hasValueSatisfying(reason ->
                assertThat(reason).contains("chip UID").contains("passed job 9"));
        assertThat(latch.holdOnIdentify(PORT, "00112233445566778899aabb")).isEmpty();
        assertThat(latch.latched(PORT)).as("a different chip releases the port").isFalse();
    }

    @Test
    void anOperatorsExplicitJobReleasesThePort() {
        latch.passed(PORT, 7, DERIVED_SERIAL, UID_HEX);

        latch.release(PORT);

        assertThat(latch.holdOnArrival(PORT, board(DERIVED_SERIAL))).isEmpty();
    }

    private static DeviceSnapshot board(String usbSerial) {
        return new DeviceSnapshot(new UsbDeviceInfo(0x0483, 0xdf11, 0x2200, "STMicroelectronics", "STM32  BOOTLOADER",
                usbSerial, PORT), List.of(), null, Instant.EPOCH);
    }
}
