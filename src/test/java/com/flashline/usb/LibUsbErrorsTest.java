package com.flashline.usb;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.dfu.ControlSetup;
import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.StallException;
import com.flashline.dfu.TransferTimeoutException;
import com.flashline.dfu.TransportIoException;
import org.junit.jupiter.api.Test;
import org.usb4java.LibUsb;

class LibUsbErrorsTest {

    private static final ControlSetup GETSTATUS = DfuRequest.GETSTATUS.setup(0, 0, 6);

    @Test
    void theFourOutcomesTheEngineTellsApart() {
        assertThat(LibUsbErrors.toException(LibUsb.ERROR_NO_DEVICE, "GETSTATUS", GETSTATUS))
                .isInstanceOf(DeviceGoneException.class);
        assertThat(LibUsbErrors.toException(LibUsb.ERROR_PIPE, "GETSTATUS", GETSTATUS))
                .isInstanceOf(StallException.class);
        assertThat(LibUsbErrors.toException(LibUsb.ERROR_TIMEOUT, "GETSTATUS", GETSTATUS))
                .isInstanceOf(TransferTimeoutException.class);
        for (int code : new int[] {LibUsb.ERROR_IO, LibUsb.ERROR_OVERFLOW, LibUsb.ERROR_BUSY, LibUsb.ERROR_OTHER, -1234}) {
            assertThat(LibUsbErrors.toException(code, "GETSTATUS", GETSTATUS)).as("code %d", code)
                    .isInstanceOf(TransportIoException.class);
        }
    }

    @Test
    void theExceptionNamesTheRequestAndTheLibusbError() {
        var e = LibUsbErrors.toException(LibUsb.ERROR_OVERFLOW, "control transfer", GETSTATUS);
        assertThat(e.setup()).isEqualTo(GETSTATUS);
        assertThat(e.request()).isEqualTo(DfuRequest.GETSTATUS);
        assertThat(e.getMessage()).contains("control transfer", "LIBUSB_ERROR_OVERFLOW", "GETSTATUS");
    }

    @Test
    void checkPassesCountsAndThrowsOnErrors() {
        assertThat(LibUsbErrors.check(6, "read")).isEqualTo(6);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LibUsbErrors.check(LibUsb.ERROR_ACCESS, "open device"))
                .isInstanceOf(TransportIoException.class).hasMessageContaining("open device").hasMessageContaining("udev");
    }
}
