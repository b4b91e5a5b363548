package com.flashline.bench;

import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.FirmwareReader;
import com.flashline.firmware.ReadOptions;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** JMH: whole-file reads (parse, overlap check, both SHA-256s) of the {@link ParserInputs}. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ParserJmh {

    private byte[] hex;
    private byte[] srec;
    private byte[] elf;
    private final ReadOptions options = ReadOptions.defaults();

    @Setup
    public void generate() {
        hex = ParserInputs.intelHex();
        srec = ParserInputs.srec();
        elf = ParserInputs.elf();
    }

    @Benchmark
    public FirmwareImage intelHex() {
        return FirmwareReader.read(hex, "bench.hex", options);
    }

    @Benchmark
    public FirmwareImage srec() {
        return FirmwareReader.read(srec, "bench.srec", options);
    }

    @Benchmark
    public FirmwareImage elf() {
        return FirmwareReader.read(elf, "bench.elf", options);
    }
}
