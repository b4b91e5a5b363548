package com.flashline.catalog;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The uploaded bytes, kept apart from {@link FirmwareEntity} so listings never load them. */
@Entity
@Table(name = "firmware_content")
class FirmwareContentEntity {

    @Id
    private Long firmwareId;
    private byte[] content;

    protected FirmwareContentEntity() {
    }

    FirmwareContentEntity(long firmwareId, byte[] content) {
        this.firmwareId = firmwareId;
        this.content = content;
    }

    byte[] content() {
        return content;
    }
}
