package com.flashline.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import com.flashline.support.RandomCases;
import com.flashline.support.SeededTest;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SerialFormatTest {

    @Test
    void braceAndPrintfTemplatesFormatAlike() {
        assertThat(SerialFormat.parse("FL-{seq:06d}").text(42)).isEqualTo("FL-000042");
        assertThat(SerialFormat.parse("FL-%06d").text(42)).isEqualTo("FL-000042");
        assertThat(SerialFormat.parse("{seq}/A").text(7)).isEqualTo("7/A");
        assertThat(SerialFormat.parse("N%d").text(123456789)).isEqualTo("N123456789");
        assertThat(SerialFormat.parse("X{seq:4d}").text(7)).isEqualTo("X   7");
    }

    @Test
    void textIsWrittenAsAsciiNulPadded() {
        byte[] record = SerialFormat.parse("FL-{seq:04d}").encode(12, 10);
        assertThat(record).containsExactly('F', 'L', '-', '0', '0', '1', '2', 0, 0, 0);
    }

    @Test
    void u32leIsFourLittleEndianBytes() {
        SerialFormat format = SerialFormat.parse("u32le");
        assertThat(format.binary()).isTrue();
        assertThat(format.encode(0x12345678L, 4)).containsExactly(0x78, 0x56, 0x34, 0x12);
        assertThat(format.text(0x12345678L)).isEqualTo("305419896");
        assertThatThrownBy(() -> format.encode(0x1_0000_0000L, 4)).isInstanceOf(SerialAllocationException.class);
    }

    @Test
    void aZeroPaddedWidthIsAlsoTheLimit() {
        SerialFormat format = SerialFormat.parse("{seq:03d}");
        assertThat(format.text(999)).isEqualTo("999");
        assertThatThrownBy(() -> format.text(1000))
                .isInstanceOfSatisfying(SerialAllocationException.class,
                        e -> assertThat(e.code()).isEqualTo(SerialAllocationException.EXHAUSTED));
    }

    @Test
    void aSerialLongerThanItsRecordIsExhausted() {
        assertThatThrownBy(() -> SerialFormat.parse("SERIAL-{seq}").encode(12345, 8))
                .isInstanceOf(SerialAllocationException.class)
                .hasMessageContaining("longer than the 8-byte record");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "FL-", "FL-{seq}-{seq}", "FL-%d-{seq}", "FL-%s", "{seq:6x}", "%", "FL-{seq:06d}}",
            "é{seq}", "{seq:99d}", "a\t{seq}"})
    void malformedTemplatesAreRejected(String template) {
        assertThatThrownBy(() -> SerialFormat.parse(template)).isInstanceOf(IllegalArgumentException.class);
    }

    @SeededTest(tries = 1000)
    void zeroPaddedTextHasTheDeclaredWidthAndParsesBack(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int width = RandomCases.intBetween(random, 1, 12);
        long value = RandomCases.longBetween(random, 0, 999_999_999_999L);
        SerialFormat format = SerialFormat.parse("P-{seq:0" + width + "d}");
        if (value > format.maxValue()) {
            assertThatThrownBy(() -> format.text(value)).isInstanceOf(SerialAllocationException.class);
            return;
        }
        String text = format.text(value);
        assertThat(text).hasSize(2 + width);
        assertThat(Long.parseLong(text.substring(2))).isEqualTo(value);
        byte[] record = format.encode(value, 16);
        assertThat(new String(record, 0, text.length(), StandardCharsets.US_ASCII)).isEqualTo(text);
        assertThat(Arrays.copyOfRange(record, text.length(), 16)).containsOnly(0);
    }

    @SeededTest(tries = 1000)
    void u32leRoundTrips(long seed) {
        long value = RandomCases.longBetween(RandomCases.random(seed), 0, 0xFFFF_FFFFL);
        byte[] b = SerialFormat.parse("u32le").encode(value, 4);
        long back = (b[0] & 0xFFL) | (b[1] & 0xFFL) << 8 | (b[2] & 0xFFL) << 16 | (b[3] & 0xFFL) << 24;
        assertThat(back).isEqualTo(value);
    }
}
