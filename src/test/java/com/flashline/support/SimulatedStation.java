package com.flashline.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.flashline.catalog.CreateRecipeRequest;
import com.flashline.catalog.Firmware;
import com.flashline.catalog.FirmwareCatalog;
import com.flashline.catalog.RecipeService;
import com.flashline.device.SimulatedFixture;
import com.flashline.job.JobService;
import com.flashline.job.JobView;
import com.flashline.station.StationService;
import com.flashline.station.UpdateStationRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What the tests of a {@link SimulatedStationTest} station do around their boards: empty the
 * fixture, upload an application, wait for jobs. Ports are shared by the test classes of that
 * context, so each test looks only at the jobs queued since it began.
 */
@Component
public class SimulatedStation {

    public static final long FLASH = Fixtures.FLASH;
    /** The guard against a hung job, not a performance expectation. */
    public static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

    private final ObjectProvider<SimulatedFixture> fixture;
    private final ObjectProvider<GatedClock> clock;
    private final StationService station;
    private final JobService jobs;
    private final FirmwareCatalog catalog;
    private final RecipeService recipes;

    SimulatedStation(ObjectProvider<SimulatedFixture> fixture, ObjectProvider<GatedClock> clock, StationService station,
            JobService jobs, FirmwareCatalog catalog, RecipeService recipes) {
        this.fixture = fixture;
        this.clock = clock;
        this.station = station;
        this.jobs = jobs;
        this.catalog = catalog;
        this.recipes = recipes;
    }

    /** The gate open, auto-start off, every simulated port empty. */
    public void reset() {
        clock.getObject().open();
        station.update(new UpdateStationRequest(null, false), Fixtures.TESTER);
        SimulatedFixture boards = fixture.getObject();
        boards.ports().forEach(boards::unplug);
    }

    /** A raw binary at the flash start, under a unique name. */
    public Firmware upload(byte[] image) {
        return catalog.upload(image, Fixtures.unique("app") + ".bin", null, "1.0.0", FLASH, Fixtures.TESTER);
    }

    /** A recipe with the defaults (sector erase, verify, leave) for {@code image} uploaded as {@link #upload}. */
    public long recipe(byte[] image) {
        return recipes.create(new CreateRecipeRequest(Fixtures.unique("recipe"), upload(image).id(), null, null, null,
                null, null, null), Fixtures.TESTER).id();
    }

    public JobView awaitFinal(long jobId) {
        await().atMost(JOB_TIMEOUT).until(() -> jobs.get(jobId).state().terminal());
        return jobs.get(jobId);
    }

    /** Waits until {@code port} has {@code count} jobs queued since {@code since} and the newest is final. */
    public JobView awaitOnlyJob(String port, int count, Instant since) {
        await().atMost(JOB_TIMEOUT).until(() -> {
            List<JobView> on = jobsOn(port, since);
            return on.size() >= count && on.get(0).state().terminal();
        });
        List<JobView> on = jobsOn(port, since);
        assertThat(on).as("jobs on %s", port).hasSize(count);
        return on.get(0);
    }

    /** The jobs on {@code port} queued since {@code since}, newest first. */
    public List<JobView> jobsOn(String port, Instant since) {
        return jobs.search(null, port, null, 0, 100).items().stream()
                .filter(j -> !j.queuedAt().isBefore(since))
                .toList();
    }

    /** Random program bytes behind a vector table the ROM accepts (stack in RAM, reset handler in flash). */
    public static byte[] applicationImage(int size, long seed) {
        byte[] image = new byte[size];
        new Random(seed).nextBytes(image);
        ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0x2002_0000).putInt(4, 0x0800_0189);
        return image;
    }
}
