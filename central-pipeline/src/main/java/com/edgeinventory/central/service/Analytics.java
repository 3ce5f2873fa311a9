package com.edgeinventory.central.service;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs the analysts' queries against an {@link AnalyticsStore} and shapes their rows. Reads only. */
public final class Analytics {

    /** How many days of sales counters a top-sellers query reads at once. */
    static final int PARALLEL_DAYS = 8;

    private final AnalyticsStore store;
    private final Clock clock;

    public Analytics(AnalyticsStore store, Clock clock) {
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
    }

    public AnalyticsResult run(AnalyticsRequest request) {
        return switch (request) {
            case AnalyticsRequest.Availability a -> availability(a);
            case AnalyticsRequest.LowStock l -> lowStock(l);
            case AnalyticsRequest.TopSellers t -> topSellers(t);
            case AnalyticsRequest.Velocity v -> velocity(v);
            case AnalyticsRequest.Freshness f -> freshness(f);
            case AnalyticsRequest.RegionalPerformance r -> regionalPerformance(r);
            case AnalyticsRequest.CustomerBehaviour c -> customerBehaviour(c);
            case AnalyticsRequest.LostDemand l -> lostDemand(l);
            case AnalyticsRequest.Forecast f -> forecast(f);
        };
    }

    /**
     * Per region: demand (sold + refused) per day over the history, forecast with {@link Forecast#holtWinters};
     * days of cover = available / the forecast's mean per day; reorder = the forecast over the lead time less what
     * is available, rounded up, at least 0.
     */
    private AnalyticsResult forecast(AnalyticsRequest.Forecast request) {
        List<String> regions = regions(request.region());
        List<LocalDate> days = request.from().datesUntil(request.to().plusDays(1)).toList();
        Map<AnalyticsStore.RegionDay, Long> sold = regions.isEmpty() ? Map.of()
                : store.unitsSold(request.sku(), regions, days);
        Map<AnalyticsStore.RegionDay, Long> lost = perRegionDay(regions, request.from(), request.to(),
                (region, day) -> store.lostUnitsOfDay(request.sku(), region, day));
        Map<String, Long> available = new LinkedHashMap<>();
        store.levels(request.sku()).regions().forEach(r -> available.put(r.region(), r.level().available()));
        List<Map<String, Object>> items = new ArrayList<>();
        for (String region : regions.stream().sorted().toList()) {
            double[] demand = new double[days.size()];
            for (int i = 0; i < days.size(); i++) {
                AnalyticsStore.RegionDay key = new AnalyticsStore.RegionDay(region, days.get(i));
                demand[i] = sold.getOrDefault(key, 0L) + lost.getOrDefault(key, 0L);
            }
            int horizon = Math.max(request.days(), request.leadTime());
            Forecast.Fit fit = Forecast.holtWinters(demand, horizon);
            double[] next = java.util.Arrays.copyOf(fit.forecast(), request.days());
            double total = java.util.Arrays.stream(next).sum();
            double overLead = java.util.Arrays.stream(fit.forecast(), 0, request.leadTime()).sum();
            long stock = available.getOrDefault(region, 0L);
            double perDay = total / request.days();
            items.add(row("region", region, "method", Double.isNaN(fit.alpha()) ? "seasonal-naive" : "holt-winters",
                    "demandPerDay", java.util.Arrays.stream(next).mapToObj(Analytics::oneDecimal).toList(),
                    "forecastUnits", oneDecimal(total), "available", stock,
                    "daysOfCover", perDay <= 0 ? null : oneDecimal(stock / perDay),
                    "reorderUnits", Math.max(0, (long) Math.ceil(overLead - stock)),
                    "historyUnits", (long) java.util.Arrays.stream(demand).sum()));
        }
        return result(request, List.of("region", "method", "demandPerDay", "forecastUnits", "available",
                "daysOfCover", "reorderUnits", "historyUnits"), items, Optional.empty());
    }

    private static BigDecimal oneDecimal(double v) {
        return BigDecimal.valueOf(v).setScale(1, java.math.RoundingMode.HALF_EVEN);
    }

    /** Per region and sku, the refused units summed over stores and days; the top {@code limit} by refused units. */
    private AnalyticsResult lostDemand(AnalyticsRequest.LostDemand request) {
        Map<AnalyticsStore.RegionDay, List<AnalyticsStore.LostDay>> days = perRegionDay(regions(request.region()),
                request.from(), request.to(), store::lostDemandOfDay);
        Map<String, long[]> sums = new java.util.TreeMap<>(); // region#sku -> units, refusals, offered, bought
        days.forEach((regionDay, lost) -> lost.forEach(l -> {
            long[] s = sums.computeIfAbsent(regionDay.region() + "#" + l.sku(), k -> new long[4]);
            s[0] = Math.addExact(s[0], l.refusedUnits());
            s[1] = Math.addExact(s[1], l.refusals());
            s[2] = Math.addExact(s[2], l.offered());
            s[3] = Math.addExact(s[3], l.alternativesBought());
        }));
        List<Map.Entry<String, long[]>> ranked = new ArrayList<>(sums.entrySet());
        ranked.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[0])
                .thenComparing(Map.Entry::getKey));
        List<Map<String, Object>> items = new ArrayList<>();
        long[] total = new long[4];
        for (Map.Entry<String, long[]> e : ranked) {
            long[] v = e.getValue();
            for (int i = 0; i < 4; i++) {
                total[i] = Math.addExact(total[i], v[i]);
            }
            if (items.size() < request.limit()) {
                String region = e.getKey().substring(0, e.getKey().indexOf('#'));
                String sku = e.getKey().substring(e.getKey().indexOf('#') + 1);
                items.add(row("rank", items.size() + 1, "region", region, "sku", sku, "refusedUnits", v[0],
                        "refusals", v[1], "offered", v[2], "alternativesBought", v[3]));
            }
        }
        return result(request, List.of("rank", "region", "sku", "refusedUnits", "refusals", "offered",
                        "alternativesBought"), items,
                Optional.of(row("rank", null, "region", "ALL", "sku", "ALL", "refusedUnits", total[0],
                        "refusals", total[1], "offered", total[2], "alternativesBought", total[3])));
    }

    /** The asked-for region, or every region central has heard from, sorted. */
    private List<String> regions(Optional<String> region) {
        return region.map(List::of).orElseGet(() -> List.copyOf(store.freshness().keySet()));
    }

    /** Reads {@code read} for every (region, day), {@value #PARALLEL_DAYS} at a time, in region then day order. */
    private <T> Map<AnalyticsStore.RegionDay, T> perRegionDay(List<String> regions, LocalDate from, LocalDate to,
                                                            java.util.function.BiFunction<String, LocalDate, T> read) {
        List<AnalyticsStore.RegionDay> keys = new ArrayList<>();
        regions.stream().sorted().forEach(r -> from.datesUntil(to.plusDays(1))
                .forEach(d -> keys.add(new AnalyticsStore.RegionDay(r, d))));
        Map<AnalyticsStore.RegionDay, T> out = new LinkedHashMap<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < keys.size(); i += PARALLEL_DAYS) {
                List<AnalyticsStore.RegionDay> chunk = keys.subList(i, Math.min(keys.size(), i + PARALLEL_DAYS));
                List<Future<T>> reads = new ArrayList<>();
                for (AnalyticsStore.RegionDay k : chunk) {
                    reads.add(executor.submit(() -> read.apply(k.region(), k.day())));
                }
                for (int j = 0; j < chunk.size(); j++) {
                    out.put(chunk.get(j), join(reads.get(j)));
                }
            }
        }
        return out;
    }

    /** Per region and store: baskets, units, units per basket, revenue per currency; a subtotal per region. */
    private AnalyticsResult regionalPerformance(AnalyticsRequest.RegionalPerformance request) {
        Map<AnalyticsStore.RegionDay, List<AnalyticsStore.StoreDay>> days = perRegionDay(regions(request.region()),
                request.from(), request.to(), store::storesOfDay);
        Map<String, Map<String, Performance>> byRegion = new java.util.TreeMap<>();
        days.forEach((regionDay, stores) -> stores.forEach(s -> byRegion
                .computeIfAbsent(regionDay.region(), r -> new java.util.TreeMap<>())
                .merge(s.storeId(), Performance.of(s), Performance::plus)));
        List<Map<String, Object>> items = new ArrayList<>();
        Performance all = Performance.ZERO;
        for (var region : byRegion.entrySet()) {
            Performance regionTotal = Performance.ZERO;
            for (var storeEntry : region.getValue().entrySet()) {
                items.add(storeEntry.getValue().row(region.getKey(), storeEntry.getKey()));
                regionTotal = regionTotal.plus(storeEntry.getValue());
            }
            items.add(regionTotal.row(region.getKey(), "ALL"));
            all = all.plus(regionTotal);
        }
        return result(request, List.of("region", "store", "baskets", "units", "unitsPerBasket", "amounts"), items,
                Optional.of(all.row("ALL", "ALL")));
    }

    /** Baskets, units and amounts of a store (or a sum of stores) over days. */
    record Performance(long baskets, long units, Map<String, BigDecimal> amounts) {
        static final Performance ZERO = new Performance(0, 0, Map.of());

        static Performance of(AnalyticsStore.StoreDay day) {
            return new Performance(day.baskets(), day.units(), day.amounts());
        }

        Performance plus(Performance other) {
            Map<String, BigDecimal> sum = new java.util.TreeMap<>(amounts);
            other.amounts.forEach((c, a) -> sum.merge(c, a, BigDecimal::add));
            return new Performance(Math.addExact(baskets, other.baskets), Math.addExact(units, other.units), sum);
        }

        /** Units per basket to 2 decimals; null when there was no basket. */
        BigDecimal unitsPerBasket() {
            return baskets == 0 ? null : BigDecimal.valueOf(units).divide(BigDecimal.valueOf(baskets), 2,
                    java.math.RoundingMode.HALF_EVEN);
        }

        Map<String, Object> row(String region, String store) {
            Map<String, Object> texts = new LinkedHashMap<>();
            new java.util.TreeMap<>(amounts).forEach((c, a) -> texts.put(c, Amounts.text(c, a)));
            return Analytics.row("region", region, "store", store, "baskets", baskets, "units", units,
                    "unitsPerBasket", unitsPerBasket(), "amounts", texts);
        }
    }

    /** Per region: baskets by who bought, the returning share, units by category and by size; a total row. */
    private AnalyticsResult customerBehaviour(AnalyticsRequest.CustomerBehaviour request) {
        Map<AnalyticsStore.RegionDay, AnalyticsStore.MixDay> days = perRegionDay(regions(request.region()),
                request.from(), request.to(), store::mixOfDay);
        Map<String, Mix> byRegion = new java.util.TreeMap<>();
        days.forEach((regionDay, mix) -> byRegion.merge(regionDay.region(), Mix.of(mix), Mix::plus));
        List<Map<String, Object>> items = new ArrayList<>();
        Mix all = Mix.ZERO;
        for (var e : byRegion.entrySet()) {
            items.add(e.getValue().row(e.getKey()));
            all = all.plus(e.getValue());
        }
        return result(request, List.of("region", "baskets", "new", "returning", "anonymous", "returningShare",
                "categories", "sizes"), items, Optional.of(all.row("ALL")));
    }

    /** Baskets by visit and units by category and size, summed over days and regions. */
    record Mix(Map<com.edgeinventory.model.central.Visit, Long> baskets, Map<String, Long> categories,
               Map<String, Long> sizes) {
        static final Mix ZERO = new Mix(Map.of(), Map.of(), Map.of());

        static Mix of(AnalyticsStore.MixDay day) {
            return new Mix(day.baskets(), day.categories(), day.sizes());
        }

        Mix plus(Mix other) {
            return new Mix(sum(baskets, other.baskets), sum(categories, other.categories), sum(sizes, other.sizes));
        }

        private static <K> Map<K, Long> sum(Map<K, Long> a, Map<K, Long> b) {
            Map<K, Long> out = new java.util.HashMap<>(a);
            b.forEach((k, v) -> out.merge(k, v, Math::addExact));
            return out;
        }

        long visits(com.edgeinventory.model.central.Visit visit) {
            return baskets.getOrDefault(visit, 0L);
        }

        /** Returning baskets over the baskets of identified customers, to 3 decimals; null with none identified. */
        BigDecimal returningShare() {
            long identified = visits(com.edgeinventory.model.central.Visit.NEW)
                    + visits(com.edgeinventory.model.central.Visit.RETURNING);
            return identified == 0 ? null : BigDecimal.valueOf(visits(com.edgeinventory.model.central.Visit.RETURNING))
                    .divide(BigDecimal.valueOf(identified), 3, java.math.RoundingMode.HALF_EVEN);
        }

        Map<String, Object> row(String region) {
            long total = baskets.values().stream().mapToLong(Long::longValue).sum();
            return Analytics.row("region", region, "baskets", total,
                    "new", visits(com.edgeinventory.model.central.Visit.NEW),
                    "returning", visits(com.edgeinventory.model.central.Visit.RETURNING),
                    "anonymous", visits(com.edgeinventory.model.central.Visit.ANONYMOUS),
                    "returningShare", returningShare(),
                    "categories", new java.util.TreeMap<>(categories), "sizes", new java.util.TreeMap<>(sizes));
        }
    }

    private AnalyticsResult availability(AnalyticsRequest.Availability request) {
        AnalyticsStore.SkuLevels levels = store.levels(request.sku());
        List<Map<String, Object>> items = levels.regions().stream()
                .filter(r -> !r.level().deleted())
                .sorted(Comparator.comparing(AnalyticsStore.RegionLevel::region))
                .map(r -> row("region", r.region(), "available", r.level().available(),
                        "reserved", r.level().reserved(), "sold", r.level().sold(),
                        "version", r.level().version(), "updatedAt", instant(r.level().atMillis())))
                .toList();
        Map<String, Object> totals = row("region", "ALL", "available", levels.totals().available(),
                "reserved", levels.totals().reserved(), "sold", levels.totals().sold());
        return result(request, List.of("region", "available", "reserved", "sold", "version", "updatedAt"), items,
                Optional.of(totals));
    }

    /**
     * The index gives ascending {@code available} but no order among equal values, so reading goes on until the
     * {@code limit}-th live level is known and the index has moved past its {@code available}: every tie that could
     * still sort before it by sku has then been read.
     */
    private AnalyticsResult lowStock(AnalyticsRequest.LowStock request) {
        Comparator<AnalyticsStore.SkuLevel> order = Comparator
                .comparingLong((AnalyticsStore.SkuLevel l) -> l.level().available())
                .thenComparing(AnalyticsStore.SkuLevel::sku);
        TreeSet<AnalyticsStore.SkuLevel> kept = new TreeSet<>(order);
        Iterator<AnalyticsStore.SkuLevel> levels = store.availableBelow(request.region(), request.threshold(),
                Math.min(AnalyticsParameters.MAX_LOW_STOCK_LIMIT, request.limit() + 1));
        while (levels.hasNext()) {
            AnalyticsStore.SkuLevel next = levels.next();
            if (kept.size() >= request.limit() && next.level().available() > kept.last().level().available()) {
                break;
            }
            if (!next.level().deleted()) {
                kept.add(next);
                if (kept.size() > request.limit()) {
                    kept.pollLast();
                }
            }
        }
        List<Map<String, Object>> items = kept.stream()
                .map(l -> row("sku", l.sku(), "available", l.level().available(), "reserved", l.level().reserved(),
                        "sold", l.level().sold(), "updatedAt", instant(l.level().atMillis())))
                .toList();
        return result(request, List.of("sku", "available", "reserved", "sold", "updatedAt"), items, Optional.empty());
    }

    private AnalyticsResult topSellers(AnalyticsRequest.TopSellers request) {
        SalesRanking ranking = new SalesRanking();
        List<LocalDate> days = request.from().datesUntil(request.to().plusDays(1)).toList();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int from = 0; from < days.size(); from += PARALLEL_DAYS) {
                List<Future<List<AnalyticsStore.SkuSales>>> reads = new ArrayList<>();
                for (LocalDate day : days.subList(from, Math.min(days.size(), from + PARALLEL_DAYS))) {
                    reads.add(executor.submit(() -> store.salesOfDay(request.region(), day)));
                }
                for (Future<List<AnalyticsStore.SkuSales>> read : reads) {
                    join(read).forEach(ranking::add);
                }
            }
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (AnalyticsStore.SkuSales sales : ranking.top(request.limit())) {
            Map<String, Object> amounts = new LinkedHashMap<>();
            sales.amounts().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> amounts.put(e.getKey(), Amounts.text(e.getKey(), e.getValue())));
            items.add(row("rank", items.size() + 1, "sku", sales.sku(), "qty", sales.qty(), "lines", sales.lines(),
                    "amounts", amounts));
        }
        return result(request, List.of("rank", "sku", "qty", "lines", "amounts"), items, Optional.empty());
    }

    private AnalyticsResult velocity(AnalyticsRequest.Velocity request) {
        List<String> regions = request.region().map(List::of)
                .orElseGet(() -> List.copyOf(store.freshness().keySet()));
        List<LocalDate> days = Velocity.window(request.to(), request.days());
        Map<AnalyticsStore.RegionDay, Long> sold = regions.isEmpty() ? Map.of()
                : store.unitsSold(request.sku(), regions, days);
        Map<String, Long> units = new LinkedHashMap<>();
        regions.stream().sorted().forEach(r -> units.put(r, 0L));
        sold.forEach((regionDay, qty) -> units.computeIfPresent(regionDay.region(), (r, u) -> Math.addExact(u, qty)));
        List<Map<String, Object>> items = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, Long> e : units.entrySet()) {
            items.add(velocityRow(e.getKey(), e.getValue(), request.days()));
            total = Math.addExact(total, e.getValue());
        }
        return result(request, List.of("region", "units", "days", "unitsPerDay"), items,
                Optional.of(velocityRow("ALL", total, request.days())));
    }

    private static Map<String, Object> velocityRow(String region, long units, int days) {
        BigDecimal perDay = Velocity.perDay(units, days);
        return row("region", region, "units", units, "days", days, "unitsPerDay", perDay);
    }

    private AnalyticsResult freshness(AnalyticsRequest.Freshness request) {
        SortedMap<String, Long> newest = store.freshness();
        long now = clock.millis();
        List<Map<String, Object>> items = newest.entrySet().stream()
                .map(e -> row("region", e.getKey(), "newestEventAt", instant(e.getValue()),
                        "lagSeconds", lagSeconds(e.getValue(), now)))
                .toList();
        return result(request, List.of("region", "newestEventAt", "lagSeconds"), items, Optional.empty());
    }

    /** Whole seconds from the newest event to now; an edge clock ahead of ours counts as no lag. */
    static long lagSeconds(long newestMillis, long nowMillis) {
        return Math.max(0, Math.floorDiv(nowMillis - newestMillis, 1000L));
    }

    private static String instant(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    private static AnalyticsResult result(AnalyticsRequest request, List<String> columns,
                                          List<Map<String, Object>> items, Optional<Map<String, Object>> totals) {
        return new AnalyticsResult(request.route().query(), request.params(), columns, items, totals);
    }

    /** A row from alternating column names and values, in that order. */
    static Map<String, Object> row(Object... namesAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return row;
    }

    private static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading sales counters", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
