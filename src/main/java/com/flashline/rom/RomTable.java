package com.flashline.rom;

import com.flashline.dfu.DfuAltSetting;
import com.flashline.dfu.PollPolicy;
import com.flashline.dfu.PollPolicySelector;
import com.flashline.dfu.UsbDeviceInfo;
import com.flashline.rom.FlashTimes.EraseTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The one table of how ST's system-bootloader ROMs behave where they differ (the model is
 * dfu-util's {@code quirks.c}): per family and bootloader version, how bwPollTimeout is reported,
 * what an early GETSTATUS gets, known wedges, constant USB serials, where the unique ID lives, and
 * the datasheet erase and program times at the ROM's parallelism. The engine's poll policy
 * ({@link #pollPolicies}), the host's chip lookup and the simulator's chip profiles all read their
 * per-family knowledge from here. docs/protocol.md lists every entry with its source and says which
 * are not verified on hardware.
 *
 * <p>A ROM is recognised from what the host sees before any memory is read: VID:PID 0483:DF11, the
 * alt-setting layouts (option-byte base, flash sectors) and the product string; bcdDevice says
 * whether the recorded timing applies. Families the ROM cannot tell apart from USB alone share a
 * row when they share the facts (F2 and F4, L4 and G4, F0 and F3). A ROM no row recognises is
 * {@link #UNKNOWN}: polled as DFU 1.1 says, identified without a unique ID. Rows added with
 * {@link #with} are tried first, so a station can override or extend the table.
 */
public final class RomTable {

    private static final int KIB = 1024;
    /** ST's bootloaders report this bcdDevice on the F4 and F7 ROMs the timing below was logged on. */
    private static final int BOOTLOADER_2200 = 0x2200;
    /** dfu-util -v on STM32F4 ROMs: 100 ms after every command, 104 ms after every 2 KiB block. */
    private static final PollTimeouts ST_F4_TIMEOUTS = PollTimeouts.fixed(Duration.ofMillis(100), Duration.ofMillis(104));

    /**
     * STM32F2/F4 (option bytes at 0x1FFFC000; RM0090, RM0033). Fixed timeouts (dfu-util logs;
     * dfu-util's dfuse.c: "STM32F405 lies about mass erase timeout", 100 ms for up to 32 s) and a
     * held GETSTATUS (ST's DFU code runs the flash operation after the GETSTATUS that started it;
     * EdgeTX F429 measurements). UID at 0x1FFF7A10. Flash (DS8626 / DS6329, x8, which the ROM uses:
     * 2 KiB programs in about 33 ms): 16 µs per byte; 16/64/128 KiB sectors 0.4/1.2/2 s (max
     * 0.8/2.4/4 s); mass erase 16 s (max 32 s).
     */
    public static final RomBehaviour STM32F2_F4 = RomBehaviour.of("STM32F2_F4", "STM32F2/F4",
                    st(rom -> rom.hasOptionBytesAt(0x1FFF_C000L)))
            .withTiming(ST_F4_TIMEOUTS, EarlyStatus.HELD, BOOTLOADER_2200)
            .withUniqueId(UniqueIdLocation.contiguous(0x1FFF_7A10L))
            .withFlash(new FlashTimes(1, Duration.ofNanos(16_000), Map.of(16 * KIB, EraseTime.millis(400, 800),
                    64 * KIB, EraseTime.millis(1200, 2400), 128 * KIB, EraseTime.millis(2000, 4000)),
                    EraseTime.millis(16_000, 32_000)));

    /**
     * STM32F74x/75x/76x/77x (option bytes at 0x1FFF0000, flash starting with 32 KiB sectors;
     * RM0385, RM0410). Timing as the F4's, the same generation of ST's DFU code: assumed, not
     * logged. UID at 0x1FF0F420. Flash times not recorded.
     */
    public static final RomBehaviour STM32F7 = RomBehaviour.of("STM32F7", "STM32F74x/75x/76x/77x",
                    st(rom -> rom.hasOptionBytesAt(0x1FFF_0000L) && rom.firstFlashSectorSize() == 32 * KIB))
            .withTiming(ST_F4_TIMEOUTS, EarlyStatus.HELD, BOOTLOADER_2200)
            .withUniqueId(UniqueIdLocation.contiguous(0x1FF0_F420L));

    /** STM32F72x/73x (option bytes at 0x1FFF0000, 16 KiB first sectors; RM0431): as the F7. UID at 0x1FF07A10. */
    public static final RomBehaviour STM32F72X = RomBehaviour.of("STM32F72X", "STM32F72x/73x",
                    st(rom -> rom.hasOptionBytesAt(0x1FFF_0000L) && rom.firstFlashSectorSize() == 16 * KIB))
            .withTiming(ST_F4_TIMEOUTS, EarlyStatus.HELD, BOOTLOADER_2200)
            .withUniqueId(UniqueIdLocation.contiguous(0x1FF0_7A10L));

    /**
     * STM32F105/107, the only F1 line with a USB DFU bootloader (PID 0x418 in its product string
     * {@code STM32 0x418 DFU Bootloade}). Reports the constant serial {@code STM32}. Timing not
     * recorded. UID at 0x1FFFF7E8 (RM0008). Flash (DS6014): half-words in 52.5 µs; 2 KiB pages and
     * mass erase 20 ms (max 40 ms).
     */
    public static final RomBehaviour STM32F105_F107 = RomBehaviour.of("STM32F105_F107", "STM32F105/107",
                    st(rom -> rom.hasOptionBytesAt(0x1FFF_F800L) && !rom.hasOptionBytesAt(0x1FFF_7800L)
                            && rom.productMentions("0x418")))
            .withConstantSerial("STM32")
            .withUniqueId(UniqueIdLocation.contiguous(0x1FFF_F7E8L))
            .withFlash(new FlashTimes(2, Duration.ofNanos(52_500), Map.of(2 * KIB, EraseTime.millis(20, 40)),
                    EraseTime.millis(20, 40)));

    /**
     * STM32F0/F3 (option bytes at 0x1FFFF800 like the F1 and the second bank of a dual-bank L4, hence
     * the exclusions). The F04x/F07x ROMs report the constant serial {@code FFFFFFFEFFFF}. Timing not
     * recorded. UID at 0x1FFFF7AC (RM0091, RM0316). Flash (DS9826, F072): half-words in 53.5 µs;
     * 1 or 2 KiB pages and mass erase 20 ms (max 40 ms).
     */
    public static final RomBehaviour STM32F0_F3 = RomBehaviour.of("STM32F0_F3", "STM32F0/F3",
                    st(rom -> rom.hasOptionBytesAt(0x1FFF_F800L) && !rom.hasOptionBytesAt(0x1FFF_7800L)
                            && !rom.productMentions("0x418")))
            .withConstantSerial("FFFFFFFEFFFF")
            .withUniqueId(UniqueIdLocation.contiguous(0x1FFF_F7ACL))
            .withFlash(new FlashTimes(2, Duration.ofNanos(53_500), Map.of(KIB, EraseTime.millis(20, 40),
                    2 * KIB, EraseTime.millis(20, 40)), EraseTime.millis(20, 40)));

    /**
     * STM32L4/G4 (option bytes at 0x1FFF7800; RM0351, RM0432, RM0440). Too short a bwPollTimeout, and
     * GETSTATUS stalled while erasing (dfu-util's dfuse.c treats such a stall as "still busy"); the
     * reported value is not in that source, the simulator uses 5 ms. UID at 0x1FFF7590. Flash
     * (DS10198, L476): double-words in 81.69 µs; 2 KiB pages (G4: 4 KiB) 22.02 ms; mass erase 22.13 ms.
     */
    public static final RomBehaviour STM32L4_G4 = RomBehaviour.of("STM32L4_G4", "STM32L4/G4",
                    st(rom -> rom.hasOptionBytesAt(0x1FFF_7800L)))
            .withTiming(PollTimeouts.tooShort(Duration.ofMillis(5)), EarlyStatus.STALLS_WHILE_ERASING)
            .withUniqueId(UniqueIdLocation.contiguous(0x1FFF_7590L))
            .withFlash(new FlashTimes(8, Duration.ofNanos(81_690), Map.of(2 * KIB, EraseTime.typicalMillis(22.02),
                    4 * KIB, EraseTime.typicalMillis(22.02)), EraseTime.typicalMillis(22.13)));

    /**
     * STM32H74x/75x (flash of 128 KiB sectors only; RM0433). Rev V ROMs can stay in dfuDNBUSY past
     * their own timeout during an erase in the second bank (from 0x08100000); STM32CubeProgrammer
     * clears them with two CLRSTATUS, the first answered errUNKNOWN / dfuERROR (field report). Timeout
     * style not recorded. UID at 0x1FF1E800. Flash (DS12110, x32 assumed): 256-bit words in 130 µs;
     * 128 KiB sectors 1.1 s (max 2.2 s), so an erase busy for 4.4 s is taken for the wedge.
     */
    public static final RomBehaviour STM32H7 = RomBehaviour.of("STM32H7", "STM32H74x/75x",
                    st(rom -> rom.flashStart() == 0x0800_0000L && rom.allFlashSectorsOfSize(128 * KIB)))
            .withClearStatusOutsideError(ClearStatusOutsideError.ENTERS_ERROR)
            .withWedge(new EraseWedge(0x0810_0000L, Duration.ofMillis(4400)))
            .withUniqueId(UniqueIdLocation.contiguous(0x1FF1_E800L))
            .withFlash(new FlashTimes(32, Duration.ofNanos(130_000), Map.of(128 * KIB, EraseTime.millis(1100, 2200)),
                    null));

    /**
     * STM32L0 (option bytes at 0x1FF80000, 128-byte pages; RM0367, RM0377). The UID's third word is
     * not next to the second. Timing not recorded. Flash (DS10152, L053): 128-byte pages 3.2 ms.
     */
    public static final RomBehaviour STM32L0 = RomBehaviour.of("STM32L0", "STM32L0",
                    st(rom -> rom.hasOptionBytesAt(0x1FF8_0000L) && rom.allFlashSectorsOfSize(128)))
            .withUniqueId(new UniqueIdLocation(0x1FF8_0050L, 0x1FF8_0054L, 0x1FF8_0064L))
            .withFlash(new FlashTimes(4, null, Map.of(128, EraseTime.typicalMillis(3.2)), null));

    /**
     * Any other ROM (L1, whose UID address depends on a density USB does not show; STM32C5, whose
     * layout is not recorded yet; other vendors): DFU 1.1 as written, no unique ID.
     */
    public static final RomBehaviour UNKNOWN = RomBehaviour.of("UNKNOWN", "unknown", rom -> false);

    private static final RomTable STANDARD = new RomTable(List.of(STM32F2_F4, STM32F7, STM32F72X, STM32F105_F107,
            STM32F0_F3, STM32L4_G4, STM32H7, STM32L0));

    private final List<RomBehaviour> rows;

    /** A table of exactly these rows, tried in order. */
    public RomTable(List<RomBehaviour> rows) {
        this.rows = List.copyOf(rows);
    }

    /** The built-in table. */
    public static RomTable standard() {
        return STANDARD;
    }

    /** This table with {@code extra} rows tried first (to override or extend it). */
    public RomTable with(RomBehaviour... extra) {
        List<RomBehaviour> all = new ArrayList<>(List.of(extra));
        all.addAll(rows);
        return new RomTable(all);
    }

    public List<RomBehaviour> rows() {
        return rows;
    }

    /** The first row that recognises the ROM, or empty. */
    public Optional<RomBehaviour> recognise(RomReport rom) {
        Objects.requireNonNull(rom, "rom");
        return rows.stream().filter(row -> row.matches(rom)).findFirst();
    }

    /** The row that recognises the ROM, or {@link #UNKNOWN}. */
    public RomBehaviour identify(RomReport rom) {
        return recognise(rom).orElse(UNKNOWN);
    }

    public RomBehaviour identify(UsbDeviceInfo device, List<DfuAltSetting> altSettings) {
        return identify(new RomReport(device, altSettings));
    }

    /**
     * The row with this id, {@link #UNKNOWN} included, ignoring case and anything but letters and
     * digits ({@code stm32f2-f4} and {@code STM32F2F4} name {@code STM32F2_F4}: configuration keys
     * lose their underscores on the way).
     */
    public Optional<RomBehaviour> row(String id) {
        String key = comparable(id);
        return rows.stream().filter(row -> comparable(row.id()).equals(key)).findFirst()
                .or(() -> Optional.of(UNKNOWN).filter(row -> comparable(row.id()).equals(key)));
    }

    private static String comparable(String id) {
        return id.replaceAll("[^A-Za-z0-9]", "").toUpperCase(Locale.ROOT);
    }

    /** Every device polled as its row says. */
    public PollPolicySelector pollPolicies() {
        return pollPolicies(PollPolicyChoice.ROM_TABLE, Map.of());
    }

    /**
     * The engine's poll policy per device: what {@code choice} says, or for a family listed in
     * {@code byFamily} (by row id) what that says; {@link PollPolicyChoice#ROM_TABLE} is the row's
     * {@link RomBehaviour#pollPolicy policy}.
     *
     * @throws IllegalArgumentException for a family id the table has no row for
     */
    public PollPolicySelector pollPolicies(PollPolicyChoice choice, Map<String, PollPolicyChoice> byFamily) {
        Objects.requireNonNull(choice, "choice");
        Map<String, PollPolicyChoice> overrides = new HashMap<>();
        byFamily.forEach((id, value) -> {
            RomBehaviour row = row(id).orElseThrow(() -> new IllegalArgumentException("no ROM family '" + id
                    + "' in the ROM behaviour table; known: " + ids()));
            overrides.put(row.id(), Objects.requireNonNull(value, "poll policy of " + id));
        });
        return (device, altSettings) -> {
            RomBehaviour rom = identify(device, altSettings);
            return overrides.getOrDefault(rom.id(), choice) == PollPolicyChoice.SPEC_LITERAL
                    ? PollPolicy.SPEC_LITERAL : rom.pollPolicy(device.bcdDevice());
        };
    }

    private List<String> ids() {
        List<String> ids = new ArrayList<>(rows.stream().map(RomBehaviour::id).toList());
        ids.add(UNKNOWN.id());
        return ids;
    }

    private static Predicate<RomReport> st(Predicate<RomReport> layout) {
        return rom -> rom.isStBootloader() && layout.test(rom);
    }
}
