package com.flashline.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import com.flashline.rom.PollPolicyChoice;
import com.flashline.sim.SimOptions;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything a station is configured with, bound from {@code flashline.*}. Every property and its
 * default is documented in {@code config/application.yml}.
 *
 * @param station  this station's identity; recorded on every job and audit record
 * @param workers  how many boards are flashed at the same time
 * @param usb      the real-hardware transport
 * @param simulator the in-process bootloader simulator (for demos and tests)
 * @param jobs     job execution policy
 * @param dfu      the DFU conversation with a board: how the engine polls the ROMs, how long a
 *                 job waits for its chip after a reset
 * @param ports    per port path ({@code 1-4.2}): label and recipe override from the config file
 */
@Validated
@ConfigurationProperties("flashline")
public record FlashLineProperties(
        @Valid @DefaultValue Station station,
        @Min(1) @Max(64) @DefaultValue("4") int workers,
        @Valid @DefaultValue Usb usb,
        @Valid @DefaultValue Simulator simulator,
        @Valid @DefaultValue Jobs jobs,
        @Valid @DefaultValue Dfu dfu,
        Map<String, @Valid Port> ports) {

    public FlashLineProperties {
        ports = ports == null ? Map.of() : Map.copyOf(ports);
    }

    /** @param id stable name of this station, unique among stations sharing one database */
    public record Station(@NotBlank @DefaultValue("station-1") String id) {
    }

    /**
     * @param enabled        whether to open real USB devices through libusb
     * @param vendorId       USB vendor id of the DFU bootloader (ST: 0x0483)
     * @param productId      USB product id of the DFU bootloader (ST DFU: 0xdf11)
     * @param rescanInterval how often the whole bus is listed besides hotplug events
     */
    public record Usb(@DefaultValue("true") boolean enabled,
                      @Min(0) @Max(0xFFFF) @DefaultValue("0x0483") int vendorId,
                      @Min(0) @Max(0xFFFF) @DefaultValue("0xdf11") int productId,
                      @NotNull @DefaultValue("2s") Duration rescanInterval) {
    }

    /**
     * @param enabled    attach simulated boards instead of (or next to) real ones
     * @param ports      how many simulated ports
     * @param chip       chip profile the simulated bootloaders behave like
     * @param timeScale  multiplier on the chip's erase/program timings (0 = instant, 1 = real time)
     * @param portPrefix simulated port paths are this prefix followed by 1..ports ({@code sim-1})
     * @param statusTiming    how the simulated ROMs report a running operation in GETSTATUS
     * @param blockAddressing which reading of AN3156's block address formula the simulated ROMs use
     * @param plugAtStart     whether every simulated port starts with a blank board on it
     * @param replaceFinishedAfter the simulated operator takes a finished board off its port this
     *                        long after its job ended and puts a fresh blank one on; 0 = never
     * @param faultyBoardEvery every this many boards the simulated operator puts on is faulty (it drops
     *                        off the bus while being written, or reads back wrong); 0 = none
     */
    public record Simulator(@DefaultValue("false") boolean enabled,
                            @Min(1) @Max(127) @DefaultValue("8") int ports,
                            @NotBlank @DefaultValue("STM32F407") String chip,
                            @Min(0) @DefaultValue("1.0") double timeScale,
                            @NotBlank @DefaultValue("sim-") String portPrefix,
                            @NotNull @DefaultValue("ROM") SimOptions.StatusTiming statusTiming,
                            @NotNull @DefaultValue("REQUEST_LENGTH") SimOptions.BlockAddressing blockAddressing,
                            @DefaultValue("true") boolean plugAtStart,
                            @NotNull @DefaultValue("0s") Duration replaceFinishedAfter,
                            @Min(0) @DefaultValue("0") int faultyBoardEvery) {
    }

    /** @param maxAttempts how often one job is tried on a transient failure before it is FAILED */
    public record Jobs(@Positive @Max(10) @DefaultValue("3") int maxAttempts) {
    }

    /**
     * @param pollPolicy           {@code ROM_TABLE}: poll each board as the ROM behaviour table says
     *                             for its ROM (at once where the ROM holds an early GETSTATUS);
     *                             {@code SPEC_LITERAL}: never before the reported bwPollTimeout
     * @param pollPolicyByFamily   the same per ROM family (the table's row ids, e.g.
     *                             {@code STM32F2_F4}), overriding {@code pollPolicy}
     * @param reenumerationTimeout how long a job waits for its chip to enumerate again on its port
     *                             after a reset the job caused (Read Unprotect, an option-byte
     *                             write) before it fails with DEVICE_NOT_BACK
     */
    public record Dfu(@NotNull @DefaultValue("ROM_TABLE") PollPolicyChoice pollPolicy,
                      Map<String, @NotNull PollPolicyChoice> pollPolicyByFamily,
                      @NotNull @DefaultValue("5s") Duration reenumerationTimeout) {
        public Dfu {
            pollPolicyByFamily = pollPolicyByFamily == null ? Map.of() : Map.copyOf(pollPolicyByFamily);
        }
    }

    /**
     * @param label  human name of the fixture slot, shown on the dashboard
     * @param recipe recipe for boards on this port: a recipe name, or a numeric recipe id
     */
    public record Port(String label, String recipe) {
    }
}
