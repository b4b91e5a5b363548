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
    SERIAL_ALLOCATED
}
