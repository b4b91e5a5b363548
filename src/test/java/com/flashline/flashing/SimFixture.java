package com.flashline.flashing;

import com.flashline.dfu.DfuOptions;
import com.flashline.dfu.Sector;
import com.flashline.dfu.VirtualClock;
import com.flashline.firmware.FirmwareFormat;
import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.FirmwareReader;
import com.flashline.firmware.ReadOptions;
import com.flashline.firmware.Segment;
import com.flashline.sim.ChipProfile;
import com.flashline.sim.SimOptions;
import com.flashline.sim.SimulatedStm32;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;

/** Simulated boards, images and expectations shared by the pipeline tests. */
final class SimFixture {

    private SimFixture() {
    }

    /** A board whose whole flash holds an old program (a non-0xFF pattern), so erasing is observable. */
    static SimulatedStm32.Builder usedBoard(ChipProfile profile, SimOptions options, VirtualClock clock) {
        ChipProfile.Region flash = profile.flash();
        return SimulatedStm32.builder(profile).options(options).clock(clock).seed(profile.name().hashCode())
                .content(flash.base(), oldContent(profile));
    }

    static byte[] oldContent(ChipProfile profile) {
        byte[] old = new byte[profile.flash().size()];
        for (int i = 0; i < old.length; i++) {
            old[i] = (byte) (i * 7 + (i >>> 11));
            if (old[i] == (byte) 0xFF) {
                old[i] = 0x5A;
            }
        }
        return old;
    }

    static FlashPipeline pipeline(VirtualClock clock) {
        return new FlashPipeline(clock, DfuOptions.DEFAULTS, ChipCatalog.standard());
    }

    static DeviceConnector connector(SimulatedStm32 board) {
        return timeout -> board.connect();
    }

    static FirmwareImage image(Segment... segments) {
        List<Segment> list = List.of(segments);
        return new FirmwareImage(FirmwareFormat.BIN, list, OptionalLong.empty(), "", FirmwareReader.contentSha256(list),
                Optional.empty());
    }

    static FlashRequest request(FirmwareImage image) {
        return new FlashRequest(image, EraseMode.SECTORS, null, null, false, false);
    }

    static byte[] random(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    static FirmwareImage corpus(String name) {
        try (InputStream in = SimFixture.class.getResourceAsStream("/firmware/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no corpus file " + name);
            }
            return FirmwareReader.read(in.readAllBytes(), name, ReadOptions.defaults());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What the flash must hold after a sector-erase run of {@code image} over {@link #oldContent}:
     * sectors the image touches are erased and then hold the image; the others keep the old bytes.
     */
    static byte[] expectedFlash(ChipProfile profile, FirmwareImage image) {
        ChipProfile.Region flash = profile.flash();
        byte[] expected = oldContent(profile);
        for (Sector sector : profile.flashSectors()) {
            boolean touched = image.segments().stream()
                    .anyMatch(s -> s.address() < sector.end() && sector.start() < s.end());
            if (touched) {
                Arrays.fill(expected, (int) (sector.start() - flash.base()), (int) (sector.end() - flash.base()),
                        (byte) 0xFF);
            }
        }
        for (Segment s : image.segments()) {
            System.arraycopy(s.data(), 0, expected, (int) (s.address() - flash.base()), s.length());
        }
        return expected;
    }
}
