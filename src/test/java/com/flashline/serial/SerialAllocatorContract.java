package com.flashline.serial;

import static com.flashline.support.Fixtures.TESTER;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashline.catalog.Recipe;
import com.flashline.support.Fixtures;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Serial allocation against a real database; run on H2 and on PostgreSQL by the subclasses.
 * Each worker thread allocates in its own transaction on its own connection, which is what
 * several stations sharing one database look like to the database.
 */
abstract class SerialAllocatorContract {

    static final int THREADS = 8;
    static final int CHIPS = 60;

    @Autowired
    SerialAllocator allocator;
    @Autowired
    Fixtures fixtures;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;
    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void concurrentAllocationsAreUniqueGapFreeAndIdempotentPerChip() throws Exception {
        Recipe recipe = fixtures.serialisingRecipe("FL-{seq:06d}", 1000);
        List<String> uids = new ArrayList<>();
        for (int i = 0; i < CHIPS; i++) {
            uids.add(String.format("%024x", 0x3A0041000000L + i));
        }
        Map<String, Set<Long>> valuesPerUid = new ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int offset = t;
                // Every chip is requested by every thread, each thread in a different order.
                results.add(pool.submit((Callable<Integer>) () -> {
                    go.await();
                    for (int i = 0; i < CHIPS; i++) {
                        String uid = uids.get((i * 7 + offset * 13) % CHIPS);
                        AllocatedSerial serial = allocator.allocate(sequence(recipe), uid, TESTER);
                        valuesPerUid.computeIfAbsent(uid, k -> ConcurrentHashMap.newKeySet()).add(serial.value());
                    }
                    return CHIPS;
                }));
            }
            go.countDown();
            for (Future<Integer> result : results) {
                assertThat(result.get(2, TimeUnit.MINUTES)).isEqualTo(CHIPS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(valuesPerUid).hasSize(CHIPS);
        valuesPerUid.forEach((uid, values) -> assertThat(values).as("values handed to chip %s", uid).hasSize(1));
        Set<Long> all = valuesPerUid.values().stream().flatMap(Set::stream).collect(Collectors.toCollection(TreeSet::new));
        assertThat(all).containsExactlyElementsOf(LongStream.range(1000, 1000 + CHIPS).boxed().toList());

        Integer rows = jdbc.queryForObject("SELECT COUNT(*) FROM serial_assignment WHERE recipe_id = ?",
                Integer.class, recipe.id());
        assertThat(rows).isEqualTo(CHIPS);
        Integer audits = jdbc.queryForObject(
                "SELECT COUNT(*) FROM audit_record WHERE type = 'SERIAL_ALLOCATED' AND recipe_id = ?",
                Integer.class, recipe.id());
        assertThat(audits).as("one SERIAL_ALLOCATED record per chip, none for re-requests").isEqualTo(CHIPS);
    }

    @Test
    void reflashingTheSameChipReturnsItsNumberAgain() {
        Recipe recipe = fixtures.serialisingRecipe("FL-%06d", 1);
        AllocatedSerial first = allocator.allocate(sequence(recipe), "UID-A", TESTER);
        AllocatedSerial other = allocator.allocate(sequence(recipe), "UID-B", TESTER);
        AllocatedSerial again = allocator.allocate(sequence(recipe), "UID-A", TESTER);

        assertThat(first.text()).isEqualTo("FL-000001");
        assertThat(first.reused()).isFalse();
        assertThat(other.text()).isEqualTo("FL-000002");
        assertThat(again.value()).isEqualTo(first.value());
        assertThat(again.reused()).isTrue();
        assertThat(again.bytes()).isEqualTo(first.bytes());
        assertThat(again.address()).isEqualTo(Fixtures.SERIAL_ADDRESS);
    }

    @Test
    void sequencesAreIndependentPerRecipe() {
        Recipe a = fixtures.serialisingRecipe("A{seq}", 5);
        Recipe b = fixtures.serialisingRecipe("u32le", 5);
        assertThat(allocator.allocate(sequence(a), "UID-1", TESTER).text()).isEqualTo("A5");
        assertThat(allocator.allocate(sequence(b), "UID-1", TESTER).bytes()).containsExactly(5, 0, 0, 0);
        assertThat(allocator.allocate(sequence(a), "UID-2", TESTER).text()).isEqualTo("A6");
    }

    @Test
    void anExhaustedSequenceAllocatesNothing() {
        Recipe recipe = fixtures.serialisingRecipe("X{seq:02d}", 99);
        assertThat(allocator.allocate(sequence(recipe), "UID-LAST", TESTER).text()).isEqualTo("X99");
        assertThatThrownBy(() -> allocator.allocate(sequence(recipe), "UID-OVER", TESTER))
                .isInstanceOfSatisfying(SerialAllocationException.class,
                        e -> assertThat(e.code()).isEqualTo(SerialAllocationException.EXHAUSTED));
        Integer rows = jdbc.queryForObject("SELECT COUNT(*) FROM serial_assignment WHERE recipe_id = ?",
                Integer.class, recipe.id());
        assertThat(rows).isEqualTo(1);
    }

    @Test
    void aRecipeWithoutSerialCannotAllocate() {
        Recipe recipe = fixtures.recipe();
        assertThat(recipe.serialSequence()).isEmpty();
        // A spec for a recipe that was created without one: there is no sequence row to draw from.
        SerialSequence unsequenced = new SerialSequence(recipe.id(),
                new SerialSpec(Fixtures.SERIAL_ADDRESS, "FL-{seq}", 1, 16), recipe.firmwareId(), recipe.firmwareSha256());
        assertThatThrownBy(() -> allocator.allocate(unsequenced, "UID-1", TESTER))
                .isInstanceOfSatisfying(SerialAllocationException.class,
                        e -> assertThat(e.code()).isEqualTo(SerialAllocationException.NOT_SERIALISED));
        Integer rows = jdbc.queryForObject("SELECT COUNT(*) FROM serial_assignment WHERE recipe_id = ?",
                Integer.class, recipe.id());
        assertThat(rows).isZero();
    }

    @Test
    void aChipUidIsOneToSixtyFourCharactersAndNothingIsAllocatedForAnyOther() {
        Recipe recipe = fixtures.serialisingRecipe("U{seq}", 1);
        for (String bad : new String[] {null, "", "   ", "A".repeat(65)}) {
            assertThatThrownBy(() -> allocator.allocate(sequence(recipe), bad, TESTER)).as("UID %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        Integer rows = jdbc.queryForObject("SELECT COUNT(*) FROM serial_assignment WHERE recipe_id = ?",
                Integer.class, recipe.id());
        assertThat(rows).isZero();

        assertThat(allocator.allocate(sequence(recipe), "A".repeat(64), TESTER).text()).isEqualTo("U1");
        assertThat(allocator.allocate(sequence(recipe), "B", TESTER).text()).isEqualTo("U2");
    }

    @Test
    void onlyANumberTakenNowCountsAsAllocated() {
        Recipe recipe = fixtures.serialisingRecipe("M{seq}", 1);
        String recipeTag = Long.toString(recipe.id());

        allocator.allocate(sequence(recipe), "UID-M1", TESTER);
        allocator.allocate(sequence(recipe), "UID-M1", TESTER);
        allocator.allocate(sequence(recipe), "UID-M2", TESTER);

        assertThat(meters.counter("flashline.serials.allocated", "recipe", recipeTag).count()).isEqualTo(2.0);
    }

    @Test
    void aNumberTakenInsideAJobsTransactionStaysTakenWhenThatTransactionRollsBack() {
        Recipe recipe = fixtures.serialisingRecipe("R{seq}", 1);

        AllocatedSerial taken = new TransactionTemplate(transactionManager).execute(status -> {
            AllocatedSerial serial = allocator.allocate(sequence(recipe), "UID-R1", TESTER);
            status.setRollbackOnly();
            return serial;
        });

        Long stored = jdbc.queryForObject("SELECT serial_value FROM serial_assignment WHERE recipe_id = ? "
                + "AND chip_uid = ?", Long.class, recipe.id(), "UID-R1");
        assertThat(stored).isEqualTo(taken.value());
        AllocatedSerial again = allocator.allocate(sequence(recipe), "UID-R1", TESTER);
        assertThat(again.reused()).isTrue();
        assertThat(again.text()).isEqualTo("R1");
    }

    private static SerialSequence sequence(Recipe recipe) {
        return recipe.serialSequence().orElseThrow();
    }
}
