package com.edgeinventory.central.service;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Sums daily sales counters per sku and ranks the skus by units sold (descending), then sku (ascending). */
public final class SalesRanking {

    public static final Comparator<AnalyticsStore.SkuSales> ORDER =
            Comparator.comparingLong(AnalyticsStore.SkuSales::qty).reversed()
                    .thenComparing(AnalyticsStore.SkuSales::sku);

    private final Map<String, Sum> sums = new HashMap<>();

    private static final class Sum {
        long qty;
        long lines;
        final Map<String, BigDecimal> amounts = new TreeMap<>();
    }

    public void add(AnalyticsStore.SkuSales sales) {
        Sum sum = sums.computeIfAbsent(sales.sku(), s -> new Sum());
        sum.qty = Math.addExact(sum.qty, sales.qty());
        sum.lines = Math.addExact(sum.lines, sales.lines());
        sales.amounts().forEach((currency, amount) -> sum.amounts.merge(currency, amount, BigDecimal::add));
    }

    /** The best {@code limit} skus, first the one that sold the most units. */
    public List<AnalyticsStore.SkuSales> top(int limit) {
        return sums.entrySet().stream()
                .map(e -> new AnalyticsStore.SkuSales(e.getKey(), e.getValue().qty, e.getValue().lines,
                        e.getValue().amounts))
                .sorted(ORDER)
                .limit(limit)
                .toList();
    }
}
