package com.flashline.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of every firmware parser (Jazzer). In a normal run each method replays
 * the committed inputs in {@code src/test/resources/com/flashline/firmware/FirmwareParsersFuzzTestInputs/<method>/}
 * (the real-tool corpus of {@code src/test/resources/firmware} plus every minimised find); under
 * {@code -Pfuzz} it fuzzes for the profile's time box. The promise checked: a parser returns an
 * image or throws {@link FirmwareFormatException} with a location; any other exception, or an
 * image larger than the limits, fails the test.
 */
class FirmwareParsersFuzzTest {

    /**
     * How long {@code -Pfuzz} fuzzes each method (JAZZER_FUZZ=1; replays ignore it). Jazzer takes
     * it from the annotation only, so it is a constant here and in the other fuzz tests.
     */
    static final String FUZZ_TIME_BOX = "60s";

    /** Small limits, so that the memory bound is reached by inputs the fuzzer can build. */
    static final FirmwareLimits LIMITS = new FirmwareLimits(1 << 20, 64 << 10, 256);

    @FuzzTest(maxDuration = FUZZ_TIME_BOX)
    void intelHex(byte[] input) {
        check(input, ReadOptions.defaults().withFormat(FirmwareFormat.INTEL_HEX));
    }

    @FuzzTest(maxDuration = FUZZ_TIME_BOX)
    void srec(byte[] input) {
        check(input, ReadOptions.defaults().withFormat(FirmwareFormat.SREC));
    }

    @FuzzTest(maxDuration = FUZZ_TIME_BOX)
    void elf(byte[] input) {
        check(input, ReadOptions.defaults().withFormat(FirmwareFormat.ELF));
    }

    @FuzzTest(maxDuration = FUZZ_TIME_BOX)
    void dfuse(byte[] input) {
        check(input, ReadOptions.defaults().withFormat(FirmwareFormat.DFUSE));
    }

    /** The DFU suffix of a raw binary (dfu-suffix -a): found, CRC-checked and stripped. */
    @FuzzTest(maxDuration = FUZZ_TIME_BOX)
    void dfuSuffix(byte[] input) {
        check(input, ReadOptions.defaults().withFormat(FirmwareFormat.BIN).withBaseAddress(0x0800_0000L));
    }

    /** Detection then whichever parser it picks, as an upload without a declared format goes. */
    @FuzzTest(maxDuration = FUZZ_TIME_BOX)
    void detected(byte[] input) {
        check(input, ReadOptions.defaults());
    }

    static void check(byte[] input, ReadOptions options) {
        FirmwareImage image;
        try {
            image = FirmwareReader.read(input, "fuzz", options.withLimits(LIMITS));
        } catch (FirmwareFormatException e) {
            assertThat(e.code()).isNotNull();
            boolean located = e.line().isPresent() || e.offset().isPresent()
                    || GENERAL_CODES.contains(e.code());
            assertThat(located).as("located error: %s", e.getMessage()).isTrue();
            return;
        }
        assertThat(image.segments()).isNotEmpty();
        long total = 0;
        long previousEnd = -1;
        for (Segment segment : image.segments()) {
            assertThat(segment.length()).isPositive();
            assertThat(segment.address()).isGreaterThanOrEqualTo(previousEnd < 0 ? 0 : previousEnd);
            assertThat(segment.address() + segment.length()).isLessThanOrEqualTo(0x1_0000_0000L);
            total += segment.length();
            previousEnd = segment.address() + segment.length();
        }
        assertThat(total).isLessThanOrEqualTo(LIMITS.maxImageBytes()).isLessThanOrEqualTo(input.length);
    }

    /** Codes about the file as a whole, which have no single line or offset to name. */
    static final java.util.Set<FirmwareErrorCode> GENERAL_CODES = java.util.EnumSet.of(
            FirmwareErrorCode.EMPTY, FirmwareErrorCode.LIMIT, FirmwareErrorCode.UNKNOWN_FORMAT,
            FirmwareErrorCode.BIN_BASE_ADDRESS_MISSING);
}
