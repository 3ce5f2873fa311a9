package com.edgeinventory.model.central;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Demand a store could not serve on a day for one sku, as the edge's running counters stand: units asked for and
 * refused as out of stock, the refusals, how many of them offered in-stock alternatives, and how many
 * alternatives offered for it were bought in the same transaction (cart lines added as its alternative and
 * checked out). Counters only grow, so central keeps the largest it has seen: a redelivered or reordered record
 * changes nothing.
 */
public record LostDemand(LocalDate day, String storeId, long refusedUnits, long refusals, long offered,
                         long alternativesBought) {
    public LostDemand {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(storeId, "storeId");
        if (refusedUnits < 0 || refusals < 0 || offered < 0 || offered > refusals || alternativesBought < 0) {
            throw new IllegalArgumentException("lost demand counters must be >= 0 with offered <= refusals, got "
                    + refusedUnits + "/" + refusals + "/" + offered + "/" + alternativesBought);
        }
    }

    /** Without alternatives bought. */
    public LostDemand(LocalDate day, String storeId, long refusedUnits, long refusals, long offered) {
        this(day, storeId, refusedUnits, refusals, offered, 0);
    }
}
