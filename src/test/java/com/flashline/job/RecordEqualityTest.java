package com.flashline.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.flashing.Phase;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.json.JsonMapper;

/**
 * The records whose {@code equals} is written out ({@link JobView#equals} says why) still compare
 * every component, as a record's generated {@code equals} does: for each component, a copy that
 * differs in it alone is not equal (nor equal the other way round), and a copy that differs in
 * nothing is equal with the same hash code. A component added to the record but not to its
 * {@code equals} fails here.
 */
class RecordEqualityTest {

    private static final JobView.Error ERROR = new JobView.Error("VERIFY_MISMATCH", "differs", 0x0800_0010L);
    private static final JobView VIEW = new JobView(7, "station-a", "1-4.2", "3568325E3034", "0123456789ABCDEF01234567",
            "POLL_TIMEOUT", 3, 5, "ab".repeat(32), JobState.FAILED, Phase.VERIFY, 1024, 4096, 2, "SN-0001", true,
            Instant.parse("2026-12-03T10:00:00Z"), Instant.parse("2026-12-03T10:00:01Z"),
            Instant.parse("2026-12-03T10:00:09Z"), 8000L, List.of(new JobView.PhaseTiming(Phase.ERASE, 1, 1200)),
            ERROR, "operator:alice", "operator:bob", "WO-17", "LOT-3");
    private static final FinishedJobJson.Writing WRITING = new FinishedJobJson.Writing(
            JsonMapper.builder().build().serializationConfig(), 3, 5, new NoEscapes(), 127);

    /** Other values for the types the generic rules below do not cover. */
    private static final Map<Class<?>, UnaryOperator<Object>> OTHER = Map.of(
            SerializationConfig.class, config -> JsonMapper.builder().build().serializationConfig(),
            CharacterEscapes.class, escapes -> new NoEscapes());

    static List<Record> records() {
        return List.of(VIEW, VIEW.phases().get(0), ERROR, WRITING);
    }

    @ParameterizedTest
    @MethodSource("records")
    void aCopyIsEqualWithTheSameHashCode(Record record) throws Exception {
        Record copy = copy(record, -1);

        assertThat(copy).isNotSameAs(record).isEqualTo(record);
        assertThat(copy.hashCode()).isEqualTo(record.hashCode());
    }

    @ParameterizedTest
    @MethodSource("records")
    void aCopyDifferingInAnyOneComponentIsNotEqual(Record record) throws Exception {
        RecordComponent[] components = record.getClass().getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            Record other = copy(record, i);

            assertThat(other).as(components[i].getName()).isNotEqualTo(record);
            assertThat(record).as(components[i].getName()).isNotEqualTo(other);
        }
        assertThat(record).isNotEqualTo(null).isNotEqualTo("not a " + record.getClass().getSimpleName());
    }

    @ParameterizedTest
    @MethodSource("records")
    void aMissingReferenceComponentIsNotEqualToAPresentOne(Record record) throws Exception {
        RecordComponent[] components = record.getClass().getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            if (components[i].getType().isPrimitive()) {
                continue;
            }
            Object[] values = values(record);
            values[i] = null;
            Record withNull = construct(record, values);

            assertThat(withNull).as(components[i].getName()).isNotEqualTo(record);
            assertThat(record).as(components[i].getName()).isNotEqualTo(withNull);
            assertThat(withNull).as(components[i].getName()).isEqualTo(construct(record, values.clone()));
        }
    }

    /** A copy of {@code record}, with component {@code changed} (unless -1) set to another value. */
    private static Record copy(Record record, int changed) throws Exception {
        Object[] values = values(record);
        if (changed >= 0) {
            values[changed] = other(record.getClass().getRecordComponents()[changed].getType(), values[changed]);
        }
        return construct(record, values);
    }

    private static Object[] values(Record record) throws Exception {
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            components[i].getAccessor().setAccessible(true);
            values[i] = components[i].getAccessor().invoke(record);
        }
        return values;
    }

    private static Record construct(Record record, Object[] values) throws Exception {
        Class<?>[] types = Arrays.stream(record.getClass().getRecordComponents()).map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        Constructor<?> constructor = record.getClass().getDeclaredConstructor(types);
        constructor.setAccessible(true);
        return (Record) constructor.newInstance(values);
    }

    private static Object other(Class<?> type, Object value) throws Exception {
        if (type == long.class) {
            return (long) value + 1;
        }
        if (type == int.class) {
            return (int) value + 1;
        }
        if (type == boolean.class) {
            return !(boolean) value;
        }
        if (type == String.class) {
            return value + "'";
        }
        if (type == Long.class) {
            return (Long) value + 1;
        }
        if (type == Instant.class) {
            return ((Instant) value).plusMillis(1);
        }
        if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            return constants[(((Enum<?>) value).ordinal() + 1) % constants.length];
        }
        if (type == List.class) {
            List<Object> longer = new ArrayList<>((List<?>) value);
            longer.add(longer.get(0));
            return longer;
        }
        if (type.isRecord()) {
            return copy((Record) value, 0);
        }
        UnaryOperator<Object> special = OTHER.get(type);
        if (special == null) {
            throw new AssertionError("no other value for a " + type.getName() + " component: add one to OTHER");
        }
        return special.apply(value);
    }

    private static final class NoEscapes extends CharacterEscapes {

        @Override
        public int[] getEscapeCodesForAscii() {
            return standardAsciiEscapesForJSON();
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }
}
