package com.flashline.catalog;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class FirmwareInspectorSetup {

    @Bean
    FirmwareInspector firmwareInspector() {
        return new ParsingFirmwareInspector();
    }
}
