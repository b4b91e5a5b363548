package com.flashline.workorder;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/work-orders}. The sizes are the columns' (the number and lot are
 * copied into every job and audit record of the work order).
 */
public record CreateWorkOrderRequest(
        @NotBlank @Size(max = 64) String number,
        @NotBlank @Size(max = 100) String product,
        @NotBlank @Size(max = 64) String lot,
        @NotNull @Positive Long recipeId,
        @NotNull @Min(1) @Max(1_000_000_000) Integer quantity) {
}
