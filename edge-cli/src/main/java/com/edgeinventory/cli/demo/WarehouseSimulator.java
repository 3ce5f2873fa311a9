package com.edgeinventory.cli.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A region's warehouse staff: uploads a {@link Catalog} to the region's upload bucket as the upload contract says,
 * products first, then their images, then the restock files spread over the time left. Failed uploads are counted
 * (by SDK exception class), not retried: the demo reports them.
 */
public final class WarehouseSimulator {

    /** How many objects of each kind were uploaded, and the failures by kind. */
    public record Counts(long products, long images, long restocks, Map<String, Long> errors) {

        public Counts {
            errors = Map.copyOf(errors);
        }
    }

    private final S3Client s3;
    private final String bucket;
    private final Catalog catalog;
    private final Clock clock;
    private final LongAdder products = new LongAdder();
    private final LongAdder images = new LongAdder();
    private final LongAdder restocks = new LongAdder();
    private final Map<String, LongAdder> errors = new LinkedHashMap<>();

    public WarehouseSimulator(S3Client s3, String bucket, Catalog catalog, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.catalog = catalog;
        this.clock = clock;
    }

    public WarehouseSimulator(S3Client s3, String bucket, Catalog catalog) {
        this(s3, bucket, catalog, Clock.systemUTC());
    }

    /** Uploads every {@code product.json}, then every image. */
    public void uploadProducts() {
        for (Catalog.Product product : catalog.products()) {
            if (put(product.key(), product.json(), "application/json")) {
                products.increment();
            }
        }
        for (Catalog.Product product : catalog.products()) {
            if (put(product.imageKey(), Catalog.image(product), "image/jpeg")) {
                images.increment();
            }
        }
    }

    /**
     * Uploads the restock files evenly spread from now until {@code deadline} (the first after one interval, so
     * the products are processed first); any left when the deadline passes go at once. Returns early when
     * interrupted.
     */
    public void uploadRestocks(Instant deadline) {
        int count = catalog.restocks().size();
        if (count == 0) {
            return;
        }
        Instant start = clock.instant();
        long span = Math.max(0, Duration.between(start, deadline).toMillis());
        for (int i = 0; i < count; i++) {
            Instant at = start.plusMillis(span * (i + 1) / (count + 1));
            long wait = Duration.between(clock.instant(), at).toMillis();
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            Catalog.RestockFile file = catalog.restocks().get(i);
            if (put(file.key(), file.jsonl(), "application/x-ndjson")) {
                restocks.increment();
            }
        }
    }

    /** Products, images, then restocks until the deadline. */
    public void run(Instant deadline) {
        uploadProducts();
        uploadRestocks(deadline);
    }

    public Counts counts() {
        Map<String, Long> copy = new LinkedHashMap<>();
        synchronized (errors) {
            errors.forEach((k, v) -> copy.put(k, v.sum()));
        }
        return new Counts(products.sum(), images.sum(), restocks.sum(), copy);
    }

    private boolean put(String key, byte[] bytes, String contentType) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
            return true;
        } catch (SdkException e) {
            synchronized (errors) {
                errors.computeIfAbsent("s3 " + e.getClass().getSimpleName(), k -> new LongAdder()).increment();
            }
            return false;
        }
    }
}
