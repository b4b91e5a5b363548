package com.flashline.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@link InstantJson} writes exactly what Jackson writes without it. */
class InstantJsonTest {

    private static final long FIRST = LocalDate.of(0, 1, 1).toEpochDay() * 86_400;
    private static final long LAST = (LocalDate.of(9999, 12, 31).toEpochDay() + 1) * 86_400 - 1;

    @Test
    void formatsAsInstantToStringAtTheEdgesAndOutsideTheFourDigitYears() {
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.ofEpochSecond(-1),
                Instant.ofEpochSecond(FIRST), Instant.ofEpochSecond(FIRST - 1, 999_999_999),
                Instant.ofEpochSecond(LAST, 999_999_999), Instant.ofEpochSecond(LAST + 1), Instant.MIN, Instant.MAX,
                Instant.parse("2024-02-29T23:59:59Z"), Instant.parse("1900-03-01T00:00:00Z"),
                Instant.parse("2000-02-29T12:00:00Z")));
        for (int nano : new int[] {1, 10, 999, 1_000, 999_000, 1_000_000, 100_000_000, 120_000_000, 123_456_000,
                123_456_789, 999_999_999}) {
            instants.add(Instant.parse("2026-12-03T13:04:05Z").plusNanos(nano));
        }

        for (Instant instant : instants) {
            assertThat(InstantJson.format(instant)).as(instant.getEpochSecond() + "s " + instant.getNano() + "ns")
                    .isEqualTo(instant.toString());
        }
    }

    @Test
    void formatsAsInstantToStringAcrossTheRange() {
        SplittableRandom random = new SplittableRandom(20261203);
        for (int i = 0; i < 200_000; i++) {
            long second = random.nextLong(FIRST - 86_400, LAST + 86_400);
            // Whole seconds, milliseconds, microseconds and nanoseconds alike.
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(second, nano);

            assertThat(InstantJson.format(instant)).isEqualTo(instant.toString());
        }
    }

    record Times(Instant at, Instant none, List<Instant> many, Map<String, Instant> named,
            @JsonFormat(shape = JsonFormat.Shape.NUMBER) Instant asNumber,
            @JsonFormat(pattern = "yyyy-MM-dd HH:mm", timezone = "UTC") Instant withPattern) {
    }

    private static final Times TIMES = new Times(Instant.parse("2026-12-03T13:04:05.120Z"), null,
            List.of(Instant.EPOCH, Instant.parse("0001-01-01T00:00:00.000001Z"), Instant.ofEpochSecond(LAST + 1, 7)),
            Map.of("queued", Instant.parse("2026-12-03T13:04:05.123456789Z")),
            Instant.parse("2026-12-03T13:04:05.5Z"), Instant.parse("2026-12-03T13:04:05Z"));

    @Test
    void replacesJacksonsInstantSerializer() {
        JsonMapper mapper = JsonMapper.builder().addModule(new InstantJson()).build();

        assertThat(mapper._serializationContext().findValueSerializer(Instant.class))
                .isInstanceOf(InstantJson.IsoInstantSerializer.class);
    }

    @Test
    void writesWhatJacksonWritesWithoutIt() {
        String withModule = JsonMapper.builder().addModule(new InstantJson()).build().writeValueAsString(TIMES);

        assertThat(withModule).isEqualTo(JsonMapper.builder().build().writeValueAsString(TIMES))
                .contains("\"at\":\"2026-12-03T13:04:05.120Z\"", "\"withPattern\":\"2026-12-03 13:04\"",
                        "\"asNumber\":1796303045.500000000");
    }

    @ParameterizedTest
    @EnumSource(value = DateTimeFeature.class, names = {"WRITE_DATES_AS_TIMESTAMPS", "TRUNCATE_TO_MSECS_ON_WRITE",
            "WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS", "WRITE_DATES_WITH_CONTEXT_TIME_ZONE"})
    void writesWhatJacksonWritesWithoutItWhateverTheDateFeatures(DateTimeFeature feature) {
        for (boolean enabled : new boolean[] {true, false}) {
            JsonMapper with = JsonMapper.builder().addModule(new InstantJson()).configure(feature, enabled).build();
            JsonMapper without = JsonMapper.builder().configure(feature, enabled).build();

            assertThat(with.writeValueAsString(TIMES)).as(feature + "=" + enabled)
                    .isEqualTo(without.writeValueAsString(TIMES));
            assertThat(with.valueToTree(TIMES).toString()).isEqualTo(without.valueToTree(TIMES).toString());
        }
    }

    @Test
    void aConfiguredFormatForInstantsIsJacksons() {
        JsonMapper with = JsonMapper.builder().addModule(new InstantJson())
                .withConfigOverride(Instant.class, o -> o.setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.NUMBER)))
                .build();
        JsonMapper without = JsonMapper.builder()
                .withConfigOverride(Instant.class, o -> o.setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.NUMBER)))
                .build();

        assertThat(with.writeValueAsString(TIMES)).isEqualTo(without.writeValueAsString(TIMES))
                .contains("\"at\":1796303045.120000000");
    }

    @Test
    void readsBackWhatItWrites() {
        JsonMapper mapper = JsonMapper.builder().addModule(new InstantJson()).build();
        Instant[] instants = {Instant.parse("2026-12-03T13:04:05.123456789Z"), Instant.EPOCH};

        assertThat(mapper.readValue(mapper.writeValueAsString(instants), Instant[].class))
                .containsExactly(Arrays.copyOf(instants, 2));
    }
}
