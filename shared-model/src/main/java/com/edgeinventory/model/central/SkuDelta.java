package com.edgeinventory.model.central;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One Kinesis record: what changed for one sku of one edge region within one stream batch. Partition key
 * {@link #partitionKey()} = {@code {region}#{sku}}, so the central stream keeps order per (region, sku).
 *
 * @param level      the newest level change of the batch, if any
 * @param sales      the sales of the batch, one line per (purchase, day, store, currency)
 * @param attributes the sku's category and size as sold, when the batch has sales that say them (the mix of
 *                   what sells)
 * @param lostDemand the sku's refused demand per (day, store) as the edge's counters stood, when they changed
 */
public record SkuDelta(String region, String sku, Optional<LevelChange> level, List<SaleLine> sales,
                       Optional<Attributes> attributes, List<LostDemand> lostDemand) {

    /** What kind of product the sku is: its category and size (each may be empty). */
    public record Attributes(String category, String size) {
        public Attributes {
            category = category == null ? "" : category;
            size = size == null ? "" : size;
        }
    }

    public SkuDelta {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(attributes, "attributes");
        sales = List.copyOf(sales);
        lostDemand = List.copyOf(lostDemand);
        if (level.isPresent() && !level.get().sku().equals(sku)) {
            throw new IllegalArgumentException("level of sku " + level.get().sku() + " in a delta of sku " + sku);
        }
    }

    public SkuDelta(String region, String sku, Optional<LevelChange> level, List<SaleLine> sales) {
        this(region, sku, level, sales, Optional.empty());
    }

    public SkuDelta(String region, String sku, Optional<LevelChange> level, List<SaleLine> sales,
                    Optional<Attributes> attributes) {
        this(region, sku, level, sales, attributes, List.of());
    }

    public String partitionKey() {
        return region + "#" + sku;
    }
}
