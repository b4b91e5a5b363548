package com.flashline.usb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.TransportIoException;
import com.flashline.dfu.UsbDeviceInfo;
import com.flashline.usb.emulation.ProbeProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsbDeviceWatcherLifecycleTest {

    private static final DeviceListener IGNORE = new DeviceListener() {
        @Override
        public void arrived(UsbDeviceInfo info) {
        }

        @Override
        public void removed(String portPath) {
        }
    };

    @Test
    void aWatcherWithNothingPluggedOpensNothingAndClosesCleanly() {
        UsbDeviceWatcher watcher = UsbDeviceWatcher.start(UsbDeviceWatcher.Settings.stmBootloader(), IGNORE);
        try {
            if (watcher.status().isUp()) {
                assertThatThrownBy(() -> watcher.open("9-9.9")).isInstanceOf(DeviceGoneException.class)
                        .hasMessageContaining("0483:df11").hasMessageContaining("9-9.9");
            }
            assertThatThrownBy(() -> watcher.open("not a port")).isInstanceOf(IllegalArgumentException.class);
        } finally {
            watcher.close();
        }
        assertThat(watcher.status().state()).isEqualTo(UsbStatus.State.DOWN);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive() && t.getName().startsWith("usb-"));
        watcher.close();
        assertThatThrownBy(() -> watcher.open("1-4")).isInstanceOf(TransportIoException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void whenTheNativeLibraryCannotLoadTheWatcherIsDownWithTheReason() {
        // usb4java unpacks its native library into java.io.tmpdir; a directory that cannot exist stops it.
        try (ProbeProcess probe = ProbeProcess.start(Map.of(), Duration.ofSeconds(2),
                List.of("-Djava.io.tmpdir=/proc/no-such-dir"))) {
            String status = probe.awaitPrefix("status ");
            assertThat(status).startsWith("status DOWN hotplug=false libusb native library could not be loaded");
            assertThat(probe.call("open 1-4")).startsWith("error open 1-4 TransportIoException USB is unavailable");
        }
    }

    @Test
    void settingsRejectNonsense() {
        assertThatThrownBy(() -> new UsbDeviceWatcher.Settings(0x10000, 1, Duration.ofSeconds(1)))
                .hasMessageContaining("vid:pid");
        assertThatThrownBy(() -> new UsbDeviceWatcher.Settings(0x0483, 0xdf11, Duration.ZERO))
                .hasMessageContaining("rescan interval");
        assertThat(UsbDeviceWatcher.Settings.stmBootloader().rescanInterval()).isEqualTo(Duration.ofSeconds(2));
    }
}
