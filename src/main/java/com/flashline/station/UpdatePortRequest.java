package com.flashline.station;

import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code PUT /api/v1/ports/{path}}. A null field removes the API override, so the
 * configuration file's value (or the station default recipe) applies again.
 */
public record UpdatePortRequest(@Size(max = 100) String label, @Positive Long recipeId) {
}
