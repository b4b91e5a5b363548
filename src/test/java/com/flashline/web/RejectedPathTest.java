package com.flashline.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.support.FlashLineSpringTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Paths the servlet container or Spring Security's firewall refuse before any controller sees
 * them are answered with a problem document too, not with an HTML error page. Sent through a
 * raw socket, because HTTP clients normalise such paths before sending them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = FlashLineSpringTest.ONLY_CLASSPATH_CONFIG)
@ActiveProfiles("test")
class RejectedPathTest {

    @LocalServerPort
    int port;

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/ports/..%2F..%2Fetc", "/api/v1/ports/%2e%2e/%2e%2e/etc", "/api/v1/ports/a%2Fb/enable",
            "/api/v1/ports/..;/x", "/api/v1/ports/a%5Cb", "/api/v1/ports//x", "/api/v1/ports/%252e"})
    void aRefusedPathIsAnsweredWithAProblemDocument(String path) throws IOException {
        String response = get(path);
        String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase();
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(head).contains("content-type: application/problem+json");
        assertThat(body).contains("\"code\":\"REQUEST_REJECTED\"")
                .contains("\"type\":\"urn:flashline:problem:request-rejected\"")
                .doesNotContain("<html").doesNotContain("etc");
    }

    private String get(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
