package com.edgeinventory.model;

import java.util.Objects;

/**
 * One line of a warehouse stock file.
 *
 * @param lineNumber 1-based line number in the file; together with the file's warehouse and batch it
 *                   identifies the adjustment, which makes applying it idempotent
 */
public record StockAdjustment(int lineNumber, String sku, long delta, AdjustmentReason reason) {
    public StockAdjustment {
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(reason, "reason");
        if (lineNumber < 1) {
            throw new IllegalArgumentException("lineNumber starts at 1");
        }
        if (!reason.allows(delta)) {
            throw new IllegalArgumentException(reason.wireName() + " needs " + reason.signRule());
        }
    }
}
