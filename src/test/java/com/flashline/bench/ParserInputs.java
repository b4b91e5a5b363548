package com.flashline.bench;

import com.flashline.firmware.Segment;
import com.flashline.firmware.TestFirmwareWriters;
import java.util.List;
import java.util.Random;

/**
 * Deterministic multi-MiB inputs for the parser benchmark: a 2 MiB pseudo-random image at
 * 0x08000000 (two segments, like code + a distant block) written as objcopy would, 16 data
 * bytes per record for the text formats.
 */
final class ParserInputs {

    static final int IMAGE_BYTES = 2 << 20;

    private ParserInputs() {
    }

    static List<Segment> image() {
        Random random = new Random(20261125L);
        byte[] code = new byte[IMAGE_BYTES - 64 * 1024];
        byte[] tail = new byte[64 * 1024];
        random.nextBytes(code);
        random.nextBytes(tail);
        return List.of(new Segment(0x0800_0000L, code), new Segment(0x0820_0000L, tail));
    }

    static byte[] intelHex() {
        return TestFirmwareWriters.intelHex(image(), 16, false, true);
    }

    static byte[] srec() {
        return TestFirmwareWriters.srec(image(), 4, 16, 0x0800_0041L);
    }

    static byte[] elf() {
        return TestFirmwareWriters.elf(image(), 0x0800_0041L);
    }
}
