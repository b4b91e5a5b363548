package com.flashline.web;

import com.flashline.error.ErrorCode;
import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import org.apache.catalina.Host;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Errors Tomcat answers by itself, before any filter or controller runs (a request line it
 * cannot parse, an encoded slash or backslash in the path), as problem documents: Tomcat's own
 * error report valve would write an HTML page. The valve takes the place of Tomcat's on the host.
 */
@Component
class ContainerProblems implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private final JsonMapper json;

    ContainerProblems(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            Host host = (Host) context.getParent();
            // The host adds an error report valve of this class at start unless it has one already.
            ((StandardHost) host).setErrorReportValveClass(ProblemReportValve.class.getName());
            host.getPipeline().addValve(new ProblemReportValve(json));
        });
    }

    static final class ProblemReportValve extends ErrorReportValve {

        private final JsonMapper json;

        ProblemReportValve(JsonMapper json) {
            this.json = json;
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            ErrorCode code = codeFor(status);
            String detail = code == ErrorCode.REQUEST_REJECTED ? SecurityProblems.REJECTED_DETAIL : code.title();
            try {
                response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                response.setCharacterEncoding("UTF-8");
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(json.writeValueAsString(
                            ProblemDetailsAdvice.problemDocument(code, status, detail, null)));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // The client is gone or the response was committed meanwhile: nothing left to tell it.
            }
        }

        /** The code whose status this is; a 400 the container refused is REQUEST_REJECTED. */
        private static ErrorCode codeFor(int status) {
            if (status == HttpStatus.BAD_REQUEST.value()) {
                return ErrorCode.REQUEST_REJECTED;
            }
            return Arrays.stream(ErrorCode.values())
                    .filter(code -> ProblemDetailsAdvice.status(code).value() == status)
                    .findFirst()
                    .orElse(status >= 500 ? ErrorCode.INTERNAL : ErrorCode.REQUEST_REJECTED);
        }
    }
}
