package com.flashline.catalog;

import com.flashline.flashing.EraseMode;
import com.flashline.serial.SerialSpec;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "recipe")
class RecipeEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String name;
    private long firmwareId;
    @Enumerated(EnumType.STRING)
    private EraseMode eraseMode;
    private boolean verify;
    private Long serialAddress;
    private String serialFormat;
    private Long serialStart;
    private Integer serialLength;
    private Long optionBytesAddress;
    private String optionBytesHex;
    private boolean allowUnprotect;
    @Column(name = "leave_dfu")
    private boolean leave;
    private Instant createdAt;
    private String createdBy;

    protected RecipeEntity() {
    }

    RecipeEntity(String name, long firmwareId, EraseMode eraseMode, SerialSpec serial, OptionBytes optionBytes,
            boolean allowUnprotect, boolean leave, Instant createdAt, String createdBy) {
        this.name = name;
        this.firmwareId = firmwareId;
        this.eraseMode = eraseMode;
        this.verify = true;
        if (serial != null) {
            this.serialAddress = serial.address();
            this.serialFormat = serial.format();
            this.serialStart = serial.start();
            this.serialLength = serial.length();
        }
        if (optionBytes != null) {
            this.optionBytesAddress = optionBytes.address();
            this.optionBytesHex = optionBytes.hex();
        }
        this.allowUnprotect = allowUnprotect;
        this.leave = leave;
        this.createdAt = createdAt;
        this.createdBy = createdBy;
    }

    Long id() {
        return id;
    }

    long firmwareId() {
        return firmwareId;
    }

    Recipe toRecipe(String firmwareSha256) {
        SerialSpec serial = serialFormat == null ? null
                : new SerialSpec(serialAddress, serialFormat, serialStart, serialLength);
        OptionBytes options = optionBytesHex == null ? null : new OptionBytes(optionBytesAddress, optionBytesHex);
        return new Recipe(id, name, firmwareId, firmwareSha256, eraseMode, verify, serial, options, allowUnprotect,
                leave, createdAt, createdBy);
    }
}
