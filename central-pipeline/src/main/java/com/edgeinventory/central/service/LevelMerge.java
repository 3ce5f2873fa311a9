package com.edgeinventory.central.service;

import com.edgeinventory.model.central.LevelChange;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The pure transition of one (sku, region) levels item: the newest version wins, and the sku's global totals move
 * by the difference between the new and the old contribution of the region.
 */
public final class LevelMerge {

    /** What to do with an incoming level change. */
    public sealed interface Outcome permits Stale, Write {}

    /** The stored version is already the incoming one or newer: nothing to write (duplicate or out of order). */
    public record Stale(long storedVersion) implements Outcome {}

    /**
     * Write {@code next}, conditioned on the stored version still being {@code expectedVersion} (empty: no item
     * yet), and add {@code totalsDelta} to the global totals in the same transaction.
     */
    public record Write(RegionalLevel next, OptionalLong expectedVersion, Levels totalsDelta) implements Outcome {}

    private LevelMerge() {}

    public static Outcome merge(Optional<RegionalLevel> stored, LevelChange incoming) {
        Objects.requireNonNull(stored, "stored");
        Objects.requireNonNull(incoming, "incoming");
        if (stored.isPresent() && stored.get().version() >= incoming.version()) {
            return new Stale(stored.get().version());
        }
        RegionalLevel next = RegionalLevel.of(incoming);
        Levels old = stored.map(RegionalLevel::contribution).orElse(Levels.ZERO);
        OptionalLong expected = stored.isPresent() ? OptionalLong.of(stored.get().version()) : OptionalLong.empty();
        return new Write(next, expected, next.contribution().minus(old));
    }
}
