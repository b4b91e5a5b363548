package com.flashline.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.core.annotation.AliasFor;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.ActiveProfiles;

/**
 * The web layer alone for the given controllers: MVC, Bean Validation, JSON and the problem
 * details advice, with no database and no services. The test declares the controllers'
 * collaborators as {@code @MockitoBean} fields.
 *
 * <p>Who may call what is not this test's subject: the security filters are left out and the
 * caller is {@value FlashLineSpringTest#USER}, whose name the controllers pass down as the actor.
 * The access rules are tested on the whole service ({@code security.AccessRulesTest}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WebMvcTest(properties = FlashLineSpringTest.ONLY_CLASSPATH_CONFIG)
@AutoConfigureMockMvc(addFilters = false)
@WithMockUser(username = FlashLineSpringTest.USER, roles = "ADMIN")
@ActiveProfiles("test")
public @interface ControllerSliceTest {

    @AliasFor(annotation = WebMvcTest.class, attribute = "controllers")
    Class<?>[] value();
}
