package com.flashline.audit;

import java.util.List;
import java.util.Objects;

/** RFC 4180 CSV of audit records, one header line, CRLF line ends. */
final class AuditCsv {

    static final String HEADER = "seq,type,recordedAt,stationId,port,usbSerial,chipUid,serialNumber,jobId,"
            + "recipeId,firmwareId,firmwareSha256,firmwareVersion,result,errorCode,errorMessage,durationMs,"
            + "startedAt,finishedAt,detail,actor,hash,workOrder,lot,chainVersion";

    private AuditCsv() {
    }

    static String write(List<AuditRecord> records) {
        StringBuilder sb = new StringBuilder(HEADER).append("\r\n");
        for (AuditRecord r : records) {
            Object[] fields = {r.seq(), r.type(), r.recordedAt(), r.stationId(), r.port(), r.usbSerial(),
                    r.chipUid(), r.serialNumber(), r.jobId(), r.recipeId(), r.firmwareId(), r.firmwareSha256(),
                    r.firmwareVersion(), r.result(), r.errorCode(), r.errorMessage(), r.durationMs(),
                    r.startedAt(), r.finishedAt(), r.detail(), r.actor(), r.hash(), r.workOrder(), r.lot(),
                    r.chainVersion()};
            for (int i = 0; i < fields.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(escape(fields[i]));
            }
            sb.append("\r\n");
        }
        return sb.toString();
    }

    static String escape(Object value) {
        if (value == null) {
            return "";
        }
        String s = Objects.toString(value);
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
