package com.flashline.usb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StringDescriptorsTest {

    private static byte[] descriptor(String text) {
        byte[] units = text.getBytes(StandardCharsets.UTF_16LE);
        byte[] d = new byte[units.length + 2];
        d[0] = (byte) d.length;
        d[1] = 3;
        System.arraycopy(units, 0, d, 2, units.length);
        return d;
    }

    @Test
    void decodesACompleteDescriptor() {
        byte[] d = descriptor("STM32  BOOTLOADER");
        assertThat(StringDescriptors.decode(d, d.length)).isEqualTo("STM32  BOOTLOADER");
    }

    @Test
    void anOddLengthDropsTheHalfCodeUnit() {
        byte[] d = descriptor("3276385A3336");
        byte[] cut = Arrays.copyOf(d, d.length - 1);
        assertThat(StringDescriptors.decode(cut, cut.length)).isEqualTo("3276385A333");
    }

    @Test
    void aBLengthLargerThanWhatArrivedDecodesWhatArrived() {
        byte[] d = descriptor("@Internal Flash  /0x08000000/04*016Kg");
        byte[] buffer = Arrays.copyOf(d, 255);
        assertThat(StringDescriptors.decode(buffer, 20)).isEqualTo("@Internal");
    }

    @Test
    void extraBytesBeyondBLengthAreIgnored() {
        byte[] d = descriptor("AB");
        byte[] buffer = Arrays.copyOf(d, 20);
        Arrays.fill(buffer, d.length, 20, (byte) 'x');
        assertThat(StringDescriptors.decode(buffer, 20)).isEqualTo("AB");
    }

    @Test
    void somethingElseIsNoString() {
        assertThat(StringDescriptors.decode(new byte[] {18, 1, 0, 2}, 4)).isNull();
        assertThat(StringDescriptors.decode(new byte[] {2}, 1)).isNull();
        assertThat(StringDescriptors.decode(new byte[] {2, 3}, 2)).isEmpty();
    }

    @Test
    void languageListYieldsItsFirstEntryOrUsEnglish() {
        assertThat(StringDescriptors.firstLanguage(new byte[] {6, 3, 0x07, 0x04, 0x09, 0x04}, 6)).isEqualTo(0x0407);
        assertThat(StringDescriptors.firstLanguage(new byte[] {2, 3}, 2)).isEqualTo(0x0409);
        assertThat(StringDescriptors.firstLanguage(new byte[0], 0)).isEqualTo(0x0409);
    }
}
