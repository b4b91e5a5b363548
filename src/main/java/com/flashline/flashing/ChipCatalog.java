package com.flashline.flashing;

/** Host-side knowledge of STM32 families (unique-ID address …), recognised from what a ROM reports. */
public final class ChipCatalog {
}
