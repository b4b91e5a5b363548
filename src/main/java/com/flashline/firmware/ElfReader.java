package com.flashline.firmware;

import static com.flashline.firmware.LittleEndian.u16;
import static com.flashline.firmware.LittleEndian.u32;

import java.util.OptionalLong;

/**
 * ELF32 little-endian ARM executables, as arm-none-eabi-ld links them.
 *
 * <p>Each {@code PT_LOAD} segment's file bytes go to its <em>physical</em> address
 * ({@code p_paddr}, the load address): initialised .data lives in flash at its LMA and is
 * copied to RAM (its VMA) by the startup code, so flashing must follow p_paddr. The zero-filled
 * tail ({@code p_memsz > p_filesz}, i.e. .bss) is not part of the image, and segments without
 * file bytes are skipped. Section headers are not consulted.
 */
final class ElfReader {

    private static final FirmwareFormat FORMAT = FirmwareFormat.ELF;
    private static final int EHDR_SIZE = 52;
    private static final int PHDR_SIZE = 32;
    private static final int EM_ARM = 40;
    private static final int ET_EXEC = 2;
    private static final long PT_LOAD = 1;

    private ElfReader() {
    }

    static boolean hasMagic(byte[] content) {
        return content.length >= 4 && content[0] == 0x7F && content[1] == 'E' && content[2] == 'L' && content[3] == 'F';
    }

    static ParsedImage read(byte[] content, FirmwareLimits limits) {
        int n = content.length;
        if (!hasMagic(content)) {
            throw error(FirmwareErrorCode.ELF_HEADER, 0, "no ELF magic (7F 45 4C 46)");
        }
        if (n < 16) {
            throw error(FirmwareErrorCode.ELF_HEADER, n, "file ends inside e_ident (" + n + " of 16 bytes)");
        }
        if (content[4] != 1) {
            throw error(FirmwareErrorCode.ELF_CLASS, 4, content[4] == 2
                    ? "ELF64 file; only 32-bit ARM executables are supported" : "unknown ELF class " + content[4]);
        }
        if (content[5] != 1) {
            throw error(FirmwareErrorCode.ELF_ENDIAN, 5, content[5] == 2
                    ? "big-endian ELF; only little-endian ARM is supported" : "unknown ELF data encoding " + content[5]);
        }
        if (n < EHDR_SIZE) {
            throw error(FirmwareErrorCode.ELF_HEADER, n, "file ends inside the ELF header (" + n + " of 52 bytes)");
        }
        int machine = u16(content, 18);
        if (machine != EM_ARM) {
            throw error(FirmwareErrorCode.ELF_MACHINE, 18, "e_machine is " + machine + ", not ARM (40)");
        }
        int type = u16(content, 16);
        if (type != ET_EXEC) {
            throw error(FirmwareErrorCode.ELF_TYPE, 16, "e_type is " + type
                    + (type == 1 ? " (relocatable object, not linked)" : "") + "; an executable (2) is required");
        }
        long entry = u32(content, 24);
        long phoff = u32(content, 28);
        int phentsize = u16(content, 42);
        int phnum = u16(content, 44);
        if (phnum == 0 || phnum == 0xFFFF) {
            throw error(FirmwareErrorCode.ELF_PROGRAM_HEADER, 44, "e_phnum is " + phnum + "; no loadable segments");
        }
        if (phentsize < PHDR_SIZE) {
            throw error(FirmwareErrorCode.ELF_PROGRAM_HEADER, 42, "e_phentsize is " + phentsize + ", less than 32");
        }
        if (phoff + (long) phnum * phentsize > n) {
            throw error(FirmwareErrorCode.ELF_PROGRAM_HEADER, 28, String.format(
                    "program header table (%d entries of %d bytes at offset %d) runs past the end of the file (%d bytes)",
                    phnum, phentsize, phoff, n));
        }
        SegmentCollector collector = new SegmentCollector(FORMAT, limits, false);
        for (int i = 0; i < phnum; i++) {
            int ph = (int) (phoff + (long) i * phentsize);
            if (u32(content, ph) != PT_LOAD) {
                continue;
            }
            long offset = u32(content, ph + 4);
            long paddr = u32(content, ph + 12);
            long filesz = u32(content, ph + 16);
            long memsz = u32(content, ph + 20);
            if (filesz == 0) {
                continue;
            }
            if (memsz < filesz) {
                throw error(FirmwareErrorCode.ELF_SEGMENT, ph + 20, String.format(
                        "segment %d has p_memsz %d smaller than p_filesz %d", i, memsz, filesz));
            }
            if (offset + filesz > n) {
                throw error(FirmwareErrorCode.ELF_SEGMENT, ph + 4, String.format(
                        "segment %d's %d file bytes at offset %d run past the end of the file (%d bytes); truncated?",
                        i, filesz, offset, n));
            }
            collector.add(paddr, content, (int) offset, (int) filesz, ph);
        }
        return new ParsedImage(collector.finish(), OptionalLong.of(entry));
    }

    private static FirmwareFormatException error(FirmwareErrorCode code, long offset, String detail) {
        return FirmwareFormatException.atOffset(code, FORMAT, offset, detail);
    }
}
