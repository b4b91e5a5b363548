package com.flashline.catalog;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

@Entity
@Table(name = "firmware")
class FirmwareEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String name;
    private String version;
    private String format;
    private String fileName;
    private Long baseAddress;
    @Column(name = "sha256")
    private String sha256;
    @Column(name = "identity_key")
    private String identityKey;
    @Column(name = "content_sha256")
    private String contentSha256;
    private long sizeBytes;
    private long imageBytes;
    private Instant uploadedAt;
    private String uploadedBy;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "firmware_segment", joinColumns = @JoinColumn(name = "firmware_id"))
    @OrderColumn(name = "idx")
    private List<Segment> segments = new ArrayList<>();

    @Embeddable
    static class Segment {
        private long address;
        private long length;

        protected Segment() {
        }

        Segment(long address, long length) {
            this.address = address;
            this.length = length;
        }
    }

    protected FirmwareEntity() {
    }

    FirmwareEntity(String name, String version, String fileName, Long baseAddress, String sha256, long sizeBytes,
            InspectedFirmware inspected, Instant uploadedAt, String uploadedBy) {
        this.name = name;
        this.version = version;
        this.fileName = fileName;
        this.baseAddress = baseAddress;
        this.sha256 = sha256;
        this.sizeBytes = sizeBytes;
        this.format = inspected.format();
        this.identityKey = FirmwareIdentity.key(sha256, format, baseAddress);
        this.contentSha256 = inspected.contentSha256();
        this.imageBytes = inspected.imageBytes();
        this.uploadedAt = uploadedAt;
        this.uploadedBy = uploadedBy;
        inspected.segments().forEach(s -> segments.add(new Segment(s.address(), s.length())));
    }

    Long id() {
        return id;
    }

    Firmware toFirmware() {
        return new Firmware(id, name, version, format, fileName, sha256, contentSha256, sizeBytes, imageBytes,
                baseAddress, uploadedAt,
                segments.stream().map(s -> new FirmwareSegment(s.address, s.length)).toList(), uploadedBy);
    }
}
