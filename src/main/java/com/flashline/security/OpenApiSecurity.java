package com.flashline.security;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document declares how to sign in, so that Swagger UI's "Authorize" can call the API. */
@Configuration(proxyBeanMethods = false)
class OpenApiSecurity {

    static final String BASIC = "basic";
    static final String BEARER = "bearer";

    @Bean
    OpenApiCustomizer securitySchemes() {
        return openApi -> {
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents()
                    .addSecuritySchemes(BASIC, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                            .description("A user's name and password"))
                    .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                            .description("An API token from POST /api/v1/tokens"));
            openApi.addSecurityItem(new SecurityRequirement().addList(BASIC));
            openApi.addSecurityItem(new SecurityRequirement().addList(BEARER));
        };
    }
}
