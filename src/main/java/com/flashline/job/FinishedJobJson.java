package com.flashline.job;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.Version;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.core.json.UTF8JsonGenerator;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.ser.ValueSerializerModifier;
import tools.jackson.databind.ser.std.DelegatingSerializer;

/**
 * Writes the JSON of a finished job once. A job in a final state ({@link JobState#terminal()})
 * never changes, yet dashboards poll the job list (fifty jobs a page, nearly all of them finished)
 * and building each view's JSON was the largest part of a {@code GET /jobs}'s CPU.
 *
 * <p>This module wraps Jackson's own serializer of {@link JobView}. The first time a finished view
 * is written, that serializer writes it into a buffer, with the same settings and the same kind of
 * generator as the response; the bytes are kept, with the view they were made from, and written
 * raw the next times. Kept JSON is written only for a view equal to the one it was made from
 * (records compare every field, the phases too) and under the same settings, so a view that
 * changed is written afresh, never stale. Live jobs always go through the bean serializer, and so
 * does anything but a plain UTF-8 JSON response (pretty printing, {@code writeValueAsString},
 * {@code valueToTree}, a variant of the serializer for another property's annotations).
 *
 * <p>At most {@link #CAPACITY} jobs are kept, the least recently written dropped first: about
 * 3 KB each (the view, its JSON as text and as bytes), some 3 MB in all.
 */
@Component
class FinishedJobJson extends JacksonModule {

    /**
     * Twenty pages of the default size, two of the largest: what dashboards poll again and again
     * is the newest pages; a walk through the history (an MES pull) reads each page once.
     */
    static final int CAPACITY = 1024;

    private final Cache cache;

    FinishedJobJson() {
        this(CAPACITY);
    }

    FinishedJobJson(int capacity) {
        this.cache = new Cache(capacity);
    }

    @Override
    public String getModuleName() {
        return "flashline-finished-job-json";
    }

    @Override
    public Version version() {
        return Version.unknownVersion();
    }

    @Override
    public void setupModule(SetupContext context) {
        context.addSerializerModifier(new JobViewSerializerModifier(cache));
    }

    /** How many finished jobs' JSON is kept. */
    int kept() {
        return cache.size();
    }

    /** How many times kept JSON was written instead of serialising the view. */
    long hits() {
        return cache.hits.sum();
    }

    /**
     * Everything besides the view that the bytes of its JSON depend on: the serialization settings
     * (compared as the instance, which a mapper or writer keeps for as long as its settings stay)
     * and the generator's own output settings.
     */
    record Writing(SerializationConfig config, int streamWriteFeatures, int jsonWriteFeatures,
            CharacterEscapes characterEscapes, int highestNonEscapedChar) {

        private static final JsonWriteFeature[] JSON_WRITE_FEATURES = JsonWriteFeature.values();

        static Writing of(SerializationContext context, UTF8JsonGenerator generator) {
            int jsonWriteFeatures = 0;
            for (JsonWriteFeature feature : JSON_WRITE_FEATURES) {
                if (generator.isEnabled(feature)) {
                    jsonWriteFeatures |= feature.getMask();
                }
            }
            return new Writing(context.getConfig(), generator.streamWriteFeatures(), jsonWriteFeatures,
                    generator.getCharacterEscapes(), generator.getHighestNonEscapedChar());
        }

        /** Written out, like {@link JobView#equals} and for the same reason: compared once per job written. */
        @Override
        public boolean equals(Object other) {
            return this == other || other instanceof Writing that
                    && streamWriteFeatures == that.streamWriteFeatures && jsonWriteFeatures == that.jsonWriteFeatures
                    && highestNonEscapedChar == that.highestNonEscapedChar && Objects.equals(config, that.config)
                    && Objects.equals(characterEscapes, that.characterEscapes);
        }

        @Override
        public int hashCode() {
            return Objects.hash(config, streamWriteFeatures, jsonWriteFeatures, characterEscapes, highestNonEscapedChar);
        }
    }

    /** The JSON of finished jobs by job id, least recently written first. */
    static final class Cache {

        private record Entry(JobView view, Writing writing, SerializableString json) {
        }

        private final RecentlyUsed<Entry> entries;
        private final LongAdder hits = new LongAdder();

        Cache(int capacity) {
            this.entries = new RecentlyUsed<>(capacity);
        }

        /** The JSON kept for exactly this view written this way, else null. */
        SerializableString json(JobView view, Writing writing) {
            Entry entry = entries.get(view.id());
            // Entries never change: compared outside the lock.
            if (entry == null || !entry.writing().equals(writing) || !entry.view().equals(view)) {
                return null;
            }
            hits.increment();
            return entry.json();
        }

        void put(JobView view, Writing writing, SerializableString json) {
            if (!view.state().terminal()) {
                throw new IllegalArgumentException("job " + view.id() + " is " + view.state() + ": its JSON can change");
            }
            Entry entry = new Entry(view, writing, json);
            entries.put(view.id(), entry);
        }

        int size() {
            return entries.size();
        }
    }

    private static final class JobViewSerializerModifier extends ValueSerializerModifier {

        private final Cache cache;

        JobViewSerializerModifier(Cache cache) {
            this.cache = cache;
        }

        @Override
        public ValueSerializer<?> modifySerializer(SerializationConfig config, BeanDescription.Supplier beanDesc,
                ValueSerializer<?> serializer) {
            return beanDesc.getBeanClass() == JobView.class ? new KeptJsonSerializer(serializer, cache) : serializer;
        }
    }

    /** Jackson's serializer of {@link JobView}, with the JSON of finished jobs kept. */
    static final class KeptJsonSerializer extends DelegatingSerializer {

        private final Cache cache;

        KeptJsonSerializer(ValueSerializer<?> beanSerializer, Cache cache) {
            super(beanSerializer);
            this.cache = cache;
        }

        /**
         * A variant of the bean serializer (contextualised for a property with its own annotations,
         * unwrapped, filtered) writes other JSON than the one the kept bytes came from: it is used
         * as it is, without any kept JSON.
         */
        @Override
        @SuppressWarnings("unchecked")
        protected ValueSerializer<Object> newDelegatingInstance(ValueSerializer<?> variant) {
            return (ValueSerializer<Object>) variant;
        }

        @Override
        public void serialize(Object value, JsonGenerator gen, SerializationContext context) {
            JobView view = (JobView) value;
            // Raw JSON stands in for the view only in compact UTF-8 JSON: not in a token buffer
            // (valueToTree), not indented, not in a String (written once per event, nothing to gain).
            if (!view.state().terminal() || !(gen instanceof UTF8JsonGenerator json)
                    || json.getPrettyPrinter() != null || context.hasPrettyPrinter()) {
                _delegatee.serialize(value, gen, context);
                return;
            }
            Writing writing = Writing.of(context, json);
            SerializableString kept = cache.json(view, writing);
            if (kept == null) {
                kept = written(view, writing, context);
                if (kept == null) {
                    _delegatee.serialize(value, gen, context);
                    return;
                }
                cache.put(view, writing, kept);
            }
            gen.writeRawValue(kept);
        }

        /**
         * The view's JSON as the bean serializer writes it, or null if the buffer would not write
         * what the response's generator writes (other output settings, or bytes that would not
         * come back the same from the kept text).
         */
        private SerializableString written(JobView view, Writing writing, SerializationContext context) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
            try (JsonGenerator buffer = context.createGenerator(bytes, JsonEncoding.UTF8)) {
                if (!(buffer instanceof UTF8JsonGenerator json) || !Writing.of(context, json).equals(writing)) {
                    return null;
                }
                _delegatee.serialize(view, buffer, context);
            }
            byte[] written = bytes.toByteArray();
            SerializedString json = new SerializedString(new String(written, StandardCharsets.UTF_8));
            // Encodes the kept bytes now, once, and proves they are the ones written.
            return Arrays.equals(json.asUnquotedUTF8(), written) ? json : null;
        }
    }
}
