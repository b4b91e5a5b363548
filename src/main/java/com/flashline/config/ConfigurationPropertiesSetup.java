package com.flashline.config;

import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FlashLineProperties.class)
class ConfigurationPropertiesSetup {

    /** Wall clock for recorded timestamps; tests may replace it. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
