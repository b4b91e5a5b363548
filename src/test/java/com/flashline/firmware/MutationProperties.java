package com.flashline.firmware;

import static com.flashline.support.RandomCases.anyByte;
import static com.flashline.support.RandomCases.bytes;
import static com.flashline.support.RandomCases.intBetween;
import static com.flashline.support.RandomCases.listOf;
import static com.flashline.support.RandomCases.oneOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.support.RandomCases;
import com.flashline.support.SeededTest;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * Whatever happens to a valid file, the reader either reads something or throws
 * {@link FirmwareFormatException}: never another exception, never an allocation beyond the
 * limits (tight here, so a runaway allocation would surface as an error, not pass).
 */
class MutationProperties {

    private static final ReadOptions TIGHT = ReadOptions.defaults().withBaseAddress(0x0800_0000L)
            .withLimits(new FirmwareLimits(1 << 20, 1 << 20, 1024));

    enum Kind { HEX, SREC, ELF, DFUSE, DFUSE_CRC_FIXED, BIN_SUFFIX_CRC_FIXED, CORPUS_ELF, CORPUS_DFU }

    record Mutation(int operation, int position, byte value) {
    }

    /** One to six edits: overwrite (0), delete (1) or insert (2) a byte, or truncate (3). */
    static List<Mutation> randomMutations(RandomGenerator random) {
        return listOf(random, 1, 6, r -> new Mutation(intBetween(r, 0, 3), randomPosition(r), anyByte(r)));
    }

    /**
     * Any non-negative position (taken modulo the file length), one time in four inside the first
     * 64 bytes, where the headers and their size fields are.
     */
    private static int randomPosition(RandomGenerator random) {
        return random.nextInt(4) == 0 ? random.nextInt(64) : intBetween(random, 0, Integer.MAX_VALUE);
    }

    private static byte[] valid(Kind kind) {
        List<Segment> segments = List.of(
                new Segment(0x0800_0000L, pattern(300), OptionalInt.of(0)),
                new Segment(0x0800_4000L, pattern(40), OptionalInt.of(0)),
                new Segment(0x1FFF_C000L, pattern(16), OptionalInt.of(1)));
        return switch (kind) {
            case HEX -> TestFirmwareWriters.intelHex(segments, 16, false, false);
            case SREC -> TestFirmwareWriters.srec(segments, 4, 16, 0x0800_0041L);
            case ELF -> TestFirmwareWriters.elf(segments, 0x0800_0041L);
            case DFUSE, DFUSE_CRC_FIXED -> TestFirmwareWriters.dfuse(segments);
            case BIN_SUFFIX_CRC_FIXED -> TestFirmwareWriters.binWithSuffix(pattern(100));
            case CORPUS_ELF -> Corpus.bytes("blinky.elf");
            case CORPUS_DFU -> Corpus.bytes("blinky-alt.dfu");
        };
    }

    private static byte[] pattern(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    private static byte[] mutate(byte[] file, List<Mutation> mutations) {
        byte[] out = file;
        for (Mutation m : mutations) {
            if (out.length == 0) {
                break;
            }
            int at = m.position() % out.length;
            out = switch (m.operation()) {
                case 0 -> {
                    byte[] copy = out.clone();
                    copy[at] = m.value();
                    yield copy;
                }
                case 1 -> {
                    byte[] copy = new byte[out.length - 1];
                    System.arraycopy(out, 0, copy, 0, at);
                    System.arraycopy(out, at + 1, copy, at, out.length - at - 1);
                    yield copy;
                }
                case 2 -> {
                    byte[] copy = new byte[out.length + 1];
                    System.arraycopy(out, 0, copy, 0, at);
                    copy[at] = m.value();
                    System.arraycopy(out, at, copy, at + 1, out.length - at);
                    yield copy;
                }
                default -> Arrays.copyOf(out, at);
            };
        }
        return out;
    }

    @SeededTest(tries = 2000)
    void mutatedFilesOnlyEverFailWithAFormatError(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        Kind kind = oneOf(random, Kind.class);
        boolean forceFormat = random.nextBoolean();
        byte[] file = mutate(valid(kind), randomMutations(random));
        if ((kind == Kind.DFUSE_CRC_FIXED || kind == Kind.BIN_SUFFIX_CRC_FIXED) && file.length >= 16) {
            TestFirmwareWriters.fixDfuCrc(file);
        }
        ReadOptions options = forceFormat ? TIGHT.withFormat(formatOf(kind)) : TIGHT;
        try {
            FirmwareImage image = FirmwareReader.read(file, "mutated", options);
            assertThat(image.totalSize()).isPositive().isLessThanOrEqualTo(1 << 20);
        } catch (FirmwareFormatException expected) {
            assertThat(expected.getMessage()).contains("[" + expected.code() + "]");
        }
    }

    @SeededTest(tries = 300)
    void randomBytesOnlyEverFailWithAFormatError(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        byte[] file = bytes(random, 0, 600);
        Kind kind = oneOf(random, Kind.class);
        try {
            FirmwareReader.read(file, "random", TIGHT.withFormat(formatOf(kind)));
        } catch (FirmwareFormatException expected) {
            assertThat(expected.code()).isNotNull();
        }
    }

    @SeededTest(tries = 200)
    void hugeDeclaredSizesAreRefusedCheaply(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int field = intBetween(random, 0, 3);
        int huge = intBetween(random, 0x0100_0000, Integer.MAX_VALUE);
        byte[] file = Corpus.bytes("blinky-alt.dfu");
        // image size, target size, element count, element size
        int[] offsets = {6, 11 + 266, 11 + 270, 11 + 274 + 4};
        int at = offsets[field];
        file[at] = (byte) huge;
        file[at + 1] = (byte) (huge >>> 8);
        file[at + 2] = (byte) (huge >>> 16);
        file[at + 3] = (byte) (huge >>> 24);
        TestFirmwareWriters.fixDfuCrc(file);
        try {
            FirmwareReader.read(file, "x.dfu", TIGHT);
            throw new AssertionError("a DfuSe file declaring " + huge + " at offset " + at + " was accepted");
        } catch (FirmwareFormatException expected) {
            assertThat(expected.offset()).isPresent();
        }
    }

    private static FirmwareFormat formatOf(Kind kind) {
        return switch (kind) {
            case HEX -> FirmwareFormat.INTEL_HEX;
            case SREC -> FirmwareFormat.SREC;
            case ELF, CORPUS_ELF -> FirmwareFormat.ELF;
            case DFUSE, DFUSE_CRC_FIXED, CORPUS_DFU -> FirmwareFormat.DFUSE;
            case BIN_SUFFIX_CRC_FIXED -> FirmwareFormat.BIN;
        };
    }
}
