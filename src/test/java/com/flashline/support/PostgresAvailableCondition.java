package com.flashline.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Skips a test class, saying why, when {@link PostgresTestServer} has no server. */
public class PostgresAvailableCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String reason = PostgresTestServer.unavailableReason();
        return reason == null
                ? ConditionEvaluationResult.enabled("PostgreSQL available")
                : ConditionEvaluationResult.disabled(reason);
    }
}
