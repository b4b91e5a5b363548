package com.flashline.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;

/** Full application context on a private in-memory H2 database, with MockMvc. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = FlashLineSpringTest.ONLY_CLASSPATH_CONFIG)
@AutoConfigureMockMvc
@ActiveProfiles("test")
public @interface FlashLineSpringTest {

    /**
     * Tests run in the repository root, where Spring Boot would also load the example station
     * file {@code ./config/application.yml} (a default config location) over the test profile.
     */
    String ONLY_CLASSPATH_CONFIG = "spring.config.location=classpath:/";
}
