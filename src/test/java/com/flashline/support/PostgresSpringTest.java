package com.flashline.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * Full application context on PostgreSQL, in a fresh schema that is dropped when the context
 * closes. Skipped, with the reason, when no PostgreSQL is reachable (see {@link PostgresTestServer}).
 * Signed in as {@link FlashLineSpringTest} is.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PostgresAvailableCondition.class)
@SpringBootTest(properties = FlashLineSpringTest.ONLY_CLASSPATH_CONFIG)
@AutoConfigureMockMvc
@ActiveProfiles("test")
@ContextConfiguration(initializers = PostgresSchemaInitializer.class)
@WithMockUser(username = FlashLineSpringTest.USER, roles = "ADMIN")
public @interface PostgresSpringTest {
}
