package com.flashline.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Detection from content: blank lines before the first record are skipped, the first 64
 * characters from there must be printable for a text format, an S-record needs 'S' and a digit,
 * and only signature-less content falls back to the extension.
 */
class FormatDetectorTest {

    private static FirmwareFormat detect(String content, String name) {
        return FormatDetector.detect(content.getBytes(StandardCharsets.ISO_8859_1), name);
    }

    @Test
    void blankLinesBeforeTheFirstRecordAreSkipped() {
        assertThat(detect("\n \t\r\n:00000001FF\n", null)).isEqualTo(FirmwareFormat.INTEL_HEX);
        assertThat(detect("\r\n\r\nS9030000FC\n", null)).isEqualTo(FirmwareFormat.SREC);
    }

    @Test
    void contentOfOnlyWhiteSpaceHasNoSignature() {
        assertThat(detect(" \n\t\r\n", "notes.srec")).isEqualTo(FirmwareFormat.SREC);
        assertThat(detect("\n\n", null)).isEqualTo(FirmwareFormat.BIN);
    }

    @Test
    void aControlCharacterWithinTheFirst64CharactersMakesItBinary() {
        String printable63 = "0".repeat(63);
        assertThat(detect(":" + printable63.substring(1) + "\u0001", "x.bin")).isEqualTo(FirmwareFormat.BIN);
        assertThat(detect(":" + printable63 + "\u0001", "x.bin")).isEqualTo(FirmwareFormat.INTEL_HEX);
        assertThat(detect("\n\n\n\n\n\n\n\n:" + printable63.substring(1) + "\u0000", "x.bin"))
                .isEqualTo(FirmwareFormat.BIN);
    }

    @ParameterizedTest
    @CsvSource({"31, BIN", "126, INTEL_HEX", "127, BIN", "128, BIN"})
    void printableMeansSpaceToTilde(int character, FirmwareFormat expected) {
        assertThat(detect(":0" + (char) character + "0", "x.bin")).isEqualTo(expected);
    }

    @Test
    void anSRecordNeedsADigitAfterTheS() {
        assertThat(detect("S0", null)).isEqualTo(FirmwareFormat.SREC);
        assertThat(detect("s9", null)).isEqualTo(FirmwareFormat.SREC);
        assertThat(detect("S/", null)).isEqualTo(FirmwareFormat.BIN);
        assertThat(detect("S:", null)).isEqualTo(FirmwareFormat.BIN);
        assertThat(detect("S", "a.hex")).isEqualTo(FirmwareFormat.INTEL_HEX);
        assertThat(detect("\nS", null)).isEqualTo(FirmwareFormat.BIN);
    }

    @Test
    void theExtensionIsTheTextAfterTheLastDot() {
        assertThat(FormatDetector.fromExtension(".hex")).hasValue(FirmwareFormat.INTEL_HEX);
        assertThat(FormatDetector.fromExtension("image.v2.S37")).hasValue(FirmwareFormat.SREC);
        assertThat(FormatDetector.fromExtension("app.axf")).hasValue(FirmwareFormat.ELF);
        assertThat(FormatDetector.fromExtension("upgrade.DFU")).hasValue(FirmwareFormat.DFUSE);
        assertThat(FormatDetector.fromExtension("hex")).isEmpty();
        assertThat(FormatDetector.fromExtension("firmware.hex.txt")).isEmpty();
        assertThat(FormatDetector.fromExtension(null)).isEmpty();
    }
}
