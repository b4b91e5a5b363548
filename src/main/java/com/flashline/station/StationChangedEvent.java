package com.flashline.station;

/** The station's settings changed (default recipe, auto-start); published inside the changing transaction. */
public record StationChangedEvent(StationSettings settings) {
}
