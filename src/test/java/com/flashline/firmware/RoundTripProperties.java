package com.flashline.firmware;

import static com.flashline.support.RandomCases.bytes;
import static com.flashline.support.RandomCases.intBetween;
import static com.flashline.support.RandomCases.longBetween;
import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.support.RandomCases;
import com.flashline.support.SeededTest;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/** Random images written by the independent test writers must read back exactly. */
class RoundTripProperties {

    private static final long HIGHEST_START = 0xFFF0_0000L;

    /** One to five blocks of 1..400 bytes, each 1..200 000 bytes after the previous one, for alt 0..2. */
    static List<Segment> randomImage(RandomGenerator random) {
        List<Segment> segments = new ArrayList<>();
        long address = randomStart(random);
        int blocks = intBetween(random, 1, 5);
        for (int i = 0; i < blocks; i++) {
            byte[] data = bytes(random, 1, 400);
            segments.add(new Segment(address, data, OptionalInt.of(intBetween(random, 0, 2))));
            address += data.length + intBetween(random, 1, 200_000);
        }
        return segments;
    }

    /**
     * Anywhere in [0, 0xFFF0_0000], but often where the formats change behaviour: just below a
     * 64 KiB boundary (Intel HEX extended address records; an S-record image ending at 0x10000 still
     * fits 16-bit addresses), just below 16 MiB (24-bit S-records), at the top of the range, and at
     * STM32 flash.
     */
    private static long randomStart(RandomGenerator random) {
        return switch (random.nextInt(6)) {
            case 0 -> 0x1_0000L * intBetween(random, 1, 0xFFF0) - intBetween(random, 1, 400);
            case 1 -> 0x100_0000L - intBetween(random, 1, 400);
            case 2 -> HIGHEST_START - intBetween(random, 0, 0x1_0000);
            case 3 -> 0x0800_0000L;
            default -> longBetween(random, 0, HIGHEST_START);
        };
    }

    private static List<Segment> withoutAlt(List<Segment> segments) {
        return segments.stream().map(s -> new Segment(s.address(), s.data())).toList();
    }

    private static FirmwareImage read(byte[] file, FirmwareFormat expected) {
        FirmwareImage image = FirmwareReader.read(file, "random", ReadOptions.defaults().withBaseAddress(0x0800_0000L));
        assertThat(image.format()).isEqualTo(expected);
        return image;
    }

    @SeededTest(tries = 300)
    void intelHex(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        List<Segment> segments = randomImage(random);
        int recordSize = intBetween(random, 1, 255);
        byte[] file = TestFirmwareWriters.intelHex(segments, recordSize, random.nextBoolean(), random.nextBoolean());
        FirmwareImage image = read(file, FirmwareFormat.INTEL_HEX);
        assertThat(image.segments()).isEqualTo(withoutAlt(segments));
        assertThat(image.contentSha256()).isEqualTo(FirmwareReader.contentSha256(withoutAlt(segments)));
    }

    @SeededTest(tries = 300)
    void srec(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        List<Segment> segments = randomImage(random);
        int recordSize = intBetween(random, 1, 250);
        int entry = intBetween(random, 0, 0x0FFF_FFFF);
        long end = segments.get(segments.size() - 1).end();
        int addressBytes = end <= 0x1_0000L ? 2 : end <= 0x100_0000L ? 3 : 4;
        byte[] file = TestFirmwareWriters.srec(segments, addressBytes, recordSize, entry & (addressBytes == 4 ? -1 : 0xFFFF));
        FirmwareImage image = read(file, FirmwareFormat.SREC);
        assertThat(image.segments()).isEqualTo(withoutAlt(segments));
    }

    @SeededTest(tries = 300)
    void elf(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        List<Segment> segments = randomImage(random);
        int entry = intBetween(random, 0, 0x0FFF_FFFF);
        FirmwareImage image = read(TestFirmwareWriters.elf(segments, entry), FirmwareFormat.ELF);
        assertThat(image.segments()).isEqualTo(withoutAlt(segments));
        assertThat(image.entryPoint()).hasValue(entry);
    }

    @SeededTest(tries = 300)
    void dfuseKeepsAlternateSettings(long seed) {
        List<Segment> segments = randomImage(RandomCases.random(seed));
        FirmwareImage image = read(TestFirmwareWriters.dfuse(segments), FirmwareFormat.DFUSE);
        assertThat(image.segments()).isEqualTo(segments);
    }

    @SeededTest(tries = 200)
    void rawBinaryWithAndWithoutSuffix(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        List<Segment> segments = randomImage(random);
        boolean suffix = random.nextBoolean();
        byte[] data = segments.get(0).data();
        byte[] file = suffix ? TestFirmwareWriters.binWithSuffix(data) : data;
        FirmwareImage image = FirmwareReader.read(file, "random.bin",
                ReadOptions.defaults().withFormat(FirmwareFormat.BIN).withBaseAddress(segments.get(0).address()));
        // Without a suffix the data may by chance end in "UFD\x10"; then the CRC almost surely fails.
        assertThat(image.segments()).containsExactly(new Segment(segments.get(0).address(), data));
        assertThat(image.dfuSuffix().isPresent()).isEqualTo(suffix);
    }

    @SeededTest(tries = 200)
    void allFormatsOfOneImageHashTheSame(long seed) {
        List<Segment> segments = randomImage(RandomCases.random(seed));
        String hex = read(TestFirmwareWriters.intelHex(segments, 32, false, false), FirmwareFormat.INTEL_HEX).contentSha256();
        String srec = read(TestFirmwareWriters.srec(segments, 4, 32, 0), FirmwareFormat.SREC).contentSha256();
        String elf = read(TestFirmwareWriters.elf(segments, 0), FirmwareFormat.ELF).contentSha256();
        String dfuse = read(TestFirmwareWriters.dfuse(segments), FirmwareFormat.DFUSE).contentSha256();
        assertThat(List.of(srec, elf, dfuse)).containsOnly(hex);
    }
}
