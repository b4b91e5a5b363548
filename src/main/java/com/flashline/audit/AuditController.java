package com.flashline.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Audit", description = "Append-only audit log for MES, pulled with a cursor")
class AuditController {

    static final String TEXT_CSV = "text/csv";
    static final String NEXT_CURSOR_HEADER = "X-Next-Cursor";

    private final AuditLog auditLog;
    private final AuditVerifier verifier;

    AuditController(AuditLog auditLog, AuditVerifier verifier) {
        this.auditLog = auditLog;
        this.verifier = verifier;
    }

    @Operation(summary = "Recomputes the hash chain from the first record to the head; names the first missing or changed seq")
    @GetMapping(path = "/audit/verify", produces = MediaType.APPLICATION_JSON_VALUE)
    AuditVerification verify() {
        return verifier.verify();
    }

    @Operation(summary = "Records with seq > after, oldest first; pass `next` as `after` in the next pull")
    @GetMapping(path = "/audit", produces = MediaType.APPLICATION_JSON_VALUE)
    AuditPage pull(@RequestParam(defaultValue = "0") @Min(0) long after,
                   @RequestParam(defaultValue = "100") @Min(1) @Max(AuditLog.MAX_PAGE) int limit) {
        return auditLog.after(after, limit);
    }

    @Operation(summary = "The same pull as CSV; the next cursor is in the X-Next-Cursor header")
    @GetMapping(path = "/audit", produces = TEXT_CSV)
    ResponseEntity<String> pullCsv(@RequestParam(defaultValue = "0") @Min(0) long after,
                                   @RequestParam(defaultValue = "100") @Min(1) @Max(AuditLog.MAX_PAGE) int limit) {
        return csv(auditLog.after(after, limit));
    }

    @Operation(summary = "The same pull as CSV, for clients that cannot set Accept")
    @GetMapping(path = "/audit.csv", produces = TEXT_CSV)
    ResponseEntity<String> pullCsvFile(@RequestParam(defaultValue = "0") @Min(0) long after,
                                       @RequestParam(defaultValue = "100") @Min(1) @Max(AuditLog.MAX_PAGE) int limit) {
        return csv(auditLog.after(after, limit));
    }

    private static ResponseEntity<String> csv(AuditPage page) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(TEXT_CSV + ";charset=UTF-8"))
                .header(NEXT_CURSOR_HEADER, Long.toString(page.next()))
                .body(AuditCsv.write(page.records()));
    }
}
