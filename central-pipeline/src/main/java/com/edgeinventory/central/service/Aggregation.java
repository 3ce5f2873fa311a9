package com.edgeinventory.central.service;

import com.edgeinventory.model.Backoff;

import com.edgeinventory.model.central.LevelChange;
import com.edgeinventory.model.central.LostDemand;
import com.edgeinventory.model.central.SkuDelta;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies one {@link SkuDelta} to the central aggregates: the region's levels (newest version wins, global totals
 * kept exact), the sales counters (each sale line counted once) and the region's freshness. Every step is
 * idempotent, so a redelivered or reordered delta converges to the same state (lost-demand counters only grow:
 * the largest wins).
 */
public final class Aggregation {

    /** The levels items of (sku, region) and the sku's global totals. */
    public interface LevelStore {
        Optional<RegionalLevel> read(String sku, String region);

        /** Writes atomically; false when the stored version changed since it was read (a race: read again). */
        boolean write(String sku, String region, LevelMerge.Write write);
    }

    /** The sales counters and their dedup markers, and the lost-demand counters. */
    public interface SalesStore {
        /** Counts every line of the batch, or nothing when the marker of any of its lines already exists. */
        SalesResult count(SalesBatch batch);

        /** Keeps the counters of (region, sku, day, store) if they are newer (larger) than the stored ones. */
        void recordLostDemand(String region, String sku, LostDemand counters);
    }

    public enum SalesResult { COUNTED, ALREADY_COUNTED }

    /** The newest edge time seen per region. */
    public interface FreshnessStore {
        void advance(String region, long atMillis);
    }

    /** What applying a delta did. */
    public record Summary(LevelResult level, int linesCounted, int linesSkipped) {}

    public enum LevelResult { NONE, APPLIED, STALE }

    /** The levels item kept changing under us for every attempt; the record should be delivered again. */
    public static final class ContentionException extends RuntimeException {
        public ContentionException(String message) {
            super(message);
        }
    }

    public static final int MAX_LEVEL_ATTEMPTS = 5;

    private final LevelStore levels;
    private final SalesStore sales;
    private final FreshnessStore freshness;
    private final Backoff backoff;

    public Aggregation(LevelStore levels, SalesStore sales, FreshnessStore freshness) {
        this(levels, sales, freshness, Backoff.JITTERED);
    }

    /** @param backoff the pause before a level write is tried again after a race (another writer, a conflict) */
    public Aggregation(LevelStore levels, SalesStore sales, FreshnessStore freshness, Backoff backoff) {
        this.backoff = Objects.requireNonNull(backoff);
        this.levels = Objects.requireNonNull(levels);
        this.sales = Objects.requireNonNull(sales);
        this.freshness = Objects.requireNonNull(freshness);
    }

    public Summary apply(SkuDelta delta) {
        LevelResult level = delta.level().map(l -> applyLevel(delta.region(), l)).orElse(LevelResult.NONE);
        int counted = 0;
        int skipped = 0;
        for (SalesBatch batch : SalesPlan.plan(delta)) {
            if (sales.count(batch) == SalesResult.COUNTED) {
                counted += batch.lines().size();
            } else if (batch.lines().size() == 1) {
                skipped++;
            } else {
                for (SalesBatch single : batch.singles()) {
                    if (sales.count(single) == SalesResult.COUNTED) {
                        counted++;
                    } else {
                        skipped++;
                    }
                }
            }
        }
        delta.lostDemand().forEach(d -> sales.recordLostDemand(delta.region(), delta.sku(), d));
        delta.level().ifPresent(l -> freshness.advance(delta.region(), l.atMillis()));
        return new Summary(level, counted, skipped);
    }

    private LevelResult applyLevel(String region, LevelChange change) {
        for (int attempt = 0; attempt < MAX_LEVEL_ATTEMPTS; attempt++) {
            Optional<RegionalLevel> stored = levels.read(change.sku(), region);
            switch (LevelMerge.merge(stored, change)) {
                case LevelMerge.Stale s -> {
                    return LevelResult.STALE;
                }
                case LevelMerge.Write w -> {
                    if (levels.write(change.sku(), region, w)) {
                        return LevelResult.APPLIED;
                    }
                }
            }
            if (attempt < MAX_LEVEL_ATTEMPTS - 1) {
                backoff.pause(attempt); // the (sku, #ALL) total is shared by every region: let the other writer finish
            }
        }
        throw new ContentionException("levels of " + region + "#" + change.sku() + " version " + change.version()
                + " still conflicting after " + MAX_LEVEL_ATTEMPTS + " attempts");
    }
}
