package com.flashline.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.flashline.firmware.FirmwareFormat;
import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.Segment;
import com.flashline.firmware.TestFirmwareWriters;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A stored firmware is flashed as its upload was read, and parsed once while it is in use. */
class FirmwareImagesTest {

    private static final byte[] CODE = {1, 2, 3, 4, 5, 6, 7, 8};
    private static final byte[] HEX = TestFirmwareWriters.intelHex(List.of(new Segment(0x0800_0000L, CODE)), 16,
            false, false);

    @Test
    void aStoredRawBinaryIsReadAtTheBaseAddressItWasUploadedWith() {
        FirmwareImage uploaded = FirmwareImages.read(CODE, "app.bin", 0x0800_4000L);
        FirmwareImage stored = FirmwareImages.read(stored(1, uploaded, "app.bin", 0x0800_4000L), CODE);

        assertThat(stored.segments()).singleElement().satisfies(s -> {
            assertThat(s.address()).isEqualTo(0x0800_4000L);
            assertThat(s.data()).isEqualTo(CODE);
        });
        assertThat(stored.contentSha256()).isEqualTo(uploaded.contentSha256());
    }

    @Test
    void aStoredFirmwareIsReadInTheFormatItWasStoredWithNotTheOneDetectedNow() {
        assertThat(FirmwareImages.read(HEX, "app.bin", 0x0800_0000L).format()).isEqualTo(FirmwareFormat.INTEL_HEX);

        // As if stored as a raw binary by a version whose detection said so: it stays one.
        Firmware storedAsBinary = new Firmware(1, "app.bin", null, FirmwareFormat.BIN.name(), "app.bin", null, null,
                HEX.length, HEX.length, 0x0800_0000L, Instant.EPOCH, List.of(), "tester");
        FirmwareImage stored = FirmwareImages.read(storedAsBinary, HEX);
        assertThat(stored.format()).isEqualTo(FirmwareFormat.BIN);
        assertThat(stored.segments()).singleElement().satisfies(s -> assertThat(s.data()).isEqualTo(HEX));
    }

    @Test
    void aStoredFirmwareIsParsedOnceUntilOthersPushItOutOfTheCache() {
        FirmwareCatalog catalog = mock(FirmwareCatalog.class);
        FirmwareImage uploaded = FirmwareImages.read(HEX, "app.hex", null);
        for (long id = 1; id <= FirmwareImages.CACHED_IMAGES + 1; id++) {
            when(catalog.content(id)).thenReturn(HEX);
        }
        FirmwareImages images = new FirmwareImages(catalog);

        FirmwareImage first = images.image(stored(1, uploaded, "app.hex", null));
        assertThat(images.image(stored(1, uploaded, "app.hex", null))).isSameAs(first);
        verify(catalog, times(1)).content(1);

        for (long id = 2; id <= FirmwareImages.CACHED_IMAGES + 1; id++) {
            images.image(stored(id, uploaded, "app.hex", null));
        }
        images.image(stored(1, uploaded, "app.hex", null));
        verify(catalog, times(2)).content(1);
    }

    private static Firmware stored(long id, FirmwareImage image, String fileName, Long baseAddress) {
        return new Firmware(id, fileName, null, image.format().name(), fileName, image.fileSha256(),
                image.contentSha256(), 0, 0, baseAddress, Instant.EPOCH, List.of(), "tester");
    }
}
