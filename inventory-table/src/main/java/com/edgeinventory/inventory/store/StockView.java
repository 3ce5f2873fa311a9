package com.edgeinventory.inventory.store;

/**
 * What the retail stock route shows of a product item.
 *
 * @param priceAmount the exact decimal string as uploaded, e.g. {@code "89.90"}
 * @param deleted     the product is a tombstone; callers treat it as unknown
 */
public record StockView(String sku, String name, long available, long reserved, long sold, String priceAmount,
                        String currency, boolean deleted, long version) {
}
