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
        };
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
    private static Map<String, Object> row(Object... namesAndValues) {
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
