package com.edgeinventory.model.central;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Demand a store could not serve on a day for one sku, as the edge's running counters stand: units asked for and
 * refused as out of stock, the refusals, and how many of them offered in-stock alternatives. Counters only grow,
 * so central keeps the largest it has seen: a redelivered or reordered record changes nothing.
 */
public record LostDemand(LocalDate day, String storeId, long refusedUnits, long refusals, long offered) {
    public LostDemand {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(storeId, "storeId");
        if (refusedUnits < 0 || refusals < 0 || offered < 0 || offered > refusals) {
            throw new IllegalArgumentException("lost demand counters must be >= 0 with offered <= refusals, got "
                    + refusedUnits + "/" + refusals + "/" + offered);
        }
    }
}
