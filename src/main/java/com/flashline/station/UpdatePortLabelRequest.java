package com.flashline.station;

import jakarta.validation.constraints.Size;

/** Body of {@code PUT /api/v1/ports/{path}/label}; null or blank removes the API label. */
public record UpdatePortLabelRequest(@Size(max = 100) String label) {
}
