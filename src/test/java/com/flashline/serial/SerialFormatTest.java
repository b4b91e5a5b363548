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

    @ParameterizedTest
    @ValueSource(strings = {"100%-{seq}", "%{seq}", "{seq}%", "%d-%d", "{{seq}"})
    void aPercentOrBraceOutsideTheOnePlaceholderIsRejected(String template) {
        assertThatThrownBy(() -> SerialFormat.parse(template)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("second or malformed placeholder");
    }

    @Test
    void everyPrintableAsciiCharacterIsAllowedAroundThePlaceholderAndNothingBeyond() {
        assertThat(SerialFormat.parse(" ~{seq}~ ").text(5)).isEqualTo(" ~5~ ");
        assertThatThrownBy(() -> SerialFormat.parse("A\u007F{seq}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 1");
        assertThatThrownBy(() -> SerialFormat.parse("\u001F{seq}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 0");
    }

    @Test
    void aTemplateMayBeAHundredCharactersLongButNoLonger() {
        String hundred = "A".repeat(SerialFormat.MAX_TEMPLATE_LENGTH - 5) + "{seq}";
        assertThat(SerialFormat.parse(hundred).text(1)).hasSize(SerialFormat.MAX_TEMPLATE_LENGTH - 4).endsWith("A1");
        assertThatThrownBy(() -> SerialFormat.parse("A" + hundred)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than 100");
    }

    @Test
    void aPlaceholderWidthOfEighteenIsTheWidestAllowed() {
        SerialFormat widest = SerialFormat.parse("{seq:018d}");
        assertThat(widest.maxValue()).isEqualTo(999_999_999_999_999_999L);
        assertThat(widest.text(7)).isEqualTo("000000000000000007");
        assertThatThrownBy(() -> SerialFormat.parse("{seq:019d}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("width 19");
        assertThatThrownBy(() -> SerialFormat.parse("%19d")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("width 19");
    }

    @Test
    void onlyAZeroPaddedWidthLimitsTheValue() {
        assertThat(SerialFormat.parse("{seq:6d}").maxValue()).isEqualTo(Long.MAX_VALUE);
        assertThat(SerialFormat.parse("%d").maxValue()).isEqualTo(Long.MAX_VALUE);
        assertThat(SerialFormat.parse("%06d").maxValue()).isEqualTo(999_999L);
        assertThat(SerialFormat.parse("{seq:1d}").text(1234)).isEqualTo("1234");
        assertThat(SerialFormat.parse("u32le").maxValue()).isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void aNegativeValueIsNeverRepresentable() {
        for (String template : new String[] {"u32le", "FL-{seq}", "%06d"}) {
            SerialFormat format = SerialFormat.parse(template);
            assertThatThrownBy(() -> format.text(-1)).as(template)
                    .isInstanceOfSatisfying(SerialAllocationException.class,
                            e -> assertThat(e.code()).isEqualTo(SerialAllocationException.EXHAUSTED));
            assertThat(format.text(0)).as(template).endsWith("0");
        }
    }

    @Test
    void theRecordLengthDefaultsToTheFormatsNaturalSize() {
        assertThat(SerialFormat.parse("u32le").defaultLength()).isEqualTo(4);
        assertThat(SerialFormat.parse("FL-{seq}").defaultLength()).isEqualTo(16);
        assertThat(SerialFormat.parse("FL-{seq}").binary()).isFalse();
    }

    @Test
    void u32leFillsALongerRecordWithZerosAndNeedsFourBytes() {
        SerialFormat format = SerialFormat.parse("u32le");
        assertThat(format.encode(0xFFFF_FFFFL, 6)).containsExactly(0xFF, 0xFF, 0xFF, 0xFF, 0, 0);
        assertThatThrownBy(() -> format.encode(1, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 4 bytes");
    }

    @Test
    void aSerialExactlyAsLongAsItsRecordFitsWithoutATerminator() {
        assertThat(SerialFormat.parse("FL-{seq}").encode(12345, 8)).containsExactly('F', 'L', '-', '1', '2', '3',
                '4', '5');
    }

    @Test
    void theRefusalSaysWhetherThePlaceholderIsMissingOrTwoKindsAreMixed() {
        assertThatThrownBy(() -> SerialFormat.parse("FL-%d-{seq}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("format mixes {seq} and %d placeholders; use exactly one");
        assertThatThrownBy(() -> SerialFormat.parse("FL-")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("format needs one placeholder");
    }

    @Test
    void aMissingOrBlankTemplateIsEmpty() {
        assertThatThrownBy(() -> SerialFormat.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("format is empty");
        assertThatThrownBy(() -> SerialFormat.parse("   ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("format is empty");
    }

    @Test
    void theFormatShowsAsItsTemplate() {
        assertThat(SerialFormat.parse("FL-{seq:06d}")).hasToString("FL-{seq:06d}");
        assertThat(SerialFormat.parse("u32le")).hasToString("u32le");
        assertThat(new SerialSpec(0x0800_0000L, "N%d", 1, 16).serialFormat().text(3)).isEqualTo("N3");
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
