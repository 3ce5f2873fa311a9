package com.edgeinventory.central.service;

import com.edgeinventory.model.central.LevelChange;

/** The stored levels of one sku in one region, as the central levels table holds them. */
public record RegionalLevel(long available, long reserved, long sold, long version, long atMillis, boolean deleted) {

    public static RegionalLevel of(LevelChange change) {
        return new RegionalLevel(change.available(), change.reserved(), change.sold(), change.version(),
                change.atMillis(), change.deleted());
    }

    /** What this region adds to the sku's global totals: its levels, or nothing once the product is deleted. */
    public Levels contribution() {
        return deleted ? Levels.ZERO : new Levels(available, reserved, sold);
    }
}
