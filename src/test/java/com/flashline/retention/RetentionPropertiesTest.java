package com.flashline.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/** config/application.yml documents flashline.retention.* with the real defaults; retention is off unless asked for. */
class RetentionPropertiesTest {

    private static RetentionProperties bind(List<PropertySource<?>> sources) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().forEach(s -> environment.getPropertySources().remove(s.getName()));
        sources.forEach(environment.getPropertySources()::addLast);
        return Binder.get(environment).bindOrCreate("flashline.retention", RetentionProperties.class);
    }

    @Test
    void theExampleStationFileStatesTheDefaultsAndRetentionIsOff() throws Exception {
        List<PropertySource<?>> yaml = new YamlPropertySourceLoader().load("example",
                new FileSystemResource(Path.of("config", "application.yml")));
        RetentionProperties defaults = bind(List.of());

        assertThat(bind(yaml)).isEqualTo(defaults);
        assertThat(defaults.enabled()).isFalse();
        assertThat(defaults.archiveAfter()).isEqualTo(Duration.ofDays(365));
        assertThat(defaults.interval()).isEqualTo(Duration.ofDays(1));
        assertThat(defaults.batchSize()).isEqualTo(1000);
        assertThat(defaults.archiveDirectory().normalize()).isEqualTo(Path.of("data/archive"));
    }
}
