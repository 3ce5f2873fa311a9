package com.edgeinventory.retail.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A net change of one sku's levels. Retail moves keep {@code available + reserved + sold} unchanged. A write may
 * touch each product item once only, so {@link #merge} folds several moves of one sku into one.
 */
public record StockMove(String sku, Integer shard, long available, long reserved, long sold) {

    public StockMove {
        if (available + reserved + sold != 0) {
            throw new IllegalArgumentException("a retail move keeps available + reserved + sold unchanged: " + sku);
        }
    }

    /** A move on the product item (an unsharded sku). */
    public StockMove(String sku, long available, long reserved, long sold) {
        this(sku, null, available, reserved, sold);
    }

    public static StockMove reserve(String sku, long qty) {
        return reserve(sku, null, qty);
    }

    public static StockMove release(String sku, long qty) {
        return release(sku, null, qty);
    }

    public static StockMove commit(String sku, long qty) {
        return commit(sku, null, qty);
    }

    public static StockMove sell(String sku, long qty) {
        return sell(sku, null, qty);
    }

    /** @param shard the stock shard of a sharded sku, {@code null} for the product item */
    public static StockMove reserve(String sku, Integer shard, long qty) {
        return new StockMove(sku, shard, -qty, qty, 0);
    }

    public static StockMove release(String sku, Integer shard, long qty) {
        return new StockMove(sku, shard, qty, -qty, 0);
    }

    public static StockMove commit(String sku, Integer shard, long qty) {
        return new StockMove(sku, shard, 0, -qty, qty);
    }

    public static StockMove sell(String sku, Integer shard, long qty) {
        return new StockMove(sku, shard, -qty, 0, qty);
    }

    /** The move of one line: on the shard the line's units are on. */
    public static StockMove release(TransactionState.Line line) {
        return release(line.sku(), line.shard(), line.qty());
    }

    public boolean isNone() {
        return available == 0 && reserved == 0 && sold == 0;
    }

    /** One move per item (sku and shard), in first-seen order; moves that cancel out are dropped. */
    public static List<StockMove> merge(List<StockMove> moves) {
        Map<Map.Entry<String, Integer>, long[]> net = new LinkedHashMap<>();
        for (StockMove m : moves) {
            long[] d = net.computeIfAbsent(new java.util.AbstractMap.SimpleImmutableEntry<>(m.sku(), m.shard()),
                    k -> new long[3]);
            d[0] += m.available();
            d[1] += m.reserved();
            d[2] += m.sold();
        }
        List<StockMove> merged = new ArrayList<>();
        net.forEach((item, d) -> {
            StockMove m = new StockMove(item.getKey(), item.getValue(), d[0], d[1], d[2]);
            if (!m.isNone()) {
                merged.add(m);
            }
        });
        return merged;
    }
}
