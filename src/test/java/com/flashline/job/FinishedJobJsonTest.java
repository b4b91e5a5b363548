package com.flashline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashline.flashing.Phase;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/** A finished job's JSON written from what was kept is the JSON Jackson writes, and only then. */
class FinishedJobJsonTest {

    private static final Instant QUEUED_AT = Instant.parse("2026-01-01T00:00:00.123456Z");

    private final JsonMapper plain = JsonMapper.builder().build();
    private final FinishedJobJson module = new FinishedJobJson();
    private final JsonMapper keeping = JsonMapper.builder().addModule(module).build();

    static JobView job(long id, JobState state, List<JobView.PhaseTiming> phases, JobView.Error error) {
        return new JobView(id, "station-" + id, "1-4." + id, "SN-" + id, "0123456789ABCDEF01234567", "HELD_STATUS", 3,
                4, "c".repeat(64), state, Phase.VERIFY, 1024, 2048, 2, "FL-" + id, false, QUEUED_AT,
                QUEUED_AT.plusMillis(1500), state.terminal() ? QUEUED_AT.plusSeconds(3) : null,
                state.terminal() ? 2877L : null, phases, error, "system", null, "WO-1", "LOT-1");
    }

    static JobView failed(long id) {
        return job(id, JobState.FAILED, List.of(new JobView.PhaseTiming(Phase.CONNECT, 1, 12),
                        new JobView.PhaseTiming(Phase.VERIFY, 2, 340)),
                new JobView.Error("VERIFY_MISMATCH", "read back 0xff, wrote 0x00", 0x0800_0010L));
    }

    /** Views whose JSON has every kind of value: nulls, escapes, non-ASCII, a lone surrogate, no phases. */
    static List<JobView> finishedViews() {
        List<JobView> views = new ArrayList<>();
        views.add(failed(1));
        views.add(job(2, JobState.PASSED, List.of(), null));
        views.add(job(3, JobState.CANCELLED, List.of(), new JobView.Error("CANCELLED", null, null)));
        views.add(job(4, JobState.INTERRUPTED, List.of(new JobView.PhaseTiming(Phase.ERASE, 1, 0)),
                new JobView.Error("DEVICE_GONE", "quote \" backslash \\ slash / tab \t nul \u0000 line\u2028"
                        + " é € 😀 lone \uD83D end", null)));
        views.add(new JobView(5, "s", "1-1", null, null, null, 1, 1, "x", JobState.FAILED, null, 0, 0, 0, null, true,
                QUEUED_AT, null, QUEUED_AT, null, List.of(), null, "a", "b", null, null));
        return views;
    }

    private byte[] plainly(Object value) {
        return plain.writeValueAsBytes(value);
    }

    @Test
    void keptJsonIsByteForByteWhatJacksonWrites() {
        for (JobView view : finishedViews()) {
            long hits = module.hits();
            assertThat(keeping.writeValueAsBytes(view)).as("first write of %s", view.id()).isEqualTo(plainly(view));
            assertThat(module.hits()).isEqualTo(hits);
            assertThat(keeping.writeValueAsBytes(view)).as("kept write of %s", view.id()).isEqualTo(plainly(view));
            assertThat(module.hits()).as("written from what was kept").isEqualTo(hits + 1);
        }
    }

    @Test
    void aPageOfKeptAndLiveJobsIsWhatJacksonWrites() {
        List<JobView> items = new ArrayList<>(finishedViews());
        items.add(1, job(10, JobState.RUNNING, List.of(new JobView.PhaseTiming(Phase.CONNECT, 1, 5)), null));
        items.add(job(11, JobState.QUEUED, List.of(), null));
        JobPage page = new JobPage(items, 0, 50, items.size(), 1);

        assertThat(keeping.writeValueAsBytes(page)).isEqualTo(plainly(page));
        assertThat(keeping.writeValueAsBytes(page)).isEqualTo(plainly(page));

        assertThat(module.hits()).isEqualTo(finishedViews().size());
        assertThat(module.kept()).isEqualTo(finishedViews().size());
    }

    @Test
    void aFinishedJobThatDiffersFromTheKeptOneIsWrittenAfresh() {
        JobView first = failed(7);
        keeping.writeValueAsBytes(first);
        List<JobView> changed = List.of(
                job(7, JobState.FAILED, List.of(new JobView.PhaseTiming(Phase.CONNECT, 1, 12)), first.error()),
                job(7, JobState.FAILED, first.phases(), new JobView.Error("VERIFY_MISMATCH", "other", 0x0800_0010L)),
                job(7, JobState.PASSED, first.phases(), null));

        for (JobView view : changed) {
            assertThat(keeping.writeValueAsBytes(view)).isEqualTo(plainly(view));
        }
        assertThat(module.hits()).isZero();
        // the kept JSON is now the last view's
        assertThat(keeping.writeValueAsBytes(changed.get(2))).isEqualTo(plainly(changed.get(2)));
        assertThat(module.hits()).isEqualTo(1);
    }

    @Test
    void theListAViewWasBuiltFromCannotChangeItsKeptJson() {
        List<JobView.PhaseTiming> phases = new ArrayList<>(List.of(new JobView.PhaseTiming(Phase.CONNECT, 1, 12)));
        JobView view = job(8, JobState.PASSED, phases, null);
        keeping.writeValueAsBytes(view);

        phases.add(new JobView.PhaseTiming(Phase.ERASE, 1, 99));
        JobView withMorePhases = job(8, JobState.PASSED, phases, null);

        assertThat(view.phases()).hasSize(1);
        assertThat(keeping.writeValueAsBytes(withMorePhases)).isEqualTo(plainly(withMorePhases));
        assertThat(module.hits()).isZero();
    }

    @Test
    void liveJobsAreNeverKept() {
        for (JobState live : JobState.LIVE) {
            JobView view = job(20, live, List.of(new JobView.PhaseTiming(Phase.CONNECT, 1, 5)), null);
            for (int i = 0; i < 3; i++) {
                assertThat(keeping.writeValueAsBytes(view)).isEqualTo(plainly(view));
            }
        }
        assertThat(module.kept()).isZero();
        assertThat(module.hits()).isZero();
    }

    @Test
    void atMostTheCapacityIsKeptTheLeastRecentlyWrittenDroppedFirst() {
        FinishedJobJson small = new FinishedJobJson(3);
        JsonMapper mapper = JsonMapper.builder().addModule(small).build();
        for (long id = 1; id <= 3; id++) {
            mapper.writeValueAsBytes(failed(id));
        }
        mapper.writeValueAsBytes(failed(1)); // job 2 is now the least recently written
        mapper.writeValueAsBytes(failed(4));
        assertThat(small.kept()).isEqualTo(3);
        assertThat(small.hits()).isEqualTo(1);

        mapper.writeValueAsBytes(failed(1));
        mapper.writeValueAsBytes(failed(3));
        assertThat(small.hits()).as("jobs 1 and 3 were kept").isEqualTo(3);
        mapper.writeValueAsBytes(failed(2));
        assertThat(small.hits()).as("job 2 was dropped").isEqualTo(3);

        for (long id = 5; id <= 100; id++) {
            mapper.writeValueAsBytes(failed(id));
        }
        assertThat(small.kept()).isEqualTo(3);
    }

    @Test
    void theCacheRefusesALiveJob() {
        FinishedJobJson.Cache cache = new FinishedJobJson.Cache(1);
        assertThatThrownBy(() -> cache.put(job(1, JobState.RUNNING, List.of(), null), null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FinishedJobJson.Cache(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void otherSettingsGetTheirOwnJsonNotTheKeptOne() {
        JobView view = failed(30);
        keeping.writeValueAsBytes(view);

        assertThat(keeping.writer().with(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsBytes(view))
                .isEqualTo(plain.writer().with(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsBytes(view));
        assertThat(keeping.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsBytes(finishedViews().get(3)))
                .isEqualTo(plain.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII)
                        .writeValueAsBytes(finishedViews().get(3)));
        assertThat(keeping.writerWithDefaultPrettyPrinter().writeValueAsString(view))
                .isEqualTo(plain.writerWithDefaultPrettyPrinter().writeValueAsString(view));
        assertThat(keeping.valueToTree(view).toString()).isEqualTo(plain.valueToTree(view).toString());
        assertThat(keeping.writeValueAsString(view)).isEqualTo(plain.writeValueAsString(view));
        assertThat(module.hits()).isZero();
    }

    @Test
    void aGeneratorWithItsOwnEscapingGetsItsOwnJson() {
        JobView view = finishedViews().get(3);
        keeping.writeValueAsBytes(view);
        JsonFactory escaping = JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

        assertThat(writtenWith(keeping, escaping, view)).isEqualTo(writtenWith(plain, escaping, view));
        assertThat(module.hits()).isZero();
    }

    private static byte[] writtenWith(JsonMapper mapper, JsonFactory factory, JobView view) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = factory.createGenerator(ObjectWriteContext.empty(), out)) {
            mapper.writeValue(generator, view);
        }
        return out.toByteArray();
    }
}
