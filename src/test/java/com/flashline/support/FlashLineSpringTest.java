package com.flashline.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.ActiveProfiles;

/**
 * Full application context on a private in-memory H2 database, with MockMvc. Every test runs
 * signed in as {@value #USER} with role ADMIN (which may do everything), unless it says otherwise
 * (e.g. {@code @WithMockUser(roles = "VIEWER")} on a method, or a request's own
 * {@code .with(user(...))} / {@code .with(anonymous())}). MockMvc sends no CSRF token: requests
 * that change something add {@code .with(csrf())}, as the dashboard's browser would send one.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = FlashLineSpringTest.ONLY_CLASSPATH_CONFIG)
@AutoConfigureMockMvc
@ActiveProfiles("test")
@WithMockUser(username = FlashLineSpringTest.USER, roles = "ADMIN")
public @interface FlashLineSpringTest {

    /** The user tests are signed in as. */
    String USER = "tester";

    /**
     * Tests run in the repository root, where Spring Boot would also load the example station
     * file {@code ./config/application.yml} (a default config location) over the test profile.
     */
    String ONLY_CLASSPATH_CONFIG = "spring.config.location=classpath:/";
}
