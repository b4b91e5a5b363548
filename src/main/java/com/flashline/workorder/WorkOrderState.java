package com.flashline.workorder;

/**
 * Where a work order stands. The names are part of the API.
 * <pre>
 *   OPEN ──activate──► ACTIVE ──another one activated──► OPEN
 *   OPEN | ACTIVE ──passed reaches quantity──► COMPLETE
 *   OPEN | ACTIVE | COMPLETE ──close──► CLOSED
 * </pre>
 */
public enum WorkOrderState {
    /** Created, or replaced as a station's active work order; may be activated. */
    OPEN,
    /** A station's active work order: the jobs queued there run under it. */
    ACTIVE,
    /** Its {@code passed} count reached its quantity: no new job starts under it. */
    COMPLETE,
    /** Closed by an engineer; final. */
    CLOSED
}
