package com.flashline.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a test class, saying why, when {@link PostgresTestServer} has no server; under
 * {@code CI=true} fails it with the same reason instead (see {@link Prerequisites}).
 */
public class PostgresAvailableCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return evaluate(PostgresTestServer.unavailableReason());
    }

    static ConditionEvaluationResult evaluate(String reason) {
        if (reason == null) {
            return ConditionEvaluationResult.enabled("PostgreSQL available");
        }
        if (Prerequisites.onCi()) {
            // An exception from a condition fails the container (JUnit reports it as an error).
            throw new IllegalStateException(Prerequisites.ciMessage(reason));
        }
        return ConditionEvaluationResult.disabled(reason);
    }
}
