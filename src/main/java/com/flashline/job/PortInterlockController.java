package com.flashline.job;

import com.flashline.audit.Actor;
import com.flashline.station.PortService;
import com.flashline.station.PortView;
import com.flashline.usb.PortPath;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Pattern;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Station", description = "Station settings, ports and attached devices")
class PortInterlockController {

    private final PortInterlock interlock;
    private final PortService ports;

    PortInterlockController(PortInterlock interlock, PortService ports) {
        this.interlock = interlock;
        this.ports = ports;
    }

    @Operation(summary = "Enable a port the interlock disabled after failed jobs in a row")
    @PostMapping("/ports/{path}/enable")
    PortView enable(@PathVariable @Pattern(regexp = PortPath.REGEX, message = PortPath.INVALID) String path,
                    Actor actor) {
        interlock.enable(path, actor);
        return ports.get(path);
    }
}
