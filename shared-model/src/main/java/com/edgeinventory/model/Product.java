package com.edgeinventory.model;

import java.util.Objects;

/**
 * A product as a warehouse describes it in {@code products/{sku}/product.json}.
 *
 * @param stock   the initial stock count; it seeds {@code available} when the product is first created
 * @param styleId optional: groups the size and colour variants of one model; {@code null} when absent
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
        String styleId) {

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
    }
}
