package com.flashline.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.flashline.config.FlashLineProperties;
import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.TransportIoException;
import com.flashline.dfu.UsbDeviceInfo;
import com.flashline.station.Departure;
import com.flashline.station.PortRegistry;
import com.flashline.usb.DeviceListener;
import com.flashline.usb.UsbStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class UsbDeviceSourceTest {

    private final PortRegistry registry = mock(PortRegistry.class);
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final FlashLineProperties.Usb usb = new FlashLineProperties.Usb(true, 0x0483, 0xdf11, Duration.ofSeconds(2));

    @Test
    void aWatcherThatCannotStartLeavesTheSourceDownWithTheReason() {
        UsbDeviceSource source = new UsbDeviceSource(usb, (settings, listener) -> {
            throw new UnsatisfiedLinkError("libusb4java native library not loadable");
        }, registry, clock);

        source.start();

        SourceHealth health = source.health();
        assertThat(health.up()).isFalse();
        assertThat(health.detail()).contains("could not start").contains("libusb4java native library not loadable");
        assertThatThrownBy(() -> source.open("1-4.2")).isInstanceOf(TransportIoException.class)
                .hasMessageContaining("USB is unavailable");
        source.stop();
    }

    @Test
    void aWatcherReportingLibusbDownMakesTheSourceDown() {
        UsbDeviceSource source = new UsbDeviceSource(usb,
                (settings, listener) -> new FakeWatcher(UsbStatus.down("libusb_init failed: LIBUSB_ERROR_ACCESS")),
                registry, clock);

        source.start();

        assertThat(source.health()).isEqualTo(SourceHealth.down("libusb_init failed: LIBUSB_ERROR_ACCESS"));
    }

    @Test
    void arrivalsAndRemovalsGoToThePortRegistryAndTheConnectorOpensThatBoard() {
        AtomicReference<DeviceListener> events = new AtomicReference<>();
        FakeWatcher watcher = new FakeWatcher(UsbStatus.up("hotplug"));
        UsbDeviceSource source = new UsbDeviceSource(usb, (settings, listener) -> {
            assertThat(settings.vendorId()).isEqualTo(0x0483);
            events.set(listener);
            return watcher;
        }, registry, clock);
        source.start();

        UsbDeviceInfo board = info("1-4.2", "3276345B3133");
        watcher.serial = "3276345B3133";
        events.get().arrived(board);
        verify(registry).deviceArrived(eq("1-4.2"), argThat(d -> d.usb().equals(board) && d.chipUid() == null));
        assertThat(source.health().up()).isTrue();
        assertThat(source.health().facts()).containsEntry("boards", 1L);

        var connector = source.connector("1-4.2");
        assertThat(connector.connect(Duration.ZERO).deviceInfo().serialNumber()).isEqualTo("3276345B3133");

        // After a reset the job asks again before libusb reported the departure: the port still
        // looks occupied, but by the enumeration that reset, so the connector waits for the next.
        assertThatThrownBy(() -> connector.connect(Duration.ZERO)).isInstanceOf(DeviceGoneException.class)
                .hasMessageContaining("no board came back on port 1-4.2");
        events.get().removed("1-4.2");
        verify(registry).deviceRemoved("1-4.2", Departure.UNKNOWN);
        assertThatThrownBy(() -> connector.connect(Duration.ZERO)).isInstanceOf(DeviceGoneException.class)
                .hasMessageContaining("no board came back");

        watcher.serial = "0000AAAA1111";
        events.get().arrived(info("1-4.2", "0000AAAA1111"));
        assertThat(connector.connect(Duration.ZERO).deviceInfo().serialNumber())
                .as("whose board came back, the pipeline judges by its UID").isEqualTo("0000AAAA1111");
    }

    @Test
    void theRegistryHearsOfAnArrivalBeforeAJobWaitingForItsBoardCanSeeIt() {
        AtomicReference<DeviceListener> events = new AtomicReference<>();
        UsbDeviceSource source = started(events);
        List<Object> boardsWhenTheRegistryHeard = new ArrayList<>();
        doAnswer(call -> boardsWhenTheRegistryHeard.add(source.health().facts().get("boards")))
                .when(registry).deviceArrived(eq("1-4.2"), any());

        events.get().arrived(info("1-4.2", "3276345B3133"));

        // Auto-start judges the arrival while the port's job still waits (and so still runs).
        assertThat(boardsWhenTheRegistryHeard).containsExactly(0L);
        assertThat(source.health().facts()).containsEntry("boards", 1L);
    }

    @Test
    void aDeviceOnAPathTheStationCannotRecordIsIgnored() {
        AtomicReference<DeviceListener> events = new AtomicReference<>();
        UsbDeviceSource source = started(events);

        events.get().arrived(info("1-1.2.3.4.5.6.7.8", "X"));

        verify(registry, never()).deviceArrived(any(), any());
    }

    /** A started source on a watcher whose USB is up, its events going to {@code events}. */
    private UsbDeviceSource started(AtomicReference<DeviceListener> events) {
        UsbDeviceSource source = new UsbDeviceSource(usb, (settings, listener) -> {
            events.set(listener);
            return new FakeWatcher(UsbStatus.up("hotplug"));
        }, registry, clock);
        source.start();
        return source;
    }

    private static UsbDeviceInfo info(String path, String serial) {
        return new UsbDeviceInfo(0x0483, 0xdf11, 0x2200, "STMicroelectronics", "STM32  BOOTLOADER", serial, path);
    }

    private static final class FakeWatcher implements UsbWatcher {
        final UsbStatus status;
        volatile String serial;

        FakeWatcher(UsbStatus status) {
            this.status = status;
        }

        @Override
        public UsbStatus status() {
            return status;
        }

        @Override
        public DfuTransport open(String portPath) {
            DfuTransport transport = mock(DfuTransport.class);
            when(transport.deviceInfo()).thenReturn(info(portPath, serial));
            return transport;
        }

        @Override
        public void close() {
        }
    }
}
