package com.flashline.reliability;

import com.flashline.FlashLineApplication;
import com.flashline.device.SimulatedFixture;
import com.flashline.flashing.Phase;
import com.flashline.job.JobProgressEvent;
import com.flashline.job.JobService;
import com.flashline.job.JobView;
import com.flashline.support.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * The service as the child process of {@link ServiceKilledInEveryPhaseIT}: FlashLine with its
 * simulated fixture, plus two test hooks driven through a control directory
 * ({@code killtest.control}):
 * <ul>
 * <li>a file {@code plug-<port>} holding {@code <uid hex> [protected]} puts a board with that chip UID
 *     on the port (read-protected if asked), its flash holding an older program (so ERASE erases);
 *     the same UID in the next child is the same chip arriving again;</li>
 * <li>with {@code killtest.hold-phase} and {@code killtest.hold-port}, the job on that port stops in
 *     that phase: in ERASE, WRITE and VERIFY after its first bytes, in any other phase as it enters
 *     it (after the service recorded the phase). The worker's thread then waits forever, and the
 *     child writes {@code held-<jobId>} holding the phase, so that the test knows when to kill it.</li>
 * </ul>
 * Not a Spring component: registered only here as a source, so the component scans of the test
 * contexts never see it.
 */
public final class KillHarnessChild {

    /** The older program the boards carry when they arrive. */
    static final int OLD_PROGRAM_BYTES = 32 * 1024;

    private KillHarnessChild() {
    }

    public static void main(String[] args) {
        new SpringApplication(FlashLineApplication.class, Hooks.class).run(args);
    }

    static class Hooks {

        private static final Set<Phase> WITH_BYTES = EnumSet.of(Phase.ERASE, Phase.WRITE, Phase.VERIFY);

        private final SimulatedFixture fixture;
        private final JobService jobs;
        private final Path control;
        private final Phase holdPhase;
        private final String holdPort;
        private final Map<Long, Phase> phases = new ConcurrentHashMap<>();

        Hooks(SimulatedFixture fixture, JobService jobs, Environment environment) {
            this.fixture = fixture;
            this.jobs = jobs;
            this.control = Path.of(environment.getRequiredProperty("killtest.control"));
            String phase = environment.getProperty("killtest.hold-phase", "");
            this.holdPhase = phase.isEmpty() ? null : Phase.valueOf(phase);
            this.holdPort = environment.getProperty("killtest.hold-port", "");
        }

        @EventListener(ApplicationReadyEvent.class)
        void ready() {
            Thread plugger = new Thread(this::plugWhenAsked, "killtest-plugger");
            plugger.setDaemon(true);
            plugger.start();
        }

        /**
         * Plugs a board for each {@code plug-<port>} file the test moves into the control
         * directory, woken by the file system (a watch on the directory) rather than by polling it.
         */
        private void plugWhenAsked() {
            try (WatchService watcher = control.getFileSystem().newWatchService()) {
                control.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
                while (true) {
                    // The whole directory on every wake-up: also what was asked before the watch
                    // began, and what an overflow of events would not name.
                    plugAsked();
                    WatchKey key = watcher.take();
                    key.pollEvents();
                    if (!key.reset()) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // Logged, not fatal: the test times out waiting for the board and shows the log.
                org.slf4j.LoggerFactory.getLogger(KillHarnessChild.class).error("cannot watch " + control, e);
            }
        }

        private void plugAsked() {
            try (DirectoryStream<Path> asks = Files.newDirectoryStream(control, "plug-*")) {
                for (Path ask : asks) {
                    String port = ask.getFileName().toString().substring("plug-".length());
                    String[] words = Files.readString(ask, StandardCharsets.UTF_8).trim().split("\\s+");
                    byte[] uid = HexFormat.of().parseHex(words[0]);
                    boolean protect = Arrays.asList(words).contains("protected");
                    byte[] old = new byte[OLD_PROGRAM_BYTES];
                    Arrays.fill(old, (byte) 0x5A);
                    Files.delete(ask);
                    fixture.plug(port, b -> b.uniqueId(uid).readProtected(protect)
                            .content(Fixtures.FLASH, old));
                }
            } catch (IOException | RuntimeException e) {
                // Logged, not fatal: the test times out waiting for the board and shows the log.
                org.slf4j.LoggerFactory.getLogger(KillHarnessChild.class).error("cannot plug", e);
            }
        }

        @EventListener
        void progress(JobProgressEvent event) {
            if (holdPhase == null) {
                return;
            }
            if (event.phaseChanged()) {
                JobView job = jobs.get(event.jobId());
                if (!job.port().equals(holdPort)) {
                    return;
                }
                phases.put(job.id(), job.phase());
                if (job.phase() == holdPhase && !WITH_BYTES.contains(holdPhase)) {
                    hold(job.id());
                }
            } else if (event.bytesDone() > 0 && phases.get(event.jobId()) == holdPhase) {
                hold(event.jobId());
            }
        }

        private void hold(long jobId) {
            try {
                Files.writeString(control.resolve("held-" + jobId), holdPhase.name());
                new CountDownLatch(1).await(); // until the test kills the process
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
