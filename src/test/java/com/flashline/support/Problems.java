package com.flashline.support;

import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.flashline.error.ErrorCode;
import java.util.List;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultMatcher;

/** What every error answer of the API looks like: an RFC 9457 problem document with its stable code. */
public final class Problems {

    private Problems() {
    }

    /** A problem document with this status and code, its type URI and title, and a detail. */
    public static ResultMatcher problem(int status, String code) {
        List<ResultMatcher> matchers = List.of(
                status().is(status),
                content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON),
                jsonPath("$.code").value(code),
                jsonPath("$.type").value("urn:flashline:problem:" + code.toLowerCase(Locale.ROOT).replace('_', '-')),
                jsonPath("$.status").value(status),
                jsonPath("$.title").value(ErrorCode.valueOf(code).title()),
                jsonPath("$.detail").isNotEmpty());
        return result -> {
            for (ResultMatcher matcher : matchers) {
                matcher.match(result);
            }
        };
    }
}
