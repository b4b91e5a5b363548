package com.flashline.workorder;

/** The work order a new job is queued under: it counts there, and carries its number and lot. */
public record WorkOrderAdmission(long id, String number, String lot, long recipeId) {
}
