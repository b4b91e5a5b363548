package com.flashline.catalog;

import com.flashline.flashing.EraseMode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/recipes}. Only {@code name} and {@code firmwareId} are required;
 * defaults: eraseMode SECTORS, verify true, serial null, optionBytes null, allowUnprotect false,
 * leave true. {@code verify: false} is rejected: skipping read-back would let unverified boards pass.
 */
public record CreateRecipeRequest(
        @NotBlank @Size(max = 200) String name,
        @NotNull @Positive Long firmwareId,
        EraseMode eraseMode,
        Boolean verify,
        @Valid Serial serial,
        @Valid OptionBytesRequest optionBytes,
        Boolean allowUnprotect,
        Boolean leave) {

    /**
     * @param start  first sequence value, default 1
     * @param length bytes reserved at address, default 4 for u32le and 16 for text formats
     */
    public record Serial(
            @NotNull @Min(0) @Max(0xFFFF_FFFFL) Long address,
            @NotBlank @Size(max = 100) String format,
            @Min(0) Long start,
            @Min(1) @Max(64) Integer length) {
    }

    public record OptionBytesRequest(
            @NotNull @Min(0) @Max(0xFFFF_FFFFL) Long address,
            @NotBlank @Size(max = 512) @Pattern(regexp = "([0-9a-fA-F]{2})+", message = "must be pairs of hex digits")
            String hex) {
    }
}
