package com.flashline.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;

import com.flashline.audit.AuditVerifier;
import com.flashline.support.FlashLineSpringTest;
import com.flashline.support.Prerequisites;
import com.flashline.support.SimulatedStation;
import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * Issue 16, row 3: the disk under the H2 file database fills up. The station runs in-process on
 * an H2 file (with the product's own URL settings) in a 24 MiB tmpfs the test mounts; a filler
 * file then takes the rest of it. Promised, and what "a clear error" means:
 * <ul>
 * <li>REST: a request that has to write answers 503 {@code DATABASE_UNAVAILABLE}, whose detail
 * quotes the cause ("No space left on device"), never a 500 or a success that is not stored;</li>
 * <li>health: {@code /actuator/health} is 503 with {@code database} DOWN and the same reason;</li>
 * <li>no corrupt database: everything acknowledged before is still there, the audit chain
 * verifies, and nothing acknowledged during the outage is missing afterwards;</li>
 * <li>recovery: once the filler is deleted, health is UP again and writes succeed, without a
 * restart.</li>
 * </ul>
 * Needs {@code mount -t tmpfs} (root, as in CI): skipped with the reason elsewhere, failed under
 * {@code CI=true}.
 */
@FlashLineSpringTest
@DirtiesContext
class DiskFullH2IT {

    static Path mount;

    @Autowired
    MockMvc mvc;
    @Autowired
    AuditVerifier verifier;
    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void h2OnASmallDisk(DynamicPropertyRegistry registry) throws Exception {
        mount = Files.createTempDirectory("flashline-diskfull-");
        String failed = run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mount.toString());
        if (failed != null) {
            Files.deleteIfExists(mount);
            Prerequisites.require("cannot mount a small tmpfs for the disk-full test (needs root): " + failed);
        }
        unmountAtExit(mount);
        String url = "jdbc:h2:file:" + mount.resolve("flashline") + productUrlSettings();
        registry.add("spring.datasource.url", () -> url);
    }

    /** The settings of the product's default H2 URL (";LOCK_TIMEOUT=...;WRITE_DELAY=0"), so this tests what ships. */
    static String productUrlSettings() throws IOException {
        String yml = new ClassPathResource("application.yml").getContentAsString(StandardCharsets.UTF_8);
        Matcher url = Pattern.compile("url: jdbc:h2:file:\\./data/flashline(;\\S+)").matcher(yml);
        assertThat(url.find()).as("the default H2 URL in application.yml").isTrue();
        return url.group(1);
    }

    /**
     * The context (and H2 in it) closes after this class's {@code @AfterAll}, and H2 may still write
     * there (its trace file): the tmpfs is unmounted and the directory removed when the JVM ends.
     */
    static void unmountAtExit(Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            run("umount", "-l", dir.toString());
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary directory left behind is not a test failure
            }
        }, "diskfull-unmount"));
    }

    @Test
    void aFullDiskGivesAClearErrorLosesNothingAndRecovers() throws Exception {
        assertThat(productUrlSettings()).contains("WRITE_DELAY=0");
        List<Long> stored = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            MvcResult ok = upload(i);
            assertThat(ok.getResponse().getStatus()).isEqualTo(201);
            stored.add(((Number) JsonPath.read(ok.getResponse().getContentAsString(), "$.id")).longValue());
        }
        assertThat(healthStatus()).isEqualTo(200);

        Path filler = mount.resolve("filler");
        long fillerBytes = fill(filler);

        // Uploads until the first refused one; each answer is a success that is stored, or the clear error.
        MvcResult refused = null;
        int acknowledged = 0;
        for (int i = 100; i < 400 && refused == null; i++) {
            MvcResult result = upload(i);
            int status = result.getResponse().getStatus();
            if (status == 201) {
                acknowledged++;
                stored.add(((Number) JsonPath.read(result.getResponse().getContentAsString(), "$.id")).longValue());
            } else {
                refused = result;
            }
        }
        assertThat(refused).as("an upload refused while the disk is full").isNotNull();
        String body = refused.getResponse().getContentAsString();
        assertThat(refused.getResponse().getStatus()).as(body).isEqualTo(503);
        assertThat((String) JsonPath.read(body, "$.code")).isEqualTo("DATABASE_UNAVAILABLE");
        assertThat((String) JsonPath.read(body, "$.detail")).contains("No space left on device");

        await().atMost(Duration.ofSeconds(10)).until(() -> healthStatus() == 503);
        String health = mvc.perform(get("/actuator/health")).andReturn().getResponse().getContentAsString();
        assertThat((String) JsonPath.read(health, "$.components.database.status")).isEqualTo("DOWN");
        assertThat((String) JsonPath.read(health, "$.components.database.details.reason"))
                .contains("No space left on device");
        String stillRefused = upload(999).getResponse().getContentAsString();
        assertThat((String) JsonPath.read(stillRefused, "$.code")).isEqualTo("DATABASE_UNAVAILABLE");

        // Space returns.
        Files.delete(filler);
        long recoveredAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> healthStatus() == 200);
        long recoveryMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - recoveredAt);
        // In the test's thread: the signed-in test user is a thread-local security context.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(600)).pollInSameThread().untilAsserted(() -> {
            MvcResult after = upload(5000);
            assertThat(after.getResponse().getStatus()).as(after.getResponse().getContentAsString()).isEqualTo(201);
        });

        // Nothing acknowledged is missing, and the chain of records holds.
        for (long id : stored) {
            assertThat(mvc.perform(get("/api/v1/firmware/{id}", id)).andReturn().getResponse().getStatus())
                    .as("firmware %d acknowledged before or during the outage", id).isEqualTo(200);
        }
        assertThat(verifier.verify().valid()).isTrue();
        Long auditRows = jdbc.queryForObject("SELECT COUNT(*) FROM audit_record WHERE type = 'FIRMWARE_UPLOADED'", Long.class);
        assertThat(auditRows).isGreaterThanOrEqualTo(stored.size());

        System.out.printf("[row 3] H2 file on a 24 MiB tmpfs, filler %d bytes: %d uploads acknowledged after the"
                + " filler, then 503 DATABASE_UNAVAILABLE (\"%s\"), health DOWN; after deleting the filler health UP"
                + " in %d ms and writes succeed; %d acknowledged uploads all present, audit chain valid%n",
                fillerBytes, acknowledged, JsonPath.read(body, "$.detail"), recoveryMs, stored.size());
    }

    private MvcResult upload(int seed) throws Exception {
        byte[] image = SimulatedStation.applicationImage(64 * 1024, seed);
        return mvc.perform(multipart("/api/v1/firmware")
                .file(new MockMultipartFile("file", "disk-" + seed + ".bin", "application/octet-stream", image))
                .param("baseAddress", String.valueOf(SimulatedStation.FLASH)).with(csrf())).andReturn();
    }

    private int healthStatus() throws Exception {
        return mvc.perform(get("/actuator/health")).andReturn().getResponse().getStatus();
    }

    /** Writes zeros until the file system is full; returns how many bytes that took. */
    private static long fill(Path filler) {
        long written = 0;
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
                written += block.length;
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left on device");
        }
        return written;
    }

    /** Null when the command succeeded, else its output. */
    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor() == 0 ? null : String.join(" ", command) + ": " + output.strip();
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
