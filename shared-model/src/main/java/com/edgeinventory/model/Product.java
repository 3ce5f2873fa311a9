package com.edgeinventory.model;

import java.util.Objects;

/**
 * A product as a warehouse describes it in {@code products/{sku}/product.json}.
 *
 * @param stock   the initial stock count; it seeds {@code available} when the product is first created
 * @param styleId optional: groups the size and colour variants of one model; {@code null} when absent
 * @param stockShards how many inventory items hold the sku's stock (1..{@value #MAX_STOCK_SHARDS}, default 1): a
 *                warehouse sets more for a hot sku (a drop) so that concurrent purchases do not all write one
 *                item; fixed when the product is first created
 */
public record Product(
        String sku,
        String name,
        String description,
        String category,
        Money price,
        String size,
        String color,
        long stock,
        String warehouseId,
        String styleId,
        int stockShards) {

    public static final int MAX_STOCK_SHARDS = 32;

    /** A product whose stock is one item (not a hot sku). */
    public Product(String sku, String name, String description, String category, Money price, String size,
                   String color, long stock, String warehouseId, String styleId) {
        this(sku, name, description, category, price, size, color, stock, warehouseId, styleId, 1);
    }

    public Product {
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(color, "color");
        Objects.requireNonNull(warehouseId, "warehouseId");
        if (stock < 0) {
            throw new IllegalArgumentException("stock must not be negative");
        }
        if (stockShards < 1 || stockShards > MAX_STOCK_SHARDS) {
            throw new IllegalArgumentException("stockShards must be 1.." + MAX_STOCK_SHARDS);
        }
    }
}
