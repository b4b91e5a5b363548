package com.flashline.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.flashline.config.FlashLineProperties;
import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.VirtualClock;
import com.flashline.job.JobFinishedEvent;
import com.flashline.job.JobState;
import com.flashline.job.JobView;
import com.flashline.sim.Fault;
import com.flashline.sim.SimOptions;
import com.flashline.sim.SimulatedStm32;
import com.flashline.station.Departure;
import com.flashline.station.PortRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.springframework.scheduling.TaskScheduler;

class SimulatedFixtureTest {

    private final PortRegistry registry = mock(PortRegistry.class);
    private final TaskScheduler scheduler = mock(TaskScheduler.class);
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private SimulatedFixture fixture(int ports, Duration replaceAfter) {
        FlashLineProperties.Simulator settings = new FlashLineProperties.Simulator(true, ports, "stm32f407", 1.0,
                "sim-", SimOptions.StatusTiming.ACCURATE, SimOptions.BlockAddressing.REQUEST_LENGTH, false,
                replaceAfter, 0);
        return new SimulatedFixture(settings, new VirtualClock(), registry, scheduler, clock);
    }

    @Test
    void everyBoardIsUniqueAndArrivesWithItsUsbIdentityAndLayouts() {
        SimulatedFixture fixture = fixture(8, Duration.ZERO);
        fixture.start();

        Set<String> serials = new HashSet<>();
        for (String port : fixture.ports()) {
            serials.add(fixture.plug(port).serialNumber());
        }

        assertThat(fixture.ports()).containsExactly("sim-1", "sim-2", "sim-3", "sim-4", "sim-5", "sim-6", "sim-7",
                "sim-8");
        assertThat(serials).hasSize(8);
        verify(registry).deviceArrived(eq("sim-3"), argThat(d -> d.usb().vidPid().equals("0483:df11")
                && d.usb().portPath().equals("sim-3") && d.memoryLayouts().get(0).name().equals("Internal Flash")));
        assertThat(fixture.health().up()).isTrue();
        assertThat(fixture.health().facts()).containsEntry("boardsInBootloader", 8L);
    }

    @Test
    void boardsPutOnAtOnceAreReportedOneAtATimeAsByTheUsbWatchersDispatchThread() throws Exception {
        SimulatedFixture fixture = fixture(2, Duration.ZERO);
        CountDownLatch firstReportStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstReport = new CountDownLatch(1);
        doAnswer(call -> {
            firstReportStarted.countDown();
            assertThat(releaseFirstReport.await(30, TimeUnit.SECONDS)).isTrue();
            return null;
        }).when(registry).deviceArrived(eq("sim-1"), any());
        ExecutorService requests = Executors.newFixedThreadPool(2);
        try {
            Future<SimulatedStm32> first = requests.submit(() -> fixture.plug("sim-1"));
            assertThat(firstReportStarted.await(30, TimeUnit.SECONDS)).isTrue();
            Thread[] second = new Thread[1];
            Future<SimulatedStm32> secondPlug = requests.submit(() -> {
                second[0] = Thread.currentThread();
                return fixture.plug("sim-2");
            });
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> second[0] != null && second[0].getState() == Thread.State.BLOCKED);
            verify(registry, never()).deviceArrived(eq("sim-2"), any());

            releaseFirstReport.countDown();
            first.get(30, TimeUnit.SECONDS);
            secondPlug.get(30, TimeUnit.SECONDS);
            InOrder order = inOrder(registry);
            order.verify(registry).deviceArrived(eq("sim-1"), any());
            order.verify(registry).deviceArrived(eq("sim-2"), any());
        } finally {
            releaseFirstReport.countDown();
            requests.shutdownNow();
        }
    }

    @Test
    void takingABoardOffIsAnUnplugAndAResetIsAReEnumeration() {
        SimulatedFixture fixture = fixture(2, Duration.ZERO);
        SimulatedStm32 board = fixture.plug("sim-1");
        DfuTransport transport = fixture.open("sim-1");
        board.inject(new Fault.DisconnectAtRequest(board.controlTransferCount() + 1, true));

        assertThatThrownBy(() -> transport.controlIn(DfuRequest.GETSTATUS.setup(0, 0,
                DfuRequest.STATUS_LENGTH), Duration.ofSeconds(1))).isInstanceOf(DeviceGoneException.class);
        fixture.unplug("sim-1");

        InOrder order = inOrder(registry);
        order.verify(registry).deviceArrived(eq("sim-1"), any());
        order.verify(registry).deviceRemoved("sim-1", Departure.UNKNOWN);
        order.verify(registry).deviceArrived(eq("sim-1"), any());
        order.verify(registry).deviceRemoved("sim-1", Departure.UNPLUGGED);
        assertThat(fixture.board("sim-1")).isEmpty();
        assertThatThrownBy(() -> fixture.plug("sim-9")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a simulated port");
    }

    @Test
    void theConnectorOpensTheBoardThereAndAfterAResetWaitsForTheNextArrival() {
        SimulatedFixture fixture = fixture(1, Duration.ZERO);
        SimulatedStm32 board = fixture.plug("sim-1");
        var connector = fixture.connector("sim-1");

        assertThat(connector.connect(Duration.ZERO).deviceInfo().serialNumber()).isEqualTo(board.serialNumber());
        assertThatThrownBy(() -> connector.connect(Duration.ZERO)).as("the board it opened is no arrival")
                .isInstanceOf(DeviceGoneException.class).hasMessageContaining("no board came back");
        fixture.unplug("sim-1");
        assertThatThrownBy(() -> connector.connect(Duration.ZERO)).isInstanceOf(DeviceGoneException.class)
                .hasMessageContaining("no board came back on port sim-1");
        SimulatedStm32 next = fixture.plug("sim-1");
        assertThat(connector.connect(Duration.ZERO).deviceInfo().serialNumber())
                .as("whose board came back, the pipeline judges by its UID").isEqualTo(next.serialNumber());
    }

    @Test
    void theSimulatedOperatorReplacesAFinishedBoardOnSchedule() {
        SimulatedFixture fixture = fixture(2, Duration.ofSeconds(4));
        fixture.start();
        SimulatedStm32 finished = fixture.plug("sim-2");
        List<Runnable> scheduled = new ArrayList<>();
        ArgumentCaptor<Instant> when = ArgumentCaptor.forClass(Instant.class);
        when(scheduler.schedule(any(Runnable.class), when.capture())).thenAnswer(call -> {
            scheduled.add(call.getArgument(0));
            return null;
        });

        fixture.onJobFinished(new JobFinishedEvent(job("sim-2")));
        assertThat(when.getValue()).isEqualTo(clock.instant().plusSeconds(4));
        scheduled.get(0).run();
        assertThat(fixture.board("sim-2")).isEmpty();
        assertThat(when.getValue()).isEqualTo(clock.instant().plusSeconds(2));
        scheduled.get(1).run();

        SimulatedStm32 fresh = fixture.board("sim-2").orElseThrow();
        assertThat(fresh).isNotSameAs(finished);
        assertThat(fresh.serialNumber()).isNotEqualTo(finished.serialNumber());
        verify(registry).deviceRemoved("sim-2", Departure.UNPLUGGED);
        verify(registry, times(2)).deviceArrived(eq("sim-2"), any());
    }

    private static JobView job(String port) {
        return new JobView(1, "s", port, null, null, null, 1, 1, "x", JobState.PASSED, null, 0, 0, 1, null, false,
                Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, 0L, List.of(), null, "tester", null, null, null);
    }
}
