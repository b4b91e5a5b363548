package com.flashline.workorder;

import java.time.Instant;

/**
 * A work order as the API shows it.
 *
 * @param passed jobs queued under it that ended PASSED; may end above {@code quantity} by at most
 *               the jobs that were running when it reached it (docs/api.md, "Work orders")
 * @param failed jobs queued under it that ended FAILED
 */
public record WorkOrderView(long id, String number, String product, String lot, long recipeId, int quantity,
        int passed, int failed, WorkOrderState state, Instant createdAt, String createdBy) {
}
