package com.edgeinventory.model.central;

import java.util.Objects;

/**
 * The stock levels of one product after a change at the edge, as the central region sees them.
 *
 * @param version  the inventory item's version (+1 on every change); the newest version wins centrally
 * @param atMillis when the edge applied the change (epoch milliseconds)
 * @param deleted  the product was tombstoned; the levels are its last levels
 */
public record LevelChange(String sku, long available, long reserved, long sold, long version, long atMillis,
                          boolean deleted) {
    public LevelChange {
        Objects.requireNonNull(sku, "sku");
    }
}
