package com.flashline.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.anonymous;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.flashline.support.FlashLineSpringTest;
import com.flashline.support.Fixtures;
import java.io.File;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.w3c.dom.Document;

@FlashLineSpringTest
class ActuatorAndOpenApiTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    Fixtures fixtures;

    @Test
    void healthAndPrometheusAreExposed() throws Exception {
        fixtures.firmware();
        mvc.perform(get("/actuator/health")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
        mvc.perform(get("/actuator/prometheus"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("flashline_firmware_uploaded_total")))
                .andExpect(content().string(containsString("flashline_jobs_queued_total")));
    }

    @Test
    void theOpenApiDocumentDescribesTheApi() throws Exception {
        mvc.perform(get("/v3/api-docs"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.paths['/api/v1/recipes'].post").exists())
                .andExpect(jsonPath("$.paths['/api/v1/audit'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/jobs/{id}/cancel'].post").exists())
                .andExpect(jsonPath("$.components.securitySchemes.basic.scheme").value("basic"))
                .andExpect(jsonPath("$.components.securitySchemes.bearer.scheme").value("bearer"))
                .andExpect(jsonPath("$.security[*]").value(hasSize(2)))
                // The caller's actor comes from the sign-in, not from a request parameter.
                .andExpect(jsonPath("$.paths['/api/v1/jobs/{id}/cancel'].post.parameters[*].name").value(contains("id")))
                .andExpect(jsonPath("$.paths['/api/v1/recipes'].post.parameters").doesNotExist());
    }

    @Test
    void healthIsOpenButItsDetailsAreForTheSignedIn() throws Exception {
        mvc.perform(get("/actuator/health").with(anonymous()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"))
                .andExpect(jsonPath("$.components").doesNotExist());
        mvc.perform(get("/actuator/health/liveness").with(anonymous())).andExpect(status().isOk());
        mvc.perform(get("/actuator/health").with(user("mes").roles("MES")))
                .andExpect(jsonPath("$.components").exists());
        mvc.perform(get("/actuator/prometheus").with(anonymous())).andExpect(status().isUnauthorized());
        mvc.perform(get("/actuator/prometheus").with(user("mes").roles("MES"))).andExpect(status().isOk());
        mvc.perform(get("/v3/api-docs").with(anonymous())).andExpect(status().isOk());
    }

    @Test
    void theOpenApiDocumentNamesFlashLineWithTheBuildsVersion() throws Exception {
        mvc.perform(get("/v3/api-docs"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.info.title").value("FlashLine"))
                .andExpect(jsonPath("$.info.version").value(projectVersion()))
                .andExpect(jsonPath("$.info.description", containsString("STM32")));
    }

    /** The version Maven builds: the project's own in pom.xml (tests run in the project directory). */
    private static String projectVersion() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new File("pom.xml"));
        String version = XPathFactory.newInstance().newXPath().evaluate("/project/version", pom);
        assertThat(version).isNotBlank();
        return version;
    }
}
