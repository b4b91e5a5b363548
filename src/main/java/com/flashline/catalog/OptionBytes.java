package com.flashline.catalog;

import java.util.HexFormat;

/**
 * Option bytes a recipe programs after the image: {@code hex} is the raw block (two hex digits
 * per byte, device order) written at {@code address} (e.g. 0x1FFFC000 on STM32F4).
 */
public record OptionBytes(long address, String hex) {

    public byte[] bytes() {
        return HexFormat.of().parseHex(hex);
    }
}
