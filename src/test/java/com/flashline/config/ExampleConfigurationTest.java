package com.flashline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/** config/application.yml documents every flashline.* property with its real default. */
class ExampleConfigurationTest {

    private static FlashLineProperties bind(List<PropertySource<?>> sources) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().forEach(s -> environment.getPropertySources().remove(s.getName()));
        sources.forEach(environment.getPropertySources()::addLast);
        return Binder.get(environment).bindOrCreate("flashline", FlashLineProperties.class);
    }

    @Test
    void theExampleStationFileStatesExactlyTheDefaults() throws Exception {
        Path example = Path.of("config", "application.yml");
        assertThat(example).exists();
        List<PropertySource<?>> yaml = new YamlPropertySourceLoader().load("example", new FileSystemResource(example));

        FlashLineProperties documented = bind(yaml);
        FlashLineProperties defaults = bind(List.of());

        assertThat(documented).isEqualTo(defaults);
        assertThat(defaults.workers()).isEqualTo(4);
        assertThat(defaults.usb().vendorId()).isEqualTo(0x0483);
        assertThat(defaults.usb().productId()).isEqualTo(0xdf11);
        assertThat(defaults.simulator().enabled()).isFalse();
        assertThat(defaults.simulator().ports()).isEqualTo(8);
        assertThat(defaults.jobs().maxAttempts()).isEqualTo(3);
    }

    @Test
    void everyPropertyOfTheRecordsIsMentionedInTheExample() throws Exception {
        String text = Files.readString(Path.of("config", "application.yml"));
        for (String key : keys(FlashLineProperties.class)) {
            assertThat(text).as("config/application.yml documents %s", key).contains(key + ":");
        }
    }

    private static List<String> keys(Class<?> record) {
        List<String> keys = new java.util.ArrayList<>();
        for (RecordComponent component : record.getRecordComponents()) {
            keys.add(component.getName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT));
            if (component.getType().isRecord()) {
                keys.addAll(keys(component.getType()));
            }
        }
        keys.addAll(List.of("label", "recipe")); // FlashLineProperties.Port, the map's values
        return keys;
    }
}
