package com.flashline.device;

import com.flashline.error.DomainException;
import com.flashline.sim.SimulatedStm32;
import com.flashline.usb.PortPath;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Pattern;
import java.util.HexFormat;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The simulated fixture's boards, for demos: put a blank board on a port, take one off. */
@RestController
@RequestMapping("/api/v1/simulator/ports")
@Tag(name = "Simulator", description = "Simulated fixture (only with flashline.simulator.enabled)")
@ConditionalOnProperty(name = "flashline.simulator.enabled", havingValue = "true")
class SimulatorController {

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
    @GetMapping
    List<SimulatedPort> ports() {
        return fixture.ports().stream().map(p -> SimulatedPort.of(p, fixture.board(p).orElse(null))).toList();
    }

    @Operation(summary = "Put a fresh blank board on the port (the one there is taken off first)")
    @PostMapping("/{path}/board")
    ResponseEntity<SimulatedPort> plug(@PathVariable @Pattern(regexp = PortPath.REGEX) String path) {
        requireOwned(path);
        return ResponseEntity.status(201).body(SimulatedPort.of(path, fixture.plug(path)));
    }

    @Operation(summary = "Take the board off the port")
    @DeleteMapping("/{path}/board")
    SimulatedPort unplug(@PathVariable @Pattern(regexp = PortPath.REGEX) String path) {
        requireOwned(path);
        fixture.unplug(path);
        return SimulatedPort.of(path, null);
    }

    private void requireOwned(String path) {
        if (!fixture.owns(path)) {
            throw DomainException.notFound("Simulated port", path);
        }
    }
}
