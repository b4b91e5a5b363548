package com.flashline.device;

import com.flashline.error.DomainException;
import com.flashline.sim.SimulatedStm32;
import com.flashline.usb.PortPath;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The simulated fixture's boards, for demos and benchmarks: put a blank board on a port or on
 * several at once, take one off.
 */
@RestController
@RequestMapping("/api/v1/simulator")
@Tag(name = "Simulator", description = "Simulated fixture (only with flashline.simulator.enabled)")
@ConditionalOnProperty(name = "flashline.simulator.enabled", havingValue = "true")
class SimulatorController {

    /** More than any fixture has (at most 127 ports); a longer list is refused before it is looked at. */
    static final int MAX_PORTS_AT_ONCE = 1024;

    /** Body of {@code POST /api/v1/simulator/boards}: the ports to put fresh boards on, in order. */
    record PlugRequest(
            @NotEmpty @Size(max = MAX_PORTS_AT_ONCE) List<@NotNull @Pattern(regexp = PortPath.REGEX) String> ports) {
    }

    private final SimulatedFixture fixture;

    SimulatorController(SimulatedFixture fixture) {
        this.fixture = fixture;
    }

    /**
     * A simulated port and the board on it (null fields when empty). {@code violations}: how many
     * times the host broke the protocol on this board (AN3156 / DFU 1.1), which benchmarks and
     * demos check stays 0.
     */
    record SimulatedPort(String path, String presence, String usbSerial, String uid, int enumerations,
            int violations) {
        static SimulatedPort of(String path, SimulatedStm32 board) {
            return board == null ? new SimulatedPort(path, "EMPTY", null, null, 0, 0)
                    : new SimulatedPort(path, board.presence().name(), board.serialNumber(),
                            HexFormat.of().withUpperCase().formatHex(board.uniqueId()), board.enumerationCount(),
                            board.violations().size());
        }
    }

    @Operation(summary = "Every simulated port and its board")
    @GetMapping("/ports")
    List<SimulatedPort> ports() {
        return fixture.ports().stream().map(p -> SimulatedPort.of(p, fixture.board(p).orElse(null))).toList();
    }

    @Operation(summary = "Put a fresh blank board on the port (the one there is taken off first)")
    @PostMapping("/ports/{path}/board")
    ResponseEntity<SimulatedPort> plug(@PathVariable @Pattern(regexp = PortPath.REGEX) String path) {
        requireOwned(path);
        return ResponseEntity.status(201).body(SimulatedPort.of(path, fixture.plug(path)));
    }

    @Operation(summary = "Take the board off the port")
    @DeleteMapping("/ports/{path}/board")
    SimulatedPort unplug(@PathVariable @Pattern(regexp = PortPath.REGEX) String path) {
        requireOwned(path);
        fixture.unplug(path);
        return SimulatedPort.of(path, null);
    }

    /**
     * A fixture's bed of boards powered up at once. The arrivals are reported one after another on
     * this request's thread, as a hub reports them to {@code UsbDeviceWatcher}'s single dispatch
     * thread, instead of one request per board arriving together: a fixture has no HTTP client per
     * slot, and benchmarks that plug N boards should load the station as N arrivals do, not as N
     * concurrent requests. Every port is checked first, so a bad list plugs nothing.
     */
    @Operation(summary = "Put fresh blank boards on several ports at once (reported one after another)")
    @PostMapping("/boards")
    ResponseEntity<List<SimulatedPort>> plugAll(@Valid @RequestBody PlugRequest request) {
        Set<String> seen = new HashSet<>();
        for (String path : request.ports()) {
            if (!seen.add(path)) {
                throw DomainException.invalidField("ports", "lists " + path + " more than once");
            }
            requireOwned(path);
        }
        return ResponseEntity.status(201)
                .body(request.ports().stream().map(path -> SimulatedPort.of(path, fixture.plug(path))).toList());
    }

    private void requireOwned(String path) {
        if (!fixture.owns(path)) {
            throw DomainException.notFound("Simulated port", path);
        }
    }
}
