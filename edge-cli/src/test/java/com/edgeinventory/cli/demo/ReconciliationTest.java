package com.edgeinventory.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.cli.demo.Reconciliation.Key;
import com.edgeinventory.cli.demo.Reconciliation.Levels;
import com.edgeinventory.cli.demo.Reconciliation.Units;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ReconciliationTest {

    private static final Key EU_A = new Key("eu-west-1", "AAA-1");
    private static final Key US_A = new Key("us-east-1", "AAA-1");
    private static final Key EU_B = new Key("eu-west-1", "BBB-2");

    /** A consistent world: two regions, two skus, units sold agree. */
    private static final class World {
        final Map<Key, Levels> regional = new HashMap<>(Map.of(
                EU_A, new Levels(10, 2, 5), US_A, new Levels(7, 0, 3), EU_B, new Levels(4, 1, 0)));
        final Map<Key, Levels> central = new HashMap<>(regional);
        final Map<String, Levels> totals = new HashMap<>(Map.of(
                "AAA-1", new Levels(17, 2, 8), "BBB-2", new Levels(4, 1, 0)));
        final Map<Key, Long> ledger = new HashMap<>(Map.of(EU_A, 5L, US_A, 3L));
        final Map<Key, Long> topSellers = new HashMap<>(Map.of(EU_A, 5L, US_A, 3L));

        Reconciliation.Outcome compare() {
            return Reconciliation.compare(regional, central, totals, new Units("ledger", ledger),
                    new Units("top-sellers", topSellers));
        }
    }

    @Test
    void aConsistentWorldIsEqual() {
        Reconciliation.Outcome outcome = new World().compare();

        assertThat(outcome).isInstanceOf(Reconciliation.Equal.class);
        assertThat(outcome.equal()).isTrue();
        assertThat(outcome.differences()).isEmpty();
    }

    @Test
    void emptyInputsAreEqual() {
        assertThat(Reconciliation.compare(Map.of(), Map.of(), Map.of(), new Units("a", Map.of()),
                new Units("b", Map.of())).equal()).isTrue();
    }

    @Test
    void aSkuAbsentFromOneSourceCountsAsZeroUnitsSold() {
        World w = new World();
        w.ledger.put(EU_B, 0L);

        assertThat(w.compare().equal()).isTrue();
    }

    static Stream<Arguments> differences() {
        return Stream.of(
                Arguments.of("central lags one sold unit",
                        (Consumer<World>) w -> w.central.put(EU_A, new Levels(10, 2, 4)),
                        List.of("eu-west-1 AAA-1 sold: edge 5, central 4")),
                Arguments.of("central still holds a reservation the edge released",
                        (Consumer<World>) w -> w.central.put(EU_B, new Levels(3, 2, 0)),
                        List.of("eu-west-1 BBB-2 available: edge 4, central 3",
                                "eu-west-1 BBB-2 reserved: edge 1, central 2")),
                Arguments.of("central never heard of a region's sku",
                        (Consumer<World>) w -> w.central.remove(US_A),
                        List.of("us-east-1 AAA-1 available: edge 7, central missing",
                                "us-east-1 AAA-1 reserved: edge 0, central missing",
                                "us-east-1 AAA-1 sold: edge 3, central missing")),
                Arguments.of("central has a row no edge has",
                        (Consumer<World>) w -> w.central.put(new Key("ap-south-1", "AAA-1"), new Levels(1, 0, 0)),
                        List.of("ap-south-1 AAA-1 available: edge missing, central 1",
                                "ap-south-1 AAA-1 reserved: edge missing, central 0",
                                "ap-south-1 AAA-1 sold: edge missing, central 0")),
                Arguments.of("a total that does not add up",
                        (Consumer<World>) w -> w.totals.put("AAA-1", new Levels(17, 2, 9)),
                        List.of("ALL AAA-1 sold: sum of the edges 8, central 9")),
                Arguments.of("a total for a sku no edge has",
                        (Consumer<World>) w -> w.totals.put("ZZZ-9", new Levels(0, 0, 1)),
                        List.of("ALL ZZZ-9 available: sum of the edges missing, central 0",
                                "ALL ZZZ-9 reserved: sum of the edges missing, central 0",
                                "ALL ZZZ-9 sold: sum of the edges missing, central 1")),
                Arguments.of("a missing total",
                        (Consumer<World>) w -> w.totals.remove("BBB-2"),
                        List.of("ALL BBB-2 available: sum of the edges 4, central missing",
                                "ALL BBB-2 reserved: sum of the edges 1, central missing",
                                "ALL BBB-2 sold: sum of the edges 0, central missing")),
                Arguments.of("the sources disagree on units sold",
                        (Consumer<World>) w -> w.topSellers.put(US_A, 2L),
                        List.of("us-east-1 AAA-1 units sold: ledger 3, top-sellers 2")),
                Arguments.of("one source sold what the other never saw",
                        (Consumer<World>) w -> w.ledger.put(EU_B, 1L),
                        List.of("eu-west-1 BBB-2 units sold: ledger 1, top-sellers 0")),
                Arguments.of("several at once, in region and sku order",
                        (Consumer<World>) w -> {
                            w.central.put(US_A, new Levels(7, 0, 2));
                            w.central.put(EU_A, new Levels(11, 2, 5));
                            w.topSellers.remove(EU_A);
                        },
                        List.of("eu-west-1 AAA-1 available: edge 10, central 11",
                                "us-east-1 AAA-1 sold: edge 3, central 2",
                                "eu-west-1 AAA-1 units sold: ledger 5, top-sellers 0")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void differences(String name, Consumer<World> change, List<String> expected) {
        World w = new World();
        change.accept(w);

        Reconciliation.Outcome outcome = w.compare();

        assertThat(outcome).isInstanceOf(Reconciliation.Different.class);
        assertThat(outcome.equal()).isFalse();
        assertThat(outcome.differences()).extracting(Reconciliation.Difference::describe)
                .containsExactlyElementsOf(expected);
    }
}
