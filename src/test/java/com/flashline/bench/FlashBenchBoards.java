package com.flashline.bench;

import com.flashline.dfu.DfuClock;
import com.flashline.dfu.DfuOptions;
import com.flashline.firmware.FirmwareFormat;
import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.FirmwareReader;
import com.flashline.firmware.Segment;
import com.flashline.flashing.ChipCatalog;
import com.flashline.flashing.DeviceConnector;
import com.flashline.flashing.EraseMode;
import com.flashline.flashing.FlashListener;
import com.flashline.flashing.FlashPipeline;
import com.flashline.flashing.FlashReport;
import com.flashline.flashing.FlashRequest;
import com.flashline.rom.PollPolicyChoice;
import com.flashline.rom.RomTable;
import com.flashline.sim.ChipProfile;
import com.flashline.sim.SimOptions;
import com.flashline.sim.SimulatedStm32;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;

/** The boards and images the flashing benchmarks share: an STM32F407 and images written from the flash start. */
final class FlashBenchBoards {

    static final ChipProfile PROFILE = ChipProfile.STM32F407;
    static final long FLASH = PROFILE.flash().base();
    /** Image sizes of the brief: a small, a medium and a whole-flash image. */
    static final int[] IMAGE_SIZES = {64 * 1024, 360 * 1024, 1024 * 1024};

    /** A board fresh from the factory (flash all 0xFF) or one holding an older, different firmware. */
    enum BoardKind {
        ERASED, USED;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private FlashBenchBoards() {
    }

    static FirmwareImage image(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        List<Segment> segments = List.of(new Segment(FLASH, data));
        return new FirmwareImage(FirmwareFormat.BIN, segments, OptionalLong.empty(), "bench-" + size,
                FirmwareReader.contentSha256(segments), Optional.empty());
    }

    static SimulatedStm32 board(BoardKind kind, SimOptions options, DfuClock clock) {
        SimulatedStm32.Builder builder = SimulatedStm32.builder(PROFILE).options(options).clock(clock).seed(7);
        if (kind == BoardKind.USED) {
            byte[] old = new byte[PROFILE.flash().size()];
            new Random(99).nextBytes(old);
            builder.content(FLASH, old);
        }
        return builder.build();
    }

    /** A production-like request: touched sectors, verify (always), leave to the application. */
    static FlashRequest request(FirmwareImage image) {
        return new FlashRequest(image, EraseMode.SECTORS, null, null, false, true);
    }

    /** A production job, the ROM polled as the station polls it by default: as the ROM table says. */
    static FlashReport flash(DfuClock clock, SimulatedStm32 board, FirmwareImage image, FlashListener listener) {
        return flash(clock, board, image, listener, PollPolicyChoice.ROM_TABLE);
    }

    static FlashReport flash(DfuClock clock, SimulatedStm32 board, FirmwareImage image, FlashListener listener,
            PollPolicyChoice policy) {
        DeviceConnector connector = timeout -> board.connect();
        DfuOptions options = DfuOptions.DEFAULTS.withPollPolicies(RomTable.standard().pollPolicies(policy, Map.of()));
        FlashReport report = new FlashPipeline(clock, options, ChipCatalog.standard())
                .run(request(image), connector, listener, () -> false);
        requireNoViolations(board);
        return report;
    }

    /** A host that breaks a protocol rule has no valid number: the benchmark fails. */
    static void requireNoViolations(SimulatedStm32 board) {
        if (!board.violations().isEmpty()) {
            throw new IllegalStateException(board.violations().size() + " protocol violation(s): "
                    + board.violations());
        }
    }

    static String sizeLabel(int size) {
        return size % (1024 * 1024) == 0 ? size / (1024 * 1024) + "MiB" : size / 1024 + "KiB";
    }
}
