package com.flashline.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Random images written by the independent test writers must read back exactly. */
class RoundTripProperties {

    @Provide
    Arbitrary<List<Segment>> images() {
        Arbitrary<Long> start = Arbitraries.longs().between(0, 0xFFF0_0000L);
        Arbitrary<List<byte[]>> blocks = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(400)
                .list().ofMinSize(1).ofMaxSize(5);
        Arbitrary<List<Integer>> gaps = Arbitraries.integers().between(1, 200_000).list().ofSize(5);
        Arbitrary<List<Integer>> alts = Arbitraries.integers().between(0, 2).list().ofSize(5);
        return Combinators.combine(start, blocks, gaps, alts).as((base, data, gap, alt) -> {
            List<Segment> segments = new ArrayList<>();
            long address = base;
            for (int i = 0; i < data.size(); i++) {
                segments.add(new Segment(address, data.get(i), OptionalInt.of(alt.get(i))));
                address += data.get(i).length + gap.get(i);
            }
            return segments;
        });
    }

    private static List<Segment> withoutAlt(List<Segment> segments) {
        return segments.stream().map(s -> new Segment(s.address(), s.data())).toList();
    }

    private static FirmwareImage read(byte[] file, FirmwareFormat expected) {
        FirmwareImage image = FirmwareReader.read(file, "random", ReadOptions.defaults().withBaseAddress(0x0800_0000L));
        assertThat(image.format()).isEqualTo(expected);
        return image;
    }

    @Property(tries = 300)
    void intelHex(@ForAll("images") List<Segment> segments, @ForAll @IntRange(min = 1, max = 255) int recordSize,
            @ForAll boolean lowerCase, @ForAll boolean crlf) {
        byte[] file = TestFirmwareWriters.intelHex(segments, recordSize, lowerCase, crlf);
        FirmwareImage image = read(file, FirmwareFormat.INTEL_HEX);
        assertThat(image.segments()).isEqualTo(withoutAlt(segments));
        assertThat(image.contentSha256()).isEqualTo(FirmwareReader.contentSha256(withoutAlt(segments)));
    }

    @Property(tries = 300)
    void srec(@ForAll("images") List<Segment> segments, @ForAll @IntRange(min = 1, max = 250) int recordSize,
            @ForAll @IntRange(min = 0, max = 0x0FFF_FFFF) int entry) {
        long end = segments.get(segments.size() - 1).end();
        int addressBytes = end <= 0x1_0000L ? 2 : end <= 0x100_0000L ? 3 : 4;
        byte[] file = TestFirmwareWriters.srec(segments, addressBytes, recordSize, entry & (addressBytes == 4 ? -1 : 0xFFFF));
        FirmwareImage image = read(file, FirmwareFormat.SREC);
        assertThat(image.segments()).isEqualTo(withoutAlt(segments));
    }

    @Property(tries = 300)
    void elf(@ForAll("images") List<Segment> segments, @ForAll @IntRange(min = 0, max = 0x0FFF_FFFF) int entry) {
        FirmwareImage image = read(TestFirmwareWriters.elf(segments, entry), FirmwareFormat.ELF);
        assertThat(image.segments()).isEqualTo(withoutAlt(segments));
        assertThat(image.entryPoint()).hasValue(entry);
    }

    @Property(tries = 300)
    void dfuseKeepsAlternateSettings(@ForAll("images") List<Segment> segments) {
        FirmwareImage image = read(TestFirmwareWriters.dfuse(segments), FirmwareFormat.DFUSE);
        assertThat(image.segments()).isEqualTo(segments);
    }

    @Property(tries = 200)
    void rawBinaryWithAndWithoutSuffix(@ForAll("images") List<Segment> segments, @ForAll boolean suffix) {
        byte[] data = segments.get(0).data();
        byte[] file = suffix ? TestFirmwareWriters.binWithSuffix(data) : data;
        FirmwareImage image = FirmwareReader.read(file, "random.bin",
                ReadOptions.defaults().withFormat(FirmwareFormat.BIN).withBaseAddress(segments.get(0).address()));
        // Without a suffix the data may by chance end in "UFD\x10"; then the CRC almost surely fails.
        assertThat(image.segments()).containsExactly(new Segment(segments.get(0).address(), data));
        assertThat(image.dfuSuffix().isPresent()).isEqualTo(suffix);
    }

    @Property(tries = 200)
    void allFormatsOfOneImageHashTheSame(@ForAll("images") List<Segment> segments) {
        String hex = read(TestFirmwareWriters.intelHex(segments, 32, false, false), FirmwareFormat.INTEL_HEX).contentSha256();
        String srec = read(TestFirmwareWriters.srec(segments, 4, 32, 0), FirmwareFormat.SREC).contentSha256();
        String elf = read(TestFirmwareWriters.elf(segments, 0), FirmwareFormat.ELF).contentSha256();
        String dfuse = read(TestFirmwareWriters.dfuse(segments), FirmwareFormat.DFUSE).contentSha256();
        assertThat(List.of(srec, elf, dfuse)).containsOnly(hex);
    }
}
