package com.flashline.audit;

/** What an audit record reports. Names are part of the MES contract and never change. */
public enum AuditType {
    JOB_PASSED,
    JOB_FAILED,
    JOB_INTERRUPTED,
    JOB_CANCELLED,
    FIRMWARE_UPLOADED,
    RECIPE_CREATED,
    RECIPE_CHANGED,
    STATION_CHANGED,
    PORT_CHANGED,
    SERIAL_ALLOCATED,
    /** A sign-in was refused (wrong or unknown credentials, disabled user, or during a lockout). */
    SIGN_IN_FAILED,
    /** Too many failed sign-ins of one username: it is refused for a while. */
    SIGN_IN_LOCKED,
    USER_CREATED,
    USER_CHANGED,
    USER_DELETED,
    TOKEN_CREATED,
    TOKEN_REVOKED,
    /** A port was interlocked after failed jobs in a row (actor {@code system}); detail says why. */
    PORT_DISABLED,
    /** An operator enabled an interlocked port again. */
    PORT_ENABLED,
    /** An engineer created a work order. */
    WORK_ORDER_CREATED,
    /** An operator made a work order the station's active one (detail: the one it replaced). */
    WORK_ORDER_ACTIVATED,
    /** Its {@code passed} count reached its quantity (actor: who started the job that completed it). */
    WORK_ORDER_COMPLETED,
    /** An engineer closed a work order. */
    WORK_ORDER_CLOSED,
    /** The station yield guard paused auto-start (actor {@code system}); detail says why. */
    AUTO_START_PAUSED,
    /** An operator enabled auto-start again after the yield guard paused it. */
    AUTO_START_ENABLED
}
