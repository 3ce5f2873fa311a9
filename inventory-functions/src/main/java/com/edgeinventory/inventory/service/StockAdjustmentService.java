package com.edgeinventory.inventory.service;

import com.edgeinventory.inventory.store.InventoryStore;
import com.edgeinventory.inventory.store.InventoryStore.AdjustmentResult;
import com.edgeinventory.model.Json;
import com.edgeinventory.model.Parsed;
import com.edgeinventory.model.StockAdjustment;
import com.edgeinventory.model.StockFileParser;
import com.edgeinventory.model.UploadKey;
import com.edgeinventory.model.ValidationError;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Applies warehouse stock files ({@code stock/{warehouseId}/{batchId}.jsonl}).
 *
 * <p>The whole file is validated first, including that every sku is a live product in this region; a file
 * with any bad line is rejected whole and nothing is written. Then each line is applied on its own,
 * atomically and exactly once (see {@link InventoryStore#applyAdjustment}). A line that would take
 * {@code available} below zero is refused and reported. The result of every line goes to
 * {@code reports/{key}.report.json}.
 */
public final class StockAdjustmentService {

    public static final String REPORTS_PREFIX = "reports/";

    /** What became of one stock file. */
    public record StockReport(String key, String warehouseId, String batchId, int lines, int applied,
                              int alreadyDecided, List<RefusedLine> refused, String processedAt) {
        public StockReport {
            refused = List.copyOf(refused);
        }
    }

    /** A line that was not applied, and why. {@code available} is the stock when it was decided. */
    public record RefusedLine(int line, String sku, long delta, String reason, String code, long available) {}

    private final UploadBucket bucket;
    private final InventoryStore inventory;
    private final Rejections rejections;
    private final Clock clock;

    public StockAdjustmentService(UploadBucket bucket, InventoryStore inventory, Clock clock) {
        this.bucket = bucket;
        this.inventory = inventory;
        this.rejections = new Rejections(bucket, clock);
        this.clock = clock;
    }

    public Outcome handle(UploadEvent event) {
        if (event.change() != UploadEvent.Change.CREATED) {
            return new Outcome.Ignored(event.key(), "deleting a stock file changes nothing");
        }
        if (!(UploadKey.parse(event.key()) instanceof UploadKey.StockFile file)) {
            String reason = UploadKey.parse(event.key()) instanceof UploadKey.Unrecognized u ? u.reason()
                    : "not a stock file; stock files are stock/{warehouseId}/{batchId}.jsonl";
            return rejections.reject(event, "UNRECOGNIZED_KEY", reason);
        }
        Optional<UploadBucket.Read> read = bucket.read(event.bucket(), event.key(), StockFileParser.MAX_FILE_BYTES);
        if (read.isEmpty()) {
            return new Outcome.Ignored(event.key(), "the object no longer exists");
        }
        if (read.get() instanceof UploadBucket.Read.TooLarge(long size)) {
            return rejections.reject(event, "STOCK_FILE_TOO_LARGE",
                    "the file is " + size + " bytes; the maximum is " + StockFileParser.MAX_FILE_BYTES);
        }
        byte[] content = ((UploadBucket.Read.Content) read.get()).bytes();
        return switch (StockFileParser.parse(content)) {
            case Parsed.Invalid<List<StockAdjustment>>(var errors) -> rejections.reject(event, "INVALID_STOCK_FILE", errors);
            case Parsed.Valid<List<StockAdjustment>>(var lines) -> apply(event, file, lines);
        };
    }

    private Outcome apply(UploadEvent event, UploadKey.StockFile file, List<StockAdjustment> lines) {
        Set<String> live = inventory.liveLevels(lines.stream().map(StockAdjustment::sku).toList()).keySet();
        List<ValidationError> unknown = lines.stream()
                .filter(line -> !live.contains(line.sku()))
                .map(line -> new ValidationError("line " + line.lineNumber() + ": /sku",
                        "'" + line.sku() + "' is not a product in this region (never uploaded, or deleted)"))
                .toList();
        if (!unknown.isEmpty()) {
            return rejections.reject(event, "UNKNOWN_SKU", unknown);
        }
        int applied = 0;
        int decided = 0;
        List<RefusedLine> refused = new ArrayList<>();
        for (StockAdjustment line : lines) {
            switch (inventory.applyAdjustment(file.warehouseId(), file.batchId(), event.key(), line, clock.instant())) {
                case AdjustmentResult.Applied _ -> applied++;
                case AdjustmentResult.AlreadyDecided _ -> decided++;
                case AdjustmentResult.Refused(String code, long available) -> refused.add(new RefusedLine(
                        line.lineNumber(), line.sku(), line.delta(), line.reason().wireName(), code, available));
            }
        }
        StockReport report = new StockReport(event.key(), file.warehouseId(), file.batchId(), lines.size(), applied,
                decided, refused, clock.instant().toString());
        bucket.put(event.bucket(), reportKey(event.key()), Json.write(report), "application/json");
        StringBuilder detail = new StringBuilder(applied + " applied, " + decided + " decided before, "
                + refused.size() + " refused");
        for (RefusedLine r : refused) {
            detail.append("; line ").append(r.line()).append(" (").append(r.sku()).append(' ').append(r.delta())
                    .append(' ').append(r.reason()).append("): ").append(r.code()).append(", available ")
                    .append(r.available());
        }
        return new Outcome.Applied(event.key(), detail.toString());
    }

    public static String reportKey(String key) {
        return REPORTS_PREFIX + key + ".report.json";
    }
}
