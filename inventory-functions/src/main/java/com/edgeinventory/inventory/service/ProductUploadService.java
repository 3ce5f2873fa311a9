package com.edgeinventory.inventory.service;

import com.edgeinventory.inventory.store.InventoryStore;
import com.edgeinventory.inventory.store.InventoryStore.ImageEntry;
import com.edgeinventory.inventory.store.InventoryStore.OrderedWrite;
import com.edgeinventory.inventory.store.InventoryStore.ThumbnailEntry;
import com.edgeinventory.inventory.service.image.ImageOutcome;
import com.edgeinventory.inventory.service.image.ImageProcessor;
import com.edgeinventory.inventory.service.image.Thumbnail;
import com.edgeinventory.model.Parsed;
import com.edgeinventory.model.Product;
import com.edgeinventory.model.ProductParser;
import com.edgeinventory.model.UploadKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps product items in step with {@code products/}: product.json creates, updates and tombstones the
 * product; images are decoded, thumbnailed under {@code derived/} and recorded in the product item.
 *
 * <p>Every write is ordered by the S3 sequencer of its object key, so a stale or repeated event changes
 * nothing. Bad uploads are rejected (never thrown), so they cause no retries; AWS errors propagate, so
 * Lambda retries them.
 */
public final class ProductUploadService {

    public static final String DERIVED_PREFIX = "derived/";

    private final UploadBucket bucket;
    private final InventoryStore inventory;
    private final ImageProcessor images;
    private final Rejections rejections;
    private final Clock clock;
    private final long maxImageBytes;

    public ProductUploadService(UploadBucket bucket, InventoryStore inventory, ImageProcessor images, Clock clock,
                                long maxImageBytes) {
        this.bucket = bucket;
        this.inventory = inventory;
        this.images = images;
        this.rejections = new Rejections(bucket, clock);
        this.clock = clock;
        this.maxImageBytes = maxImageBytes;
    }

    public Outcome handle(UploadEvent event) {
        boolean created = event.change() == UploadEvent.Change.CREATED;
        return switch (UploadKey.parse(event.key())) {
            case UploadKey.ProductFile file -> created ? productUploaded(event, file) : productDeleted(event, file);
            case UploadKey.ProductImage image -> created ? imageUploaded(event, image) : imageDeleted(event, image);
            case UploadKey.StockFile stock -> created
                    ? rejections.reject(event, "WRONG_FUNCTION", "stock files are not handled by the product upload function")
                    : new Outcome.Ignored(event.key(), "deleting a stock file changes nothing");
            case UploadKey.Unrecognized unknown -> created
                    ? rejections.reject(event, "UNRECOGNIZED_KEY", unknown.reason())
                    : new Outcome.Ignored(event.key(), "deleted object was not part of the upload contract");
        };
    }

    private Outcome productUploaded(UploadEvent event, UploadKey.ProductFile file) {
        Optional<UploadBucket.Read> read = bucket.read(event.bucket(), event.key(), ProductParser.MAX_DOCUMENT_BYTES);
        if (read.isEmpty()) {
            return gone(event);
        }
        if (read.get() instanceof UploadBucket.Read.TooLarge(long size)) {
            return rejections.reject(event, "PRODUCT_TOO_LARGE", "product.json is " + size
                    + " bytes; the maximum is " + ProductParser.MAX_DOCUMENT_BYTES);
        }
        byte[] content = ((UploadBucket.Read.Content) read.get()).bytes();
        return switch (ProductParser.parse(content, file.sku())) {
            case Parsed.Invalid<Product>(var errors) -> rejections.reject(event, "INVALID_PRODUCT", errors);
            case Parsed.Valid<Product>(Product product) -> switch (inventory.upsertProduct(product, event.sequencer(), now())) {
                case OrderedWrite.Applied applied -> new Outcome.Applied(event.key(),
                        "product " + product.sku() + " saved, version " + applied.version());
                case OrderedWrite.Stale stale -> stale(event, stale);
            };
        };
    }

    private Outcome productDeleted(UploadEvent event, UploadKey.ProductFile file) {
        return switch (inventory.tombstoneProduct(file.sku(), event.sequencer(), now())) {
            case OrderedWrite.Applied applied -> new Outcome.Applied(event.key(),
                    "product " + file.sku() + " deleted (tombstone), version " + applied.version());
            case OrderedWrite.Stale stale -> stale(event, stale);
        };
    }

    private Outcome imageUploaded(UploadEvent event, UploadKey.ProductImage image) {
        Optional<UploadBucket.Read> read = bucket.read(event.bucket(), event.key(), maxImageBytes);
        if (read.isEmpty()) {
            return gone(event);
        }
        if (read.get() instanceof UploadBucket.Read.TooLarge(long size)) {
            return rejections.reject(event, "TOO_LARGE_BYTES", "the image is " + size
                    + " bytes; the maximum is " + maxImageBytes);
        }
        byte[] content = ((UploadBucket.Read.Content) read.get()).bytes();
        String fileName = image.imageName() + "." + image.extension();
        return switch (images.process(fileName, content)) {
            case ImageOutcome.Invalid(String code, String message) -> rejections.reject(event, code, message);
            case ImageOutcome.Processed processed -> recordProcessed(event, image, processed);
        };
    }

    private Outcome recordProcessed(UploadEvent event, UploadKey.ProductImage image, ImageOutcome.Processed processed) {
        String base = DERIVED_PREFIX + image.sku() + "/" + image.imageName() + "/" + event.sequencer().normalized() + "/";
        List<ThumbnailEntry> written = new ArrayList<>();
        for (Thumbnail t : processed.thumbnails()) {
            String key = base + t.longSide() + "." + t.extension();
            bucket.put(event.bucket(), key, t.bytes(), t.contentType());
            written.add(new ThumbnailEntry(t.longSide(), key, t.width(), t.height()));
        }
        var m = processed.metadata();
        ImageEntry entry = new ImageEntry(event.sequencer().normalized(), false, event.key(), m.width(), m.height(),
                m.format(), m.bytes(), m.orientation(), written, now().toString());
        return switch (inventory.recordImage(image.sku(), image.imageName(), entry, now())) {
            case OrderedWrite.Applied applied -> {
                applied.previousImage().ifPresent(previous -> deleteThumbnails(event.bucket(), previous, entry));
                yield new Outcome.Applied(event.key(), "image " + image.imageName() + " of " + image.sku() + " recorded ("
                        + m.width() + "x" + m.height() + " " + m.format() + ", " + written.size() + " thumbnails), version "
                        + applied.version());
            }
            case OrderedWrite.Stale stale -> {
                // Newer state won. Our thumbnails are garbage, unless this was the very same event again: then
                // the keys (which carry the sequencer) are the stored entry's own.
                boolean sameEvent = stale.storedSequencer().map(entry.sequencer()::equals).orElse(true);
                if (!sameEvent) {
                    deleteThumbnails(event.bucket(), entry, null);
                }
                yield stale(event, stale);
            }
        };
    }

    private Outcome imageDeleted(UploadEvent event, UploadKey.ProductImage image) {
        ImageEntry removed = ImageEntry.removed(event.sequencer(), event.key(), now());
        return switch (inventory.recordImage(image.sku(), image.imageName(), removed, now())) {
            case OrderedWrite.Applied applied -> {
                applied.previousImage().ifPresent(previous -> deleteThumbnails(event.bucket(), previous, removed));
                yield new Outcome.Applied(event.key(), "image " + image.imageName() + " of " + image.sku()
                        + " removed, version " + applied.version());
            }
            case OrderedWrite.Stale stale -> stale(event, stale);
        };
    }

    /** Deletes the thumbnails of {@code old}, except any that {@code current} still uses. */
    private void deleteThumbnails(String bucketName, ImageEntry old, ImageEntry current) {
        for (ThumbnailEntry t : old.thumbnails()) {
            boolean stillUsed = current != null && current.thumbnails().stream().anyMatch(c -> c.key().equals(t.key()));
            if (!stillUsed) {
                bucket.delete(bucketName, t.key());
            }
        }
    }

    private static Outcome stale(UploadEvent event, OrderedWrite.Stale stale) {
        return new Outcome.Ignored(event.key(), "a newer or identical event for this key was already applied"
                + stale.storedSequencer().map(s -> " (stored sequencer " + s + ")").orElse(""));
    }

    private static Outcome gone(UploadEvent event) {
        return new Outcome.Ignored(event.key(), "the object no longer exists; the event that removed or replaced it is handled on its own");
    }

    private Instant now() {
        return clock.instant();
    }
}
