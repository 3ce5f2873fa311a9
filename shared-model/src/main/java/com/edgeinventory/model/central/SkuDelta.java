package com.edgeinventory.model.central;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One Kinesis record: what changed for one sku of one edge region within one stream batch. Partition key
 * {@link #partitionKey()} = {@code {region}#{sku}}, so the central stream keeps order per (region, sku).
 *
 * @param level the newest level change of the batch, if any
 * @param sales the sales of the batch, one line per (purchase, day, store, currency)
 */
public record SkuDelta(String region, String sku, Optional<LevelChange> level, List<SaleLine> sales) {
    public SkuDelta {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(level, "level");
        sales = List.copyOf(sales);
        if (level.isPresent() && !level.get().sku().equals(sku)) {
            throw new IllegalArgumentException("level of sku " + level.get().sku() + " in a delta of sku " + sku);
        }
    }

    public String partitionKey() {
        return region + "#" + sku;
    }
}
