package com.edgeinventory.central.service;

import com.edgeinventory.model.central.LevelChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The level of a sharded (hot) sku: the sum over its stock shards, which no stream record carries, so the
 * forwarder reads it once per sku per batch ({@link Reader}). A consistent read after the batch's records can only
 * be newer than they are, and its version (the product's plus its shards') only grows, so central's "newer
 * version wins" keeps holding. A read that fails leaves the forward unresolved: its records are reported as batch
 * item failures and redelivered.
 */
public final class HotSkuLevels {

    /** Reads a sharded sku's summed level from the inventory table; empty when the product is gone or not live. */
    @FunctionalInterface
    public interface Reader {
        Optional<LevelChange> read(String sku, long atMillis);
    }

    /** The forwards ready to send, and the ones whose level could not be read. */
    public record Resolved(List<StreamChanges.Forward> ready, List<StreamChanges.Forward> unreadable) {}

    private HotSkuLevels() {
    }

    public static Resolved resolve(List<StreamChanges.Forward> forwards, Reader reader, Consumer<String> log) {
        List<StreamChanges.Forward> ready = new ArrayList<>();
        List<StreamChanges.Forward> unreadable = new ArrayList<>();
        for (StreamChanges.Forward f : forwards) {
            if (!f.levelFromTable()) {
                ready.add(f);
                continue;
            }
            try {
                Optional<LevelChange> level = reader.read(f.delta().sku(), f.latestMillis());
                ready.add(level.map(f::withLevel).orElse(f));
            } catch (RuntimeException e) {
                log.accept("cannot read the level of sharded sku " + f.delta().sku() + ": " + e.getMessage());
                unreadable.add(f);
            }
        }
        return new Resolved(ready, unreadable);
    }
}
