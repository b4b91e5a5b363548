package com.flashline.job;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Port interlocks, bound from {@code flashline.interlock.*} and documented in
 * {@code config/application.yml}.
 *
 * @param maxConsecutiveFailures a port whose last this many finished jobs failed is disabled; 0 turns the interlock off
 */
@Validated
@ConfigurationProperties("flashline.interlock")
public record InterlockProperties(@Min(0) @Max(1000) @DefaultValue("3") int maxConsecutiveFailures) {
}
