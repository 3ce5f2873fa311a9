package com.edgeinventory.cli.demo;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The verdict on a sneaker drop ({@code demo --hot-sku}): per region, what the sku was stocked with, what the region's
 * inventory says it sold, and what the devices were told they bought, with the conflicts the API gave up on. Oversold
 * is what the inventory sold beyond its stock; a sale counted twice or lost shows as sold differing from what the
 * devices were confirmed. Pure: the caller fetches.
 */
public final class HotSkuReport {

    private HotSkuReport() {
    }

    /**
     * One region's drop.
     *
     * @param stocked   units the warehouse put in (the drop is never restocked)
     * @param levels    the region's inventory at the end ({@code GET /v1/stock/{sku}}, every shard summed)
     * @param confirmed units in the purchases the devices got a 200 for
     */
    public record Region(String region, long stocked, Reconciliation.Levels levels, long confirmed) {

        public Region {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(levels, "levels");
        }

        /** Units sold beyond the stock; 0 when the drop held. */
        public long oversold() {
            return Math.max(0, levels.sold() - stocked);
        }

        /** Every stocked unit is available, reserved or sold, none negative, and sold is what devices were told. */
        public boolean holds() {
            return levels.available() >= 0 && levels.reserved() >= 0
                    && levels.available() + levels.reserved() + levels.sold() == stocked
                    && levels.sold() == confirmed;
        }
    }

    /**
     * @param conflicts  409 concurrent-modification answers (each retried by the device with the same key)
     * @param outOfStock 409 out-of-stock answers
     */
    public record Drop(String sku, int shards, List<Region> regions, long conflicts, long outOfStock,
                       long requests) {

        public Drop {
            regions = List.copyOf(regions);
        }

        public boolean holds() {
            return regions.stream().allMatch(Region::holds);
        }
    }

    public static String render(Drop drop) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Hot sku %s, stock in %d shard%s per region:%n", drop.sku(),
                drop.shards(), drop.shards() == 1 ? "" : "s"));
        for (Region r : drop.regions()) {
            out.append(String.format(Locale.ROOT, "  %-14s stocked %d, sold %d (devices confirmed %d), reserved %d, "
                            + "available %d, oversold %d%s%n", r.region(), r.stocked(), r.levels().sold(), r.confirmed(),
                    r.levels().reserved(), r.levels().available(), r.oversold(), r.holds() ? "" : "  <- DOES NOT ADD UP"));
        }
        out.append(String.format(Locale.ROOT, "  conflicts: %d answers 409 concurrent-modification of %d requests "
                        + "(%.1f %%), retried by the devices; %d answers out-of-stock%n", drop.conflicts(),
                drop.requests(), drop.requests() == 0 ? 0.0 : 100.0 * drop.conflicts() / drop.requests(),
                drop.outOfStock()));
        return out.toString();
    }
}
