package com.flashline.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.ActiveProfiles;

/**
 * The web layer alone for the given controllers: MVC, Bean Validation, JSON and the problem
 * details advice, with no database and no services. The test declares the controllers'
 * collaborators as {@code @MockitoBean} fields.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WebMvcTest(properties = FlashLineSpringTest.ONLY_CLASSPATH_CONFIG)
@ActiveProfiles("test")
public @interface ControllerSliceTest {

    @AliasFor(annotation = WebMvcTest.class, attribute = "controllers")
    Class<?>[] value();
}
