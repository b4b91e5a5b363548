package com.flashline.station;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/** Body of {@code PUT /api/v1/station}; {@code defaultRecipeId: null} clears the default. */
public record UpdateStationRequest(@Positive Long defaultRecipeId, @NotNull Boolean autoStart) {
}
