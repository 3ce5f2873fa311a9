package com.edgeinventory.retail.service;

import java.math.BigDecimal;

/**
 * What a line needs from a product: name and price (cached), styleId for alternatives, how many items hold its
 * stock ({@code stockShards} &gt; 1: a hot sku whose stock is spread over that many shard items), and its category
 * and size (the sales mix central is told of; either may be {@code null}).
 */
public record ProductInfo(String sku, String name, BigDecimal price, String currency, String styleId,
                          int stockShards, String category, String size) {

    public ProductInfo(String sku, String name, BigDecimal price, String currency, String styleId, int stockShards) {
        this(sku, name, price, currency, styleId, stockShards, null, null);
    }

    public ProductInfo(String sku, String name, BigDecimal price, String currency, String styleId) {
        this(sku, name, price, currency, styleId, 1);
    }

    /**
     * The shard a line keyed by {@code key} uses: {@code null} (the product item) for an unsharded sku, else a stable
     * hash of the key over the shards, so that one client's adds and checkout of a sku meet the same shard and
     * different clients and sales spread over all of them.
     */
    public Integer shardFor(String key) {
        return stockShards <= 1 ? null : Math.floorMod((sku + "#" + key).hashCode(), stockShards);
    }
}
