package com.flashline.catalog;

import com.flashline.error.DomainException;
import com.flashline.error.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An uploaded firmware file that cannot be stored ({@link ErrorCode#FIRMWARE_MALFORMED}). Its
 * details are {@code reason}, a short machine-readable cause, and {@code location}, where in the
 * file (e.g. "line 12", "offset 0x40") when known.
 */
public class FirmwareRejectedException extends DomainException {

    public FirmwareRejectedException(String reason, String message, String location) {
        super(ErrorCode.FIRMWARE_MALFORMED, message, details(reason, location));
    }

    private static Map<String, Object> details(String reason, String location) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", reason);
        if (location != null) {
            details.put("location", location);
        }
        return details;
    }
}
