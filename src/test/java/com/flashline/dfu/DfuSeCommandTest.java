package com.flashline.dfu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The DfuSe command bytes and payload forms of AN3156 section 5, shared by the engine and the simulator. */
class DfuSeCommandTest {

    @ParameterizedTest
    @EnumSource(DfuSeCommand.class)
    void everyCommandIsFoundByItsCode(DfuSeCommand command) {
        assertThat(DfuSeCommand.fromCode(command.code())).contains(command);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x11, 0x31, 0x43, 0x73, 0x91, 0xFF, -1, 0x100, 0x121})
    void aCodeAn3156DoesNotDefineDecodesToNothing(int code) {
        assertThat(DfuSeCommand.fromCode(code)).isEmpty();
    }

    @Test
    void getAnswersWithTheFourCodesInTheOrderOfTheApplicationNote() {
        assertThat(DfuSeCommand.supportedCodes()).containsExactly(0x00, 0x21, 0x41, 0x92);
    }

    @Test
    void anAddressTravelsLeastSignificantByteFirstAfterTheCode() {
        byte[] payload = DfuSeCommand.SET_ADDRESS_POINTER.payload(0x0801_2345L);

        assertThat(payload).containsExactly(0x21, 0x45, 0x23, 0x01, 0x08);
        assertThat(DfuSeCommand.address(payload)).isEqualTo(0x0801_2345L);
    }

    @Test
    void theTopAddressBitSurvivesTheRoundTripAsAnUnsignedValue() {
        assertThat(DfuSeCommand.address(DfuSeCommand.ERASE.payload(0xFFFF_0000L))).isEqualTo(0xFFFF_0000L);
    }

    @Test
    void eachCommandAcceptsOnlyThePayloadLengthsAn3156Gives() {
        assertThat(lengthsAccepted(DfuSeCommand.GET_COMMANDS)).isEmpty();
        assertThat(lengthsAccepted(DfuSeCommand.SET_ADDRESS_POINTER)).containsExactly(5);
        assertThat(lengthsAccepted(DfuSeCommand.ERASE)).containsExactly(1, 5);
        assertThat(lengthsAccepted(DfuSeCommand.READ_UNPROTECT)).containsExactly(1);
    }

    @Test
    void aFormTheCommandDoesNotHaveCannotBeBuilt() {
        assertThat(DfuSeCommand.ERASE.payload()).containsExactly(0x41);
        assertThat(DfuSeCommand.READ_UNPROTECT.payload()).containsExactly(0x92);
        assertThatThrownBy(DfuSeCommand.SET_ADDRESS_POINTER::payload).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> DfuSeCommand.READ_UNPROTECT.payload(0x0800_0000L))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(DfuSeCommand.GET_COMMANDS::payload).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anAddressIsOnlyReadFromAFiveBytePayload() {
        assertThatThrownBy(() -> DfuSeCommand.address(new byte[] {0x41}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 bytes");
    }

    private static List<Integer> lengthsAccepted(DfuSeCommand command) {
        return IntStream.rangeClosed(0, 8).filter(command::acceptsLength).boxed().toList();
    }
}
