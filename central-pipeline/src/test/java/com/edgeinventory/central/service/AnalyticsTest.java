package com.edgeinventory.central.service;

import com.edgeinventory.central.service.AnalyticsStore.MixDay;
import com.edgeinventory.central.service.AnalyticsStore.RegionDay;
import com.edgeinventory.central.service.AnalyticsStore.StoreDay;
import com.edgeinventory.central.service.AnalyticsStore.SkuSales;
import com.edgeinventory.central.service.AnalyticsStore.SkuLevels;
import com.edgeinventory.central.service.AnalyticsStore.RegionLevel;
import com.edgeinventory.model.central.Visit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AnalyticsTest {

    static final Instant NOW = Instant.parse("2026-11-27T09:00:00Z");
    static final LocalDate D1 = LocalDate.parse("2026-11-26");
    static final LocalDate D2 = LocalDate.parse("2026-11-27");

    /** An in-memory store; {@link #levelsRead} counts how far a low-stock query read the index. */
    static class FakeStore implements AnalyticsStore {
        final Map<String, SkuLevels> levels = new HashMap<>();
        final Map<String, List<SkuLevel>> byRegion = new HashMap<>();
        final Map<RegionDay, List<SkuSales>> sales = new ConcurrentHashMap<>();
        final SortedMap<String, Long> freshness = new TreeMap<>();
        final AtomicInteger levelsRead = new AtomicInteger();
        final List<RegionDay> salesDaysRead = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, Object> unitsSoldAskedFor;

        @Override
        public SkuLevels levels(String sku) {
            return levels.getOrDefault(sku, new SkuLevels(Levels.ZERO, List.of()));
        }

        /** Ascending available; ties in the reverse of sku order, so the service must sort them itself. */
        @Override
        public Iterator<SkuLevel> availableBelow(String region, long threshold, int pageSize) {
            List<SkuLevel> sorted = byRegion.getOrDefault(region, List.of()).stream()
                    .filter(l -> l.level().available() < threshold)
                    .sorted(Comparator.comparingLong((SkuLevel l) -> l.level().available())
                            .thenComparing(SkuLevel::sku, Comparator.reverseOrder()))
                    .toList();
            Iterator<SkuLevel> it = sorted.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public SkuLevel next() {
                    levelsRead.incrementAndGet();
                    return it.next();
                }
            };
        }

        @Override
        public List<SkuSales> salesOfDay(String region, LocalDate day) {
            salesDaysRead.add(new RegionDay(region, day));
            return sales.getOrDefault(new RegionDay(region, day), List.of());
        }

        @Override
        public Map<RegionDay, Long> unitsSold(String sku, Collection<String> regions, Collection<LocalDate> days) {
            unitsSoldAskedFor = Map.of("sku", sku, "regions", List.copyOf(regions), "days", List.copyOf(days));
            Map<RegionDay, Long> units = new HashMap<>();
            for (String region : regions) {
                for (LocalDate day : days) {
                    sales.getOrDefault(new RegionDay(region, day), List.of()).stream()
                            .filter(s -> s.sku().equals(sku))
                            .forEach(s -> units.put(new RegionDay(region, day), s.qty()));
                }
            }
            return units;
        }

        final Map<RegionDay, List<StoreDay>> stores = new ConcurrentHashMap<>();
        final Map<RegionDay, MixDay> mixes = new ConcurrentHashMap<>();

        @Override
        public List<StoreDay> storesOfDay(String region, LocalDate day) {
            return stores.getOrDefault(new RegionDay(region, day), List.of());
        }

        @Override
        public MixDay mixOfDay(String region, LocalDate day) {
            return mixes.getOrDefault(new RegionDay(region, day), MixDay.NONE);
        }

        final Map<RegionDay, List<LostDay>> lost = new ConcurrentHashMap<>();

        @Override
        public List<LostDay> lostDemandOfDay(String region, LocalDate day) {
            return lost.getOrDefault(new RegionDay(region, day), List.of());
        }

        @Override
        public long lostUnitsOfDay(String sku, String region, LocalDate day) {
            return lostDemandOfDay(region, day).stream().filter(l -> l.sku().equals(sku))
                    .mapToLong(LostDay::refusedUnits).sum();
        }

        @Override
        public SortedMap<String, Long> freshness() {
            return freshness;
        }
    }

    // ------------------------------------------------------------------ regional performance, customer behaviour

    @Test
    void regionalPerformanceSumsStoresOverDaysWithARegionSubtotalAndAGrandTotal() {
        store.freshness.putAll(Map.of("eu-west-1", 1L, "us-east-1", 1L));
        store.stores.put(new RegionDay("eu-west-1", D1), List.of(
                new StoreDay("STORE-A", 4, 10, 6, Map.of("EUR", new BigDecimal("100.00"))),
                new StoreDay("STORE-B", 1, 1, 1, Map.of("EUR", new BigDecimal("9.90")))));
        store.stores.put(new RegionDay("eu-west-1", D2), List.of(
                new StoreDay("STORE-A", 2, 3, 2, Map.of("EUR", new BigDecimal("30.00"), "USD", new BigDecimal("5")))));
        store.stores.put(new RegionDay("us-east-1", D2), List.of(
                new StoreDay("STORE-X", 3, 3, 3, Map.of("USD", new BigDecimal("45.00")))));

        AnalyticsResult r = analytics.run(new AnalyticsRequest.RegionalPerformance(Optional.empty(), D1, D2));

        assertThat(r.items()).extracting(row -> row.get("region") + "/" + row.get("store") + " " + row.get("baskets")
                + " " + row.get("units") + " " + row.get("unitsPerBasket") + " " + row.get("amounts"))
                .containsExactly(
                        "eu-west-1/STORE-A 6 13 2.17 {EUR=130.00, USD=5.00}",
                        "eu-west-1/STORE-B 1 1 1.00 {EUR=9.90}",
                        "eu-west-1/ALL 7 14 2.00 {EUR=139.90, USD=5.00}",
                        "us-east-1/STORE-X 3 3 1.00 {USD=45.00}",
                        "us-east-1/ALL 3 3 1.00 {USD=45.00}");
        assertThat(r.totals().orElseThrow()).containsEntry("baskets", 10L).containsEntry("units", 17L)
                .containsEntry("unitsPerBasket", new BigDecimal("1.70"));
        assertThat(analytics.run(new AnalyticsRequest.RegionalPerformance(Optional.of("us-east-1"), D1, D1)).items())
                .as("a day with no sale in the one region asked for").isEmpty();
    }

    @Test
    void lostDemandRanksSkusByRefusedUnitsSummedOverStoresAndDays() {
        store.freshness.putAll(Map.of("eu-west-1", 1L, "us-east-1", 1L));
        store.lost.put(new RegionDay("eu-west-1", D1), List.of(new AnalyticsStore.LostDay("DROP-44", "S1", 30, 12, 4),
                new AnalyticsStore.LostDay("DROP-44", "S2", 5, 2, 0), new AnalyticsStore.LostDay("SOCK", "S1", 1, 1, 1)));
        store.lost.put(new RegionDay("eu-west-1", D2), List.of(new AnalyticsStore.LostDay("SOCK", "S1", 9, 3, 3)));
        store.lost.put(new RegionDay("us-east-1", D2), List.of(new AnalyticsStore.LostDay("DROP-44", "S9", 20, 20, 0)));

        AnalyticsResult all = analytics.run(new AnalyticsRequest.LostDemand(Optional.empty(), D1, D2, 2));

        assertThat(all.items()).extracting(r -> r.get("rank") + " " + r.get("region") + " " + r.get("sku") + " "
                + r.get("refusedUnits") + " " + r.get("refusals") + " " + r.get("offered"))
                .containsExactly("1 eu-west-1 DROP-44 35 14 4", "2 us-east-1 DROP-44 20 20 0");
        assertThat(all.totals().orElseThrow()).as("the totals count every sku, not only the top")
                .containsEntry("refusedUnits", 65L).containsEntry("refusals", 38L).containsEntry("offered", 8L);
        assertThat(analytics.run(new AnalyticsRequest.LostDemand(Optional.of("eu-west-1"), D2, D2, 10)).items())
                .extracting(r -> r.get("sku") + " " + r.get("refusedUnits")).containsExactly("SOCK 9");
    }

    @Test
    void theForecastLearnsTheWeekFromSoldAndRefusedUnitsAndSuggestsAReorder() {
        store.freshness.put("eu-west-1", 1L);
        store.levels.put("DROP-44", new SkuLevels(Levels.ZERO, List.of(new RegionLevel("eu-west-1",
                new RegionalLevel(20, 0, 0, 1, 0, false)))));
        LocalDate to = D2;
        double[] week = {10, 10, 12, 14, 20, 30, 8};
        for (int i = 0; i < 28; i++) {
            LocalDate day = to.minusDays(27 - i);
            long demand = (long) week[i % 7];
            // Saturdays sold out at 20: the rest was refused, and still counts as demand.
            long sold = Math.min(demand, 20);
            store.sales.put(new RegionDay("eu-west-1", day), List.of(new SkuSales("DROP-44", sold, 1, Map.of())));
            if (demand > sold) {
                store.lost.put(new RegionDay("eu-west-1", day), List.of(new AnalyticsStore.LostDay("DROP-44", "S1",
                        demand - sold, 1, 0)));
            }
        }

        AnalyticsResult r = analytics.run(new AnalyticsRequest.Forecast("DROP-44", Optional.empty(), 7, 28, 7, to));

        Map<String, Object> row = r.items().getFirst();
        assertThat(row).containsEntry("method", "holt-winters").containsEntry("available", 20L)
                .containsEntry("historyUnits", 4L * 104);
        @SuppressWarnings("unchecked")
        List<BigDecimal> perDay = (List<BigDecimal>) row.get("demandPerDay");
        assertThat(perDay).hasSize(7);
        for (int h = 0; h < 7; h++) {
            assertThat(perDay.get(h).doubleValue()).as("day %d", h).isCloseTo(week[(28 + h) % 7],
                    org.assertj.core.data.Offset.offset(1.0));
        }
        assertThat(((BigDecimal) row.get("forecastUnits")).doubleValue()).isCloseTo(104, org.assertj.core.data.Offset.offset(3.0));
        assertThat(((BigDecimal) row.get("daysOfCover")).doubleValue()).isCloseTo(20 / (104 / 7.0),
                org.assertj.core.data.Offset.offset(0.2));
        assertThat((long) row.get("reorderUnits")).isBetween(81L, 87L);
    }

    @Test
    void customerBehaviourGivesTheReturningShareOfIdentifiedBuyersAndTheMix() {
        store.freshness.putAll(Map.of("eu-west-1", 1L));
        store.mixes.put(new RegionDay("eu-west-1", D1), new MixDay(
                Map.of(Visit.NEW, 3L, Visit.RETURNING, 1L, Visit.ANONYMOUS, 6L),
                Map.of("running-shoes", 8L, "jackets", 2L), Map.of("42", 5L, "M", 5L)));
        store.mixes.put(new RegionDay("eu-west-1", D2), new MixDay(Map.of(Visit.RETURNING, 2L),
                Map.of("running-shoes", 2L), Map.of("42", 2L)));

        AnalyticsResult r = analytics.run(new AnalyticsRequest.CustomerBehaviour(Optional.empty(), D1, D2));

        assertThat(r.items()).hasSize(1);
        assertThat(r.items().getFirst()).containsEntry("baskets", 12L).containsEntry("new", 3L)
                .containsEntry("returning", 3L).containsEntry("anonymous", 6L)
                .containsEntry("returningShare", new BigDecimal("0.500"))
                .containsEntry("categories", new TreeMap<>(Map.of("running-shoes", 10L, "jackets", 2L)))
                .containsEntry("sizes", new TreeMap<>(Map.of("42", 7L, "M", 5L)));
        assertThat(analytics.run(new AnalyticsRequest.CustomerBehaviour(Optional.of("eu-west-1"), D2, D2)).items()
                .getFirst()).as("only returning customers identified").containsEntry("returningShare",
                new BigDecimal("1.000"));
        assertThat(analytics.run(new AnalyticsRequest.CustomerBehaviour(Optional.of("us-east-1"), D1, D1))
                .items().getFirst()).as("nobody identified: no share").containsEntry("returningShare", null)
                .containsEntry("baskets", 0L);
    }

    final FakeStore store = new FakeStore();
    final Analytics analytics = new Analytics(store, Clock.fixed(NOW, ZoneOffset.UTC));

    static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    static RegionalLevel level(long available, boolean deleted) {
        return new RegionalLevel(available, 1, 2, 3, NOW.toEpochMilli(), deleted);
    }

    static AnalyticsStore.SkuSales sales(String sku, long qty, long lines, Map<String, String> amounts) {
        Map<String, BigDecimal> decimals = new HashMap<>();
        amounts.forEach((c, a) -> decimals.put(c, new BigDecimal(a)));
        return new AnalyticsStore.SkuSales(sku, qty, lines, decimals);
    }

    @Test
    void availabilityListsLiveRegionsSortedAndTheTotals() {
        store.levels.put("SKU-A", new AnalyticsStore.SkuLevels(new Levels(15, 3, 9), List.of(
                new AnalyticsStore.RegionLevel("us-east-2", new RegionalLevel(5, 1, 4, 7, millis("2026-11-18T11:06:40Z"), false)),
                new AnalyticsStore.RegionLevel("ap-south-1", new RegionalLevel(99, 0, 0, 2, millis("2026-11-18T11:06:40Z"), true)),
                new AnalyticsStore.RegionLevel("eu-west-1", new RegionalLevel(10, 2, 5, 3, millis("2026-11-18T11:06:41.500Z"), false)))));

        AnalyticsResult result = analytics.run(new AnalyticsRequest.Availability("SKU-A"));

        assertThat(result.query()).isEqualTo("availability");
        assertThat(result.columns()).containsExactly("region", "available", "reserved", "sold", "version", "updatedAt");
        assertThat(result.items()).containsExactly(
                Map.of("region", "eu-west-1", "available", 10L, "reserved", 2L, "sold", 5L, "version", 3L,
                        "updatedAt", "2026-11-18T11:06:41.500Z"),
                Map.of("region", "us-east-2", "available", 5L, "reserved", 1L, "sold", 4L, "version", 7L,
                        "updatedAt", "2026-11-18T11:06:40Z"));
        assertThat(result.items().getFirst().keySet()).containsExactlyElementsOf(result.columns());
        assertThat(result.totals()).contains(Map.of("region", "ALL", "available", 15L, "reserved", 3L, "sold", 9L));
    }

    @Test
    void availabilityOfAnUnknownSkuIsEmptyWithZeroTotals() {
        AnalyticsResult result = analytics.run(new AnalyticsRequest.Availability("SKU-NONE"));

        assertThat(result.items()).isEmpty();
        assertThat(result.totals()).contains(Map.of("region", "ALL", "available", 0L, "reserved", 0L, "sold", 0L));
    }

    @Test
    void lowStockSortsByAvailableThenSkuDropsDeletedAndBreaksTiesAtTheLimitBySku() {
        store.byRegion.put("eu-west-1", List.of(
                new AnalyticsStore.SkuLevel("SKU-E", level(3, false)),
                new AnalyticsStore.SkuLevel("SKU-B", level(3, false)),
                new AnalyticsStore.SkuLevel("SKU-D", level(3, false)),
                new AnalyticsStore.SkuLevel("SKU-A", level(0, true)),
                new AnalyticsStore.SkuLevel("SKU-C", level(1, false)),
                new AnalyticsStore.SkuLevel("SKU-F", level(7, false)),
                new AnalyticsStore.SkuLevel("SKU-G", level(9, false)),
                new AnalyticsStore.SkuLevel("SKU-H", level(10, false))));

        AnalyticsResult result = analytics.run(new AnalyticsRequest.LowStock("eu-west-1", 10, 3));

        assertThat(result.items()).extracting(r -> r.get("sku")).containsExactly("SKU-C", "SKU-B", "SKU-D");
        assertThat(result.items()).extracting(r -> r.get("available")).containsExactly(1L, 3L, 3L);
        assertThat(result.columns()).containsExactly("sku", "available", "reserved", "sold", "updatedAt");
        assertThat(result.totals()).isEmpty();
        // A (deleted), C, then E B D (the ties, in whatever order the index gives them), and F, which is past them
        assertThat(store.levelsRead).hasValue(6);
    }

    @Test
    void lowStockIsStrictlyBelowTheThresholdAndReturnsAllWhenFewerThanTheLimit() {
        store.byRegion.put("eu-west-1", List.of(
                new AnalyticsStore.SkuLevel("SKU-A", level(4, false)),
                new AnalyticsStore.SkuLevel("SKU-B", level(5, false)),
                new AnalyticsStore.SkuLevel("SKU-C", level(0, false))));

        assertThat(analytics.run(new AnalyticsRequest.LowStock("eu-west-1", 5, 100)).items())
                .extracting(r -> r.get("sku")).containsExactly("SKU-C", "SKU-A");
        assertThat(analytics.run(new AnalyticsRequest.LowStock("eu-west-1", 0, 100)).items()).isEmpty();
        assertThat(analytics.run(new AnalyticsRequest.LowStock("us-east-2", 5, 100)).items()).isEmpty();
    }

    @Test
    void topSellersSumEveryDayOfTheRangeAndRankByQtyThenSku() {
        store.sales.put(new AnalyticsStore.RegionDay("eu-west-1", D1), List.of(
                sales("SKU-A", 2, 2, Map.of("EUR", "179.8")),
                sales("SKU-B", 5, 1, Map.of("EUR", "50")),
                sales("SKU-C", 1, 1, Map.of("JPY", "12000"))));
        store.sales.put(new AnalyticsStore.RegionDay("eu-west-1", D2), List.of(
                sales("SKU-A", 3, 1, Map.of("EUR", "0.2", "USD", "10.5")),
                sales("SKU-D", 4, 4, Map.of("EUR", "4"))));
        // another region and a day out of range do not count
        store.sales.put(new AnalyticsStore.RegionDay("us-east-2", D2), List.of(sales("SKU-C", 100, 1, Map.of())));
        store.sales.put(new AnalyticsStore.RegionDay("eu-west-1", D2.plusDays(1)),
                List.of(sales("SKU-C", 100, 1, Map.of())));

        AnalyticsResult result = analytics.run(new AnalyticsRequest.TopSellers("eu-west-1", D1, D2, 3));

        assertThat(result.columns()).containsExactly("rank", "sku", "qty", "lines", "amounts");
        assertThat(result.items()).containsExactly(
                Map.of("rank", 1, "sku", "SKU-A", "qty", 5L, "lines", 3L,
                        "amounts", Map.of("EUR", "180.00", "USD", "10.50")),
                Map.of("rank", 2, "sku", "SKU-B", "qty", 5L, "lines", 1L, "amounts", Map.of("EUR", "50.00")),
                Map.of("rank", 3, "sku", "SKU-D", "qty", 4L, "lines", 4L, "amounts", Map.of("EUR", "4.00")));
        assertThat(store.salesDaysRead).containsExactlyInAnyOrder(new AnalyticsStore.RegionDay("eu-west-1", D1),
                new AnalyticsStore.RegionDay("eu-west-1", D2));
    }

    @Test
    void topSellersReadEachDayOfALongRangeOnce() {
        LocalDate from = D2.minusDays(365);
        store.sales.put(new AnalyticsStore.RegionDay("eu-west-1", from), List.of(sales("SKU-OLD", 1, 1, Map.of())));
        store.sales.put(new AnalyticsStore.RegionDay("eu-west-1", D2), List.of(sales("SKU-NEW", 1, 1, Map.of())));

        AnalyticsResult result = analytics.run(new AnalyticsRequest.TopSellers("eu-west-1", from, D2, 10));

        assertThat(store.salesDaysRead).hasSize(366).doesNotHaveDuplicates();
        assertThat(result.items()).extracting(r -> r.get("sku")).containsExactly("SKU-NEW", "SKU-OLD");
        assertThat(result.items().getFirst().get("amounts")).isEqualTo(Map.of());
    }

    @Test
    void aFailingDayReadFailsTheQuery() {
        AnalyticsStore failing = new FakeStore() {
            @Override
            public List<SkuSales> salesOfDay(String region, LocalDate day) {
                if (day.equals(D1)) {
                    throw new AnalyticsStore.Unavailable("throttled");
                }
                return List.of();
            }
        };

        assertThatThrownBy(() -> new Analytics(failing, Clock.systemUTC())
                .run(new AnalyticsRequest.TopSellers("eu-west-1", D1.minusDays(20), D2, 10)))
                .isInstanceOf(AnalyticsStore.Unavailable.class).hasMessage("throttled");
    }

    @Test
    void velocityOverEveryKnownRegionSumsTheWindowAndRoundsHalfUp() {
        store.freshness.put("us-east-2", 1L);
        store.freshness.put("eu-west-1", 1L);
        store.freshness.put("ap-south-1", 1L);
        store.sales.put(new AnalyticsStore.RegionDay("eu-west-1", D1), List.of(sales("SKU-A", 3, 1, Map.of())));
        store.sales.put(new AnalyticsStore.RegionDay("eu-west-1", D2), List.of(sales("SKU-A", 2, 1, Map.of()),
                sales("SKU-B", 50, 1, Map.of())));
        store.sales.put(new AnalyticsStore.RegionDay("us-east-2", D2.minusDays(5)), List.of(sales("SKU-A", 1, 1, Map.of())));
        // the day before the window
        store.sales.put(new AnalyticsStore.RegionDay("us-east-2", D2.minusDays(6)), List.of(sales("SKU-A", 9, 1, Map.of())));

        AnalyticsResult result = analytics.run(new AnalyticsRequest.Velocity("SKU-A", 6, D2, Optional.empty()));

        assertThat(result.columns()).containsExactly("region", "units", "days", "unitsPerDay");
        assertThat(result.items()).containsExactly(
                Map.of("region", "ap-south-1", "units", 0L, "days", 6, "unitsPerDay", new BigDecimal("0.00")),
                Map.of("region", "eu-west-1", "units", 5L, "days", 6, "unitsPerDay", new BigDecimal("0.83")),
                Map.of("region", "us-east-2", "units", 1L, "days", 6, "unitsPerDay", new BigDecimal("0.17")));
        assertThat(result.totals()).contains(
                Map.of("region", "ALL", "units", 6L, "days", 6, "unitsPerDay", new BigDecimal("1.00")));
        assertThat(store.unitsSoldAskedFor.get("days")).isEqualTo(Velocity.window(D2, 6));
    }

    @Test
    void velocityOfOneRegionAsksOnlyForIt() {
        store.freshness.put("us-east-2", 1L);
        store.sales.put(new AnalyticsStore.RegionDay("eu-west-1", D2), List.of(sales("SKU-A", 7, 1, Map.of())));

        AnalyticsResult result = analytics.run(new AnalyticsRequest.Velocity("SKU-A", 1, D2, Optional.of("eu-west-1")));

        assertThat(store.unitsSoldAskedFor.get("regions")).isEqualTo(List.of("eu-west-1"));
        assertThat(result.items()).containsExactly(
                Map.of("region", "eu-west-1", "units", 7L, "days", 1, "unitsPerDay", new BigDecimal("7.00")));
    }

    @Test
    void velocityWithNoKnownRegionIsEmptyWithZeroTotalsAndReadsNothing() {
        AnalyticsResult result = analytics.run(new AnalyticsRequest.Velocity("SKU-A", 7, D2, Optional.empty()));

        assertThat(result.items()).isEmpty();
        assertThat(result.totals()).contains(
                Map.of("region", "ALL", "units", 0L, "days", 7, "unitsPerDay", new BigDecimal("0.00")));
        assertThat(store.unitsSoldAskedFor).isNull();
    }

    @Test
    void velocityArithmetic() {
        assertThat(Velocity.perDay(1, 8)).isEqualByComparingTo("0.13");   // 0.125 rounds half up
        assertThat(Velocity.perDay(1, 3)).isEqualByComparingTo("0.33");
        assertThat(Velocity.perDay(2, 3)).isEqualByComparingTo("0.67");
        assertThat(Velocity.perDay(5, 1).toPlainString()).isEqualTo("5.00");
        assertThat(Velocity.perDay(0, 366).toPlainString()).isEqualTo("0.00");
        assertThat(Velocity.perDay(Long.MAX_VALUE, 1)).isEqualByComparingTo(BigDecimal.valueOf(Long.MAX_VALUE));
        assertThatThrownBy(() -> Velocity.perDay(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Velocity.window(LocalDate.parse("2024-03-01"), 3)).containsExactly(
                LocalDate.parse("2024-02-28"), LocalDate.parse("2024-02-29"), LocalDate.parse("2024-03-01"));
    }

    @Test
    void freshnessReportsEachRegionsNewestEventAndWholeSecondsOfLag() {
        store.freshness.put("us-east-2", NOW.minusMillis(90_999).toEpochMilli());
        store.freshness.put("eu-west-1", NOW.minusSeconds(3600).toEpochMilli());
        store.freshness.put("ap-south-1", NOW.plusSeconds(5).toEpochMilli());

        AnalyticsResult result = analytics.run(new AnalyticsRequest.Freshness());

        assertThat(result.columns()).containsExactly("region", "newestEventAt", "lagSeconds");
        assertThat(result.items()).containsExactly(
                Map.of("region", "ap-south-1", "newestEventAt", "2026-11-27T09:00:05Z", "lagSeconds", 0L),
                Map.of("region", "eu-west-1", "newestEventAt", "2026-11-27T08:00:00Z", "lagSeconds", 3600L),
                Map.of("region", "us-east-2", "newestEventAt", "2026-11-27T08:58:29.001Z", "lagSeconds", 90L));
        assertThat(result.params()).isEmpty();
    }

    @Test
    void rankingOrdersByQtyDescendingThenSkuAndSumsAmountsPerCurrency() {
        SalesRanking ranking = new SalesRanking();
        ranking.add(sales("SKU-B", 2, 1, Map.of("EUR", "1.10")));
        ranking.add(sales("SKU-A", 2, 1, Map.of("EUR", "2")));
        ranking.add(sales("SKU-C", 1, 1, Map.of()));
        ranking.add(sales("SKU-C", 2, 2, Map.of("USD", "3.5", "EUR", "0.90")));

        List<AnalyticsStore.SkuSales> top = ranking.top(10);

        assertThat(top).extracting(AnalyticsStore.SkuSales::sku).containsExactly("SKU-C", "SKU-A", "SKU-B");
        assertThat(top.getFirst().qty()).isEqualTo(3);
        assertThat(top.getFirst().lines()).isEqualTo(3);
        assertThat(top.getFirst().amounts()).isEqualTo(Map.of("USD", new BigDecimal("3.5"), "EUR", new BigDecimal("0.90")));
        assertThat(ranking.top(1)).extracting(AnalyticsStore.SkuSales::sku).containsExactly("SKU-C");
    }

    @Test
    void amountsShowTheCurrencysMinorUnits() {
        assertThat(Amounts.text("EUR", new BigDecimal("179.8"))).isEqualTo("179.80");
        assertThat(Amounts.text("EUR", new BigDecimal("1.8E+2"))).isEqualTo("180.00");
        assertThat(Amounts.text("EUR", new BigDecimal("0"))).isEqualTo("0.00");
        assertThat(Amounts.text("JPY", new BigDecimal("12000"))).isEqualTo("12000");
        assertThat(Amounts.text("KWD", new BigDecimal("1.5"))).isEqualTo("1.500");
        assertThat(Amounts.text("EUR", new BigDecimal("0.125"))).isEqualTo("0.125");
        assertThat(Amounts.text("ZZZ", new BigDecimal("7.50"))).isEqualTo("7.5");
    }
}
