package com.flashline.workorder;

/** A job's outcome brought its work order's {@code passed} count to its quantity. */
public record WorkOrderCompletion(long id, String number, String lot, long recipeId, int passed, int quantity) {
}
