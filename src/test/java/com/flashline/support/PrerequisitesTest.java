package com.flashline.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing prerequisite skips a suite on a developer's machine and fails it under {@code CI=true}. */
class PrerequisitesTest {

    private static final String REASON = "umockdev bridge unavailable: umockdev-wrapper not found";

    @Test
    void aMissingPrerequisiteSkipsOutsideCi() {
        Prerequisites.withEnvironment(Map.of(), () -> {
            assertThat(Prerequisites.onCi()).isFalse();
            assertThatThrownBy(() -> Prerequisites.require(REASON))
                    .isInstanceOf(TestAbortedException.class).hasMessageContaining(REASON);
        });
        Prerequisites.withEnvironment(Map.of("CI", "false"), () ->
                assertThatThrownBy(() -> Prerequisites.require(Optional.of(REASON)))
                        .isInstanceOf(TestAbortedException.class));
    }

    @Test
    void aMissingPrerequisiteFailsUnderCiWithTheReason() {
        for (String value : new String[] {"true", "TRUE"}) {
            Prerequisites.withEnvironment(Map.of("CI", value), () -> {
                assertThat(Prerequisites.onCi()).isTrue();
                assertThatThrownBy(() -> Prerequisites.require(REASON))
                        .isInstanceOf(AssertionFailedError.class)
                        .isNotInstanceOf(TestAbortedException.class)
                        .hasMessage("CI=true, so this suite must run, but it cannot: " + REASON);
            });
        }
    }

    @Test
    void nothingHappensWhenThePrerequisiteIsThere() {
        Prerequisites.withEnvironment(Map.of("CI", "true"), () -> {
            Prerequisites.require((String) null);
            Prerequisites.require(Optional.empty());
            Prerequisites.require("  ");
        });
    }

    @Test
    void thePostgresConditionSkipsOutsideCiAndFailsUnderCi() {
        String reason = "PostgreSQL tests skipped: cannot connect";
        Prerequisites.withEnvironment(Map.of(), () -> {
            ConditionEvaluationResult result = PostgresAvailableCondition.evaluate(reason);
            assertThat(result.isDisabled()).isTrue();
            assertThat(result.getReason()).contains(reason);
            assertThat(PostgresAvailableCondition.evaluate(null).isDisabled()).isFalse();
        });
        Prerequisites.withEnvironment(Map.of("CI", "true"), () -> {
            assertThatThrownBy(() -> PostgresAvailableCondition.evaluate(reason))
                    .hasMessageContaining("CI=true").hasMessageContaining(reason);
            assertThat(PostgresAvailableCondition.evaluate(null).isDisabled()).isFalse();
        });
    }
}
