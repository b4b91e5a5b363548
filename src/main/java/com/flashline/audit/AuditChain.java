package com.flashline.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * The hash chain over the audit log: each record's {@code hash} is
 * {@code SHA-256(previous hash || canonical form of the record)}, so changing, inserting or
 * deleting a record breaks every later hash. The canonical form is part of the MES contract
 * (docs/api.md, "Verifying the chain"): MES recomputes it from the JSON pull on its own, so it
 * never changes for records already written. When fields are added, the form gets a new version
 * and each record names the version its hash was computed with ({@code chainVersion}):
 * <ul>
 * <li>1: the 21 lines below, up to {@code detail}. Records written before work orders.</li>
 * <li>2: the 21 lines of version 1, then {@code chainVersion=2}, {@code workOrder}, {@code lot}.
 * Every record written since.</li>
 * </ul>
 * A version-1 record has no work order and lot: one that shows them was changed afterwards, and
 * does not verify. The version line is in the hashed form, so that turning a version-2 record
 * into a version-1 one (to hide its work order) changes its hash.
 */
public final class AuditChain {

    /** The "previous hash" of the first record: 64 zeros. */
    public static final String GENESIS = "0".repeat(64);

    /** The version new records are written with. */
    public static final int CURRENT_VERSION = 2;

    /** Instants in the canonical form: UTC, always six fraction digits (the database keeps microseconds). */
    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private AuditChain() {
    }

    /** What the database stores of an instant; the hash is computed over this, not over nanoseconds. */
    static Instant stored(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Whether {@code record} carries the hash it should after {@code previousHash}: false also for
     * a version this code does not know and for a version-1 record with a work order or lot.
     */
    public static boolean verifies(String previousHash, AuditRecord record) {
        try {
            return hash(previousHash, record).equals(record.hash());
        } catch (IllegalArgumentException unknownOrInconsistent) {
            return false;
        }
    }

    /**
     * The record's hash after {@code previousHash} (lower-case hex), over the canonical form of the
     * record's {@code chainVersion}.
     *
     * @throws IllegalArgumentException for a version other than 1 and 2, or a version-1 record with
     *                                  a work order or lot
     */
    public static String hash(String previousHash, AuditRecord record) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        sha256.update(previousHash.getBytes(StandardCharsets.US_ASCII));
        sha256.update(canonical(record).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha256.digest());
    }

    /**
     * One line per field, in this order, each {@code name=value\n}; a null field is {@code name\n}
     * (no {@code =}), so that null and the empty string differ. In values, {@code \} is written
     * {@code \\}, a line feed {@code \n} and a carriage return {@code \r}. Version 2 appends
     * three lines to version 1's.
     */
    static String canonical(AuditRecord r) {
        if (r.chainVersion() != 1 && r.chainVersion() != 2) {
            throw new IllegalArgumentException("audit record " + r.seq() + " has chain version " + r.chainVersion()
                    + ", which this release does not know");
        }
        if (r.chainVersion() == 1 && (r.workOrder() != null || r.lot() != null)) {
            throw new IllegalArgumentException("audit record " + r.seq()
                    + " is of chain version 1, which has no work order or lot, but shows one");
        }
        StringBuilder sb = new StringBuilder(512);
        field(sb, "seq", Long.toString(r.seq()));
        field(sb, "type", r.type().name());
        field(sb, "recordedAt", instant(r.recordedAt()));
        field(sb, "stationId", r.stationId());
        field(sb, "actor", r.actor());
        field(sb, "port", r.port());
        field(sb, "usbSerial", r.usbSerial());
        field(sb, "chipUid", r.chipUid());
        field(sb, "serialNumber", r.serialNumber());
        field(sb, "jobId", number(r.jobId()));
        field(sb, "recipeId", number(r.recipeId()));
        field(sb, "firmwareId", number(r.firmwareId()));
        field(sb, "firmwareSha256", r.firmwareSha256());
        field(sb, "firmwareVersion", r.firmwareVersion());
        field(sb, "result", r.result());
        field(sb, "errorCode", r.errorCode());
        field(sb, "errorMessage", r.errorMessage());
        field(sb, "durationMs", number(r.durationMs()));
        field(sb, "startedAt", instant(r.startedAt()));
        field(sb, "finishedAt", instant(r.finishedAt()));
        field(sb, "detail", r.detail());
        if (r.chainVersion() >= 2) {
            field(sb, "chainVersion", Integer.toString(r.chainVersion()));
            field(sb, "workOrder", r.workOrder());
            field(sb, "lot", r.lot());
        }
        return sb.toString();
    }

    private static void field(StringBuilder sb, String name, String value) {
        sb.append(name);
        if (value != null) {
            sb.append('=');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    default -> sb.append(c);
                }
            }
        }
        sb.append('\n');
    }

    private static String number(Long value) {
        return value == null ? null : value.toString();
    }

    private static String instant(Instant value) {
        return value == null ? null : INSTANT.format(value);
    }
}
