package com.flashline.sim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test whose simulated boards logged a {@link ProtocolViolation}, after the test's own
 * assertions and {@code @AfterEach} methods: the host must keep to AN3156 / DFU 1.1 on the failure,
 * retry and cancel paths as much as on the happy one, and a check every test has to remember is
 * one some test forgets.
 *
 * <pre>{@code
 * @RegisterExtension
 * final NoProtocolViolations protocol = new NoProtocolViolations();
 * ...
 * SimulatedStm32 board = protocol.watch(SimulatedStm32.builder(profile).build());
 * }</pre>
 *
 * A test that already failed is left with its own failure. The violations of every watched board
 * are listed with the board in the message.
 */
public final class NoProtocolViolations implements AfterEachCallback {

    private final List<SimulatedStm32> watched = new CopyOnWriteArrayList<>();
    private final Supplier<? extends Collection<SimulatedStm32>> more;

    public NoProtocolViolations() {
        this(List::of);
    }

    /** @param more boards to check as well, asked after the test (e.g. those a fixture has plugged) */
    public NoProtocolViolations(Supplier<? extends Collection<SimulatedStm32>> more) {
        this.more = Objects.requireNonNull(more, "more");
    }

    /** Checks {@code board} after the test; returns it. */
    public SimulatedStm32 watch(SimulatedStm32 board) {
        watched.add(Objects.requireNonNull(board, "board"));
        return board;
    }

    /** The boards checked so far would be checked now: for a test that asserts it in between. */
    public List<String> found() {
        Set<SimulatedStm32> boards = new LinkedHashSet<>(watched);
        boards.addAll(more.get());
        List<String> found = new ArrayList<>();
        for (SimulatedStm32 board : boards) {
            for (ProtocolViolation v : board.violations()) {
                found.add(board + ": " + v);
            }
        }
        return found;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (context.getExecutionException().isPresent()) {
                return;
            }
            List<String> found = found();
            if (!found.isEmpty()) {
                throw new AssertionError(found.size() + " protocol violation(s) by the host:\n  "
                        + String.join("\n  ", found));
            }
        } finally {
            watched.clear();
        }
    }
}
