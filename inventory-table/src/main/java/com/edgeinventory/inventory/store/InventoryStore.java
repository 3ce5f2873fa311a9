package com.edgeinventory.inventory.store;

import com.edgeinventory.model.Product;
import com.edgeinventory.model.Sequencer;
import com.edgeinventory.model.StockAdjustment;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the upload services need from the regional inventory table. */
public interface InventoryStore {


    /** The outcome of an ordered write: applied, or refused because newer state is already stored. */
    public sealed interface OrderedWrite permits OrderedWrite.Applied, OrderedWrite.Stale {
        /** @param previousImage the image entry this write replaced, if any (its thumbnails are now garbage) */
        record Applied(long version, Optional<ImageEntry> previousImage) implements OrderedWrite {}

        /** @param storedSequencer the newer sequencer that won, when the store reported it */
        record Stale(Optional<String> storedSequencer) implements OrderedWrite {}
    }

    public sealed interface AdjustmentResult
            permits AdjustmentResult.Applied, AdjustmentResult.AlreadyDecided, AdjustmentResult.Refused {
        record Applied(long availableAfter) implements AdjustmentResult {}

        /** The line was decided before (a redelivered event, or a retry mid-file). */
        record AlreadyDecided(String status, long delta, String reason) implements AdjustmentResult {}

        /** @param code INSUFFICIENT_STOCK or UNKNOWN_SKU */
        record Refused(String code, long available) implements AdjustmentResult {}
    }

    /** A processed product image, as recorded in the product item. */
    public record ImageEntry(
            String sequencer, boolean deleted, String sourceKey, int width, int height, String format, long bytes,
            int orientation, List<ThumbnailEntry> thumbnails, String at) {
        public ImageEntry {
            thumbnails = List.copyOf(thumbnails);
        }

        public static ImageEntry removed(Sequencer sequencer, String sourceKey, Instant at) {
            return new ImageEntry(sequencer.normalized(), true, sourceKey, 0, 0, "", 0, 1, List.of(), at.toString());
        }
    }

    public record ThumbnailEntry(int longSide, String key, int width, int height) {}

    /** Stock levels of a live product. */
    public record Levels(long available, long reserved, long sold) {}

    /** Creates or updates a product from product.json, unless a newer product.json event was applied already. */
    OrderedWrite upsertProduct(Product product, Sequencer sequencer, Instant now);

    /** Marks a product deleted (a tombstone that keeps sku, levels and version), unless a newer event won. */
    OrderedWrite tombstoneProduct(String sku, Sequencer sequencer, Instant now);

    /** Records a processed or removed image of a product, unless a newer event for that image key won. */
    OrderedWrite recordImage(String sku, String imageName, ImageEntry entry, Instant now);

    /** Live products among {@code skus}, with their levels. Missing, image-only and deleted products are absent. */
    Map<String, Levels> liveLevels(Collection<String> skus);

    /** Applies one stock-file line exactly once, or refuses it; either decision is final for that line. */
    AdjustmentResult applyAdjustment(String warehouseId, String batchId, String sourceKey, StockAdjustment line,
                                     Instant now);
}
