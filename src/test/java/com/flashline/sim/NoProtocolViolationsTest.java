package com.flashline.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashline.dfu.StallException;
import com.flashline.dfu.VirtualClock;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The extension that keeps the violation log checked on every path fails when it must, and only then. */
class NoProtocolViolationsTest {

    private final VirtualClock clock = new VirtualClock();

    private SimulatedStm32 board() {
        return SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock).build();
    }

    /** An UPLOAD in dfuDNLOAD-IDLE: refused for the state, so logged as a violation. */
    private static void violate(SimulatedStm32 board, VirtualClock clock) {
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.setAddress(0x0800_0000L);
        assertThatThrownBy(() -> dfu.upload(2, 16)).isInstanceOf(StallException.class);
    }

    /** Only what afterEach asks of the context: whether the test itself already failed. */
    private static ExtensionContext context(Throwable testFailure) {
        return (ExtensionContext) Proxy.newProxyInstance(ExtensionContext.class.getClassLoader(),
                new Class<?>[] {ExtensionContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getExecutionException")) {
                        return Optional.ofNullable(testFailure);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aWatchedBoardWithAViolationFailsTheTestNamingIt() {
        NoProtocolViolations extension = new NoProtocolViolations();
        SimulatedStm32 board = extension.watch(board());
        violate(board, clock);

        assertThatThrownBy(() -> extension.afterEach(context(null))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("1 protocol violation(s)")
                .hasMessageContaining("REQUEST_IN_FORBIDDEN_STATE")
                .hasMessageContaining(board.toString());
    }

    @Test
    void boardsFromTheSupplierAreCheckedToo() {
        SimulatedStm32 board = board();
        NoProtocolViolations extension = new NoProtocolViolations(() -> List.of(board));
        violate(board, clock);

        assertThat(extension.found()).hasSize(1);
        assertThatThrownBy(() -> extension.afterEach(context(null))).isInstanceOf(AssertionError.class);
    }

    @Test
    void cleanBoardsPassAndATestThatAlreadyFailedKeepsItsOwnFailure() {
        NoProtocolViolations extension = new NoProtocolViolations();
        extension.watch(board());
        assertThatCode(() -> extension.afterEach(context(null))).doesNotThrowAnyException();

        SimulatedStm32 dirty = extension.watch(board());
        violate(dirty, clock);
        assertThatCode(() -> extension.afterEach(context(new AssertionError("the test's own"))))
                .doesNotThrowAnyException();
        assertThat(extension.found()).as("watched boards are forgotten after each test").isEmpty();
    }
}
