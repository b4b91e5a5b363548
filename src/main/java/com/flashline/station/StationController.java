package com.flashline.station;

import com.flashline.audit.Actor;
import com.flashline.dfu.MemoryLayout;
import com.flashline.dfu.MemoryRegion;
import com.flashline.usb.PortPath;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Station", description = "Station settings, ports and attached devices")
class StationController {

    private final StationService station;
    private final PortService ports;
    private final PortRegistry registry;

    StationController(StationService station, PortService ports, PortRegistry registry) {
        this.station = station;
        this.ports = ports;
        this.registry = registry;
    }

    @Operation(summary = "This station's settings")
    @GetMapping("/station")
    StationSettings getStation() {
        return station.view();
    }

    @Operation(summary = "Set the default recipe and auto-start")
    @PutMapping("/station")
    StationSettings putStation(@Valid @RequestBody UpdateStationRequest request, Actor actor) {
        return station.update(request, actor);
    }

    @Operation(summary = "Every configured or seen port with its runtime state")
    @GetMapping("/ports")
    List<PortView> ports() {
        return ports.list();
    }

    @Operation(summary = "One port")
    @GetMapping("/ports/{path}")
    PortView port(@PathVariable @Pattern(regexp = PortPath.REGEX, message = PortPath.INVALID) String path) {
        return ports.get(path);
    }

    @Operation(summary = "Set a port's label and recipe (null removes the override)")
    @PutMapping("/ports/{path}")
    PortView putPort(@PathVariable @Pattern(regexp = PortPath.REGEX, message = PortPath.INVALID) String path,
                     @Valid @RequestBody UpdatePortRequest request, Actor actor) {
        return ports.update(path, request, actor);
    }

    @Operation(summary = "Set only a port's label (an OPERATOR may; the recipe stays)")
    @PutMapping("/ports/{path}/label")
    PortView putPortLabel(@PathVariable @Pattern(regexp = PortPath.REGEX, message = PortPath.INVALID) String path,
                          @Valid @RequestBody UpdatePortLabelRequest request, Actor actor) {
        return ports.updateLabel(path, request.label(), actor);
    }

    @Operation(summary = "Attached DFU devices")
    @GetMapping("/devices")
    List<DeviceView> devices() {
        return registry.ports().stream()
                .filter(p -> p.device() != null)
                .map(p -> DeviceView.of(p.path(), p.device()))
                .toList();
    }

    /** An attached device: identity, bootloader and memory layout as its descriptors report them. */
    record DeviceView(String port, String vendorId, String productId, String usbSerial, String manufacturer,
            String product, String bootloaderVersion, String uid, Instant arrivedAt, List<Memory> memory) {

        static DeviceView of(String port, DeviceSnapshot d) {
            return new DeviceView(port, String.format("%04x", d.usb().vendorId()),
                    String.format("%04x", d.usb().productId()), d.usb().serialNumber(), d.usb().manufacturer(),
                    d.usb().product(), d.usb().bootloaderVersion(), d.chipUid(), d.arrivedAt(),
                    d.memoryLayouts().stream().map(Memory::of).toList());
        }
    }

    record Memory(String name, List<Region> regions) {
        static Memory of(MemoryLayout layout) {
            return new Memory(layout.name(), layout.regions().stream().map(Region::of).toList());
        }
    }

    record Region(long start, long end, int sectorCount, int sectorSize, boolean readable, boolean erasable,
            boolean writeable) {
        static Region of(MemoryRegion r) {
            return new Region(r.start(), r.end(), r.sectorCount(), r.sectorSize(), r.readable(), r.erasable(),
                    r.writeable());
        }
    }
}
