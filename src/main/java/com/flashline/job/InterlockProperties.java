package com.flashline.job;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Port interlocks and the station yield guard, bound from {@code flashline.interlock.*} and
 * documented in {@code config/application.yml}.
 *
 * @param maxConsecutiveFailures a port whose last this many finished jobs failed is disabled; 0 turns the interlock off
 * @param yieldWindow            the yield guard looks at the station's last this many finished jobs; 0 turns it off
 * @param minYield               auto-start pauses when the passed share of that window is under this (0..1,
 *                               e.g. 0.9 for 90 %); 0 turns the guard off
 */
@Validated
@ConfigurationProperties("flashline.interlock")
public record InterlockProperties(
        @Min(0) @Max(1000) @DefaultValue("3") int maxConsecutiveFailures,
        @Min(0) @Max(10000) @DefaultValue("0") int yieldWindow,
        @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0") double minYield) {

    /** Whether the station yield guard is on: both a window and a minimum are set. */
    public boolean yieldGuardOn() {
        return yieldWindow > 0 && minYield > 0;
    }
}
