package com.flashline.audit;

import static com.flashline.support.Fixtures.TESTER;
import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.FlashLineApplication;
import com.flashline.support.FlashLineSpringTest;
import com.flashline.support.PostgresSpringTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Two stations (two Spring contexts, as two processes would be) append to one PostgreSQL schema
 * at once: their records form one chain, in commit order, without a gap.
 */
@PostgresSpringTest
class AuditChainTwoStationsPostgresTest {

    static final int PER_THREAD = 30;
    static final int THREADS_PER_STATION = 3;

    @Autowired
    AuditLog stationA;
    @Autowired
    AuditVerifier verifier;
    @Autowired
    Environment environment;

    @Test
    void twoStationsOnOneDatabaseWriteOneChain() throws Exception {
        try (ConfigurableApplicationContext other = secondStation()) {
            AuditLog stationB = other.getBean(AuditLog.class);
            long start = stationA.head().seq();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_STATION);
            try {
                List<Future<Void>> writers = new ArrayList<>();
                for (int t = 0; t < THREADS_PER_STATION; t++) {
                    writers.add(pool.submit(writer(stationA, go)));
                    writers.add(pool.submit(writer(stationB, go)));
                }
                go.countDown();
                for (Future<Void> writer : writers) {
                    writer.get(2, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            int total = 2 * THREADS_PER_STATION * PER_THREAD;
            List<AuditRecord> written = stationA.after(start, AuditLog.MAX_PAGE).records();
            assertThat(written).extracting(AuditRecord::seq)
                    .containsExactlyElementsOf(LongStream.rangeClosed(start + 1, start + total).boxed().toList());
            Set<String> stations = written.stream().map(AuditRecord::stationId).collect(Collectors.toSet());
            assertThat(stations).containsExactlyInAnyOrder("test-station", "station-b");

            AuditVerification fromA = verifier.verify();
            assertThat(fromA.valid()).isTrue();
            assertThat(fromA.headSeq()).isEqualTo(start + total);
            assertThat(other.getBean(AuditVerifier.class).verify()).isEqualTo(fromA);
        }
    }

    private static Callable<Void> writer(AuditLog log, CountDownLatch go) {
        return () -> {
            go.await();
            for (int i = 0; i < PER_THREAD; i++) {
                log.append(AuditEntry.of(AuditType.RECIPE_CHANGED, TESTER).detail("append " + i).build());
            }
            return null;
        };
    }

    /** A second station on this test's schema, without a web server. */
    private ConfigurableApplicationContext secondStation() {
        return new SpringApplicationBuilder(FlashLineApplication.class)
                .web(WebApplicationType.NONE)
                .profiles("test")
                // Arguments, which win over the test profile's own (H2) datasource.
                .run("--" + FlashLineSpringTest.ONLY_CLASSPATH_CONFIG,
                        "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                        "--spring.datasource.username=" + environment.getProperty("spring.datasource.username", ""),
                        "--spring.datasource.password=" + environment.getProperty("spring.datasource.password", ""),
                        "--spring.flyway.schemas=" + environment.getProperty("flashline.test.schema"),
                        "--flashline.station.id=station-b");
    }
}
