package com.edgeinventory.retail.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A net change of one sku's levels. Retail moves keep {@code available + reserved + sold} unchanged. A write may
 * touch each product item once only, so {@link #merge} folds several moves of one sku into one.
 */
public record StockMove(String sku, long available, long reserved, long sold) {

    public StockMove {
        if (available + reserved + sold != 0) {
            throw new IllegalArgumentException("a retail move keeps available + reserved + sold unchanged: " + sku);
        }
    }

    public static StockMove reserve(String sku, long qty) {
        return new StockMove(sku, -qty, qty, 0);
    }

    public static StockMove release(String sku, long qty) {
        return new StockMove(sku, qty, -qty, 0);
    }

    public static StockMove commit(String sku, long qty) {
        return new StockMove(sku, 0, -qty, qty);
    }

    public static StockMove sell(String sku, long qty) {
        return new StockMove(sku, -qty, 0, qty);
    }

    public boolean isNone() {
        return available == 0 && reserved == 0 && sold == 0;
    }

    /** One move per sku, in first-seen order; moves that cancel out are dropped. */
    public static List<StockMove> merge(List<StockMove> moves) {
        Map<String, long[]> net = new LinkedHashMap<>();
        for (StockMove m : moves) {
            long[] d = net.computeIfAbsent(m.sku(), k -> new long[3]);
            d[0] += m.available();
            d[1] += m.reserved();
            d[2] += m.sold();
        }
        List<StockMove> merged = new ArrayList<>();
        net.forEach((sku, d) -> {
            StockMove m = new StockMove(sku, d[0], d[1], d[2]);
            if (!m.isNone()) {
                merged.add(m);
            }
        });
        return merged;
    }
}
