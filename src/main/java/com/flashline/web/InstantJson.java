package com.flashline.web;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import org.springframework.stereotype.Component;
import tools.jackson.core.Version;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.ext.javatime.ser.InstantSerializer;
import tools.jackson.databind.ser.ValueSerializerModifier;

/**
 * Writes {@link Instant}s as Jackson does by default, {@link Instant#toString()} (ISO-8601 in UTC,
 * the fraction in groups of three digits, none when zero), without going through
 * {@code DateTimeFormatter}: its chain of printers was a tenth of the CPU of a {@code GET /ports}
 * (docs/benchmarks.md, "servicecpu"), which every dashboard polls.
 *
 * <p>It replaces Jackson's own default {@link InstantSerializer} by a subclass that changes
 * nothing but that text: timestamps ({@code DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS}),
 * truncation to milliseconds and a {@code @JsonFormat} or configured format are Jackson's, and so
 * is the text of years outside 0000–9999.
 */
@Component
class InstantJson extends JacksonModule {

    /** The first and last second that {@link #format} writes itself; {@link Instant#toString()} outside them. */
    private static final long FIRST_SECOND = LocalDate.of(0, 1, 1).toEpochDay() * 86_400;
    private static final long LAST_SECOND = (LocalDate.of(9999, 12, 31).toEpochDay() + 1) * 86_400 - 1;

    @Override
    public String getModuleName() {
        return "flashline-instant-json";
    }

    @Override
    public Version version() {
        return Version.unknownVersion();
    }

    @Override
    public void setupModule(SetupContext context) {
        context.addSerializerModifier(new ValueSerializerModifier() {
            @Override
            public ValueSerializer<?> modifySerializer(SerializationConfig config, BeanDescription.Supplier beanDesc,
                    ValueSerializer<?> serializer) {
                return serializer == InstantSerializer.INSTANCE ? new IsoInstantSerializer() : serializer;
            }
        });
    }

    /** Exactly {@link Instant#toString()}. */
    static String format(Instant instant) {
        long epochSecond = instant.getEpochSecond();
        if (epochSecond < FIRST_SECOND || epochSecond > LAST_SECOND) {
            return instant.toString();
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(epochSecond, 86_400));
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400);
        int nano = instant.getNano();
        int fractionDigits = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
        byte[] text = new byte[20 + (fractionDigits == 0 ? 0 : 1 + fractionDigits)];
        digits(text, 0, date.getYear(), 4);
        text[4] = '-';
        digits(text, 5, date.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, date.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, secondOfDay / 3600, 2);
        text[13] = ':';
        digits(text, 14, secondOfDay / 60 % 60, 2);
        text[16] = ':';
        digits(text, 17, secondOfDay % 60, 2);
        int end = 19;
        if (fractionDigits > 0) {
            text[end] = '.';
            int shifted = fractionDigits == 3 ? nano / 1_000_000 : fractionDigits == 6 ? nano / 1_000 : nano;
            digits(text, end + 1, shifted, fractionDigits);
            end += 1 + fractionDigits;
        }
        text[end] = 'Z';
        return new String(text, StandardCharsets.ISO_8859_1);
    }

    private static void digits(byte[] text, int offset, int value, int count) {
        for (int i = offset + count - 1; i >= offset; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * Jackson's serializer of {@link Instant} with the one change that its default text, with no
     * format of its own, is written by {@link #format}. Its variants (for a {@code @JsonFormat} or
     * features) are of this class too, and decide the rest as Jackson does.
     */
    static final class IsoInstantSerializer extends InstantSerializer {

        IsoInstantSerializer() {
        }

        private IsoInstantSerializer(IsoInstantSerializer base, DateTimeFormatter formatter, Boolean useTimestamp,
                Boolean useNanoseconds, JsonFormat.Shape shape) {
            super(base, formatter, useTimestamp, useNanoseconds, shape);
        }

        @Override
        protected InstantSerializer withFormat(DateTimeFormatter formatter, Boolean useTimestamp,
                JsonFormat.Shape shape) {
            return new IsoInstantSerializer(this, formatter, useTimestamp, _useNanoseconds, shape);
        }

        @Override
        protected InstantSerializer withFeatures(Boolean writeZoneId, Boolean writeNanoseconds) {
            return new IsoInstantSerializer(this, _formatter, _useTimestamp, writeNanoseconds, _shape);
        }

        /** Called only for text (not timestamps), after any truncation to milliseconds. */
        @Override
        protected String formatValue(Instant value, SerializationContext context) {
            return _formatter == null ? format(value) : super.formatValue(value, context);
        }
    }
}
