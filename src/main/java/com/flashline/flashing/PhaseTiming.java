package com.flashline.flashing;

import java.time.Duration;

public record PhaseTiming(Phase phase, Duration duration) {
}
