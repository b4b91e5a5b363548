package com.flashline.catalog;

import com.flashline.audit.Actor;
import com.flashline.error.DomainException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/api/v1/firmware")
@Tag(name = "Firmware", description = "Firmware files, stored once per content")
class FirmwareController {

    private final FirmwareCatalog catalog;

    FirmwareController(FirmwareCatalog catalog) {
        this.catalog = catalog;
    }

    @Operation(summary = "Upload a firmware file (Intel HEX, S-record, ELF, DfuSe .dfu or raw .bin)",
            description = "201 with the record; uploading the same bytes again is idempotent and answers 201 "
                    + "with the existing record (same id). 422 FIRMWARE_MALFORMED names where the file is broken.")
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<FirmwareResponse> upload(
            @RequestPart("file") MultipartFile file,
            @RequestParam(required = false) @Size(max = 200) String name,
            @RequestParam(required = false) @Size(max = 100) String version,
            @RequestParam(required = false) @Min(0) @Max(0xFFFF_FFFFL) Long baseAddress, Actor actor) {
        if (file.isEmpty()) {
            throw DomainException.invalidField("file", "must not be empty");
        }
        byte[] content;
        try {
            content = file.getBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Firmware stored = catalog.upload(content, file.getOriginalFilename(), name, version, baseAddress, actor);
        FirmwareResponse body = FirmwareResponse.of(stored);
        // The contract promises 201 and the same id for the same content: an upload is idempotent.
        return ResponseEntity.status(HttpStatus.CREATED)
                .location(URI.create("/api/v1/firmware/" + body.id()))
                .body(body);
    }

    @Operation(summary = "All stored firmware, oldest first")
    @GetMapping
    List<FirmwareResponse> list() {
        return catalog.list().stream().map(FirmwareResponse::of).toList();
    }

    @Operation(summary = "One stored firmware")
    @GetMapping("/{id}")
    FirmwareResponse get(@PathVariable long id) {
        return FirmwareResponse.of(catalog.get(id));
    }
}
