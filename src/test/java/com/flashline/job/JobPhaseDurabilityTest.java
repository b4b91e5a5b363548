package com.flashline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's phase is on disk as soon as the worker entered it, on an H2 file database too: a JVM
 * that dies (halt, as under SIGKILL) right after the statement returned comes back with the job in that phase,
 * and with the timing of the phase before it, committed in the same transaction. H2
 * by default writes commits to its file up to 500 ms later, so without
 * {@link com.flashline.config.H2CommitDurability} the job came back in an earlier phase or none.
 */
class JobPhaseDurabilityTest {

    @TempDir
    Path directory;

    @Test
    void aPhaseEnteredJustBeforeAKillIsTheOneRecorded() throws Exception {
        String url = "jdbc:h2:file:" + directory.resolve("flashline").toAbsolutePath() + ";LOCK_TIMEOUT=10000";
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), PhaseThenKilled.class.getName(), url)
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.equals("IN WRITE")) {
                seen.append(line).append('\n');
            }
            assertThat(line).as("the child's output:\n%s", seen).isEqualTo("IN WRITE");
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as("halted right after the statement").isEqualTo(137);
        assertThat(Files.exists(directory.resolve("flashline.mv.db"))).isTrue();
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                ResultSet row = connection.createStatement().executeQuery("SELECT state, phase, poll_policy FROM job WHERE id = 1")) {
            assertThat(row.next()).as("the job row survived the kill").isTrue();
            assertThat(row.getString("state")).isEqualTo("RUNNING");
            assertThat(row.getString("phase")).isEqualTo("WRITE");
            assertThat(row.getString("poll_policy")).as("written with ERASE, kept by WRITE").isEqualTo("HELD_STATUS");
        }
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                ResultSet row = connection.createStatement().executeQuery(
                        "SELECT name, duration_ms FROM job_phase WHERE job_id = 1 ORDER BY seq")) {
            assertThat(row.next()).as("the timing committed with the phase survived the kill too").isTrue();
            assertThat(row.getString("name")).isEqualTo("ERASE");
            assertThat(row.getLong("duration_ms")).isEqualTo(42);
            assertThat(row.next()).isFalse();
        }
    }
}
