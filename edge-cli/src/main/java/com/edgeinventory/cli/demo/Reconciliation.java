package com.edgeinventory.cli.demo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * Whether the central aggregates equal the regional tables, as seen through the public APIs: each edge's levels
 * per sku ({@code GET /v1/stock/{sku}}) against the central levels per (region, sku) and the central totals per sku
 * (analytics availability), and the units sold per (region, sku) from two sources (say the devices' ledger and the
 * analytics top sellers). Pure: the caller fetches, this compares.
 */
public final class Reconciliation {

    private Reconciliation() {
    }

    /** A sku in a region. */
    public record Key(String region, String sku) implements Comparable<Key> {

        private static final Comparator<Key> ORDER = Comparator.comparing(Key::region).thenComparing(Key::sku);

        public Key {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(sku, "sku");
        }

        @Override
        public int compareTo(Key other) {
            return ORDER.compare(this, other);
        }
    }

    /** Stock levels of a sku. */
    public record Levels(long available, long reserved, long sold) {

        public Levels plus(Levels other) {
            return new Levels(available + other.available, reserved + other.reserved, sold + other.sold);
        }
    }

    /** Units sold per (region, sku) as one source counts them; a key it does not list counts 0. */
    public record Units(String source, Map<Key, Long> units) {

        public Units {
            Objects.requireNonNull(source, "source");
            units = Map.copyOf(units);
        }
    }

    /**
     * One disagreement. {@code region} is {@code ALL} for a total; a side that has no such row is empty.
     *
     * @param field {@code available}, {@code reserved}, {@code sold}, or {@code units sold}
     */
    public record Difference(String region, String sku, String field, String leftSource, OptionalLong left,
                             String rightSource, OptionalLong right) {

        public static final String ALL = "ALL";

        /** e.g. {@code eu-west-1 TR-001-42-BLU sold: edge 5, central 4} */
        public String describe() {
            return region + " " + sku + " " + field + ": " + leftSource + " " + text(left) + ", " + rightSource + " "
                    + text(right);
        }

        private static String text(OptionalLong value) {
            return value.isPresent() ? Long.toString(value.getAsLong()) : "missing";
        }
    }

    /** Equal, or the differences. */
    public sealed interface Outcome permits Equal, Different {

        public boolean equal();

        public List<Difference> differences();
    }

    public record Equal() implements Outcome {

        @Override
        public boolean equal() {
            return true;
        }

        @Override
        public List<Difference> differences() {
            return List.of();
        }
    }

    public record Different(List<Difference> differences) implements Outcome {

        public Different {
            differences = List.copyOf(differences);
            if (differences.isEmpty()) {
                throw new IllegalArgumentException("Different needs at least one difference");
            }
        }

        @Override
        public boolean equal() {
            return false;
        }
    }

    public static final String EDGE = "edge";
    public static final String CENTRAL = "central";
    public static final String SUM_OF_EDGES = "sum of the edges";

    private record Field(String name, ToLongFunction<Levels> value) {
    }

    private static final List<Field> FIELDS = List.of(new Field("available", Levels::available),
            new Field("reserved", Levels::reserved), new Field("sold", Levels::sold));

    /**
     * Compares every (region, sku) either side has, every sku's total, and the units sold of both sources.
     *
     * @param regional      each edge's own levels
     * @param central       the central levels per (region, sku)
     * @param centralTotals the central totals per sku over all regions
     */
    public static Outcome compare(Map<Key, Levels> regional, Map<Key, Levels> central,
                                  Map<String, Levels> centralTotals, Units soldLeft, Units soldRight) {
        List<Difference> differences = new ArrayList<>();
        TreeSet<Key> keys = new TreeSet<>(regional.keySet());
        keys.addAll(central.keySet());
        for (Key key : keys) {
            levels(key.region(), key.sku(), EDGE, regional.get(key), CENTRAL, central.get(key), differences);
        }
        Map<String, Levels> sums = new TreeMap<>();
        regional.forEach((key, levels) -> sums.merge(key.sku(), levels, Levels::plus));
        TreeSet<String> skus = new TreeSet<>(sums.keySet());
        skus.addAll(centralTotals.keySet());
        for (String sku : skus) {
            levels(Difference.ALL, sku, SUM_OF_EDGES, sums.get(sku), CENTRAL, centralTotals.get(sku), differences);
        }
        TreeSet<Key> sold = new TreeSet<>(soldLeft.units().keySet());
        sold.addAll(soldRight.units().keySet());
        for (Key key : sold) {
            long left = soldLeft.units().getOrDefault(key, 0L);
            long right = soldRight.units().getOrDefault(key, 0L);
            if (left != right) {
                differences.add(new Difference(key.region(), key.sku(), "units sold", soldLeft.source(),
                        OptionalLong.of(left), soldRight.source(), OptionalLong.of(right)));
            }
        }
        return differences.isEmpty() ? new Equal() : new Different(differences);
    }

    private static void levels(String region, String sku, String leftSource, Levels left, String rightSource,
                               Levels right, List<Difference> differences) {
        for (Field field : FIELDS) {
            OptionalLong l = left == null ? OptionalLong.empty() : OptionalLong.of(field.value().applyAsLong(left));
            OptionalLong r = right == null ? OptionalLong.empty() : OptionalLong.of(field.value().applyAsLong(right));
            if (!l.equals(r)) {
                differences.add(new Difference(region, sku, field.name(), leftSource, l, rightSource, r));
            }
        }
    }
}
