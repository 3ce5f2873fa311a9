package com.edgeinventory.inventory.store;

import com.edgeinventory.model.Backoff;
import com.edgeinventory.model.Product;
import com.edgeinventory.model.Sequencer;
import com.edgeinventory.model.StockAdjustment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The one owner of the inventory table's item layout. Nothing else builds its keys or attribute names.
 *
 * <h2>Items</h2>
 * <pre>
 * product  pk=SKU#{sku}  sk=PRODUCT
 *          sku, name, description, category, styleId?, priceAmount (S, exact decimal), currency, size, color,
 *          warehouseId, available, reserved, sold (N), version (N, +1 on every change), productSeq (S3
 *          sequencer of the product.json event applied last, normalized), images (M: name -> entry),
 *          deleted (BOOL), createdAt, updatedAt, deletedAt
 * ledger   pk=SKU#{sku}  sk=ADJ#{warehouseId}#{batchId}#{line:06}
 *          one per stock-file line ever decided: status applied|refused, delta, reason, code, at
 * shard    pk=SKU#{sku}  sk=STOCK#{k:02}   (k = 0..stockShards-1, only for a sku with stockShards &gt; 1)
 *          sku, shard (N), available, reserved, sold (N), version (N, +1 on every change), updatedAt
 * demand   pk=SKU#{sku}  sk=DEMAND#{day}#{storeId}   (lost demand: what a store refused as out of stock that day)
 *          sku, day, storeId, refusedUnits, refusals, offered (N: refusals that offered an alternative),
 *          lastRefusalKey (the last counted refusal's Idempotency-Key: a resend is not counted again),
 *          alternativesBought (N: cart lines bought instead of it, in the transaction that offered them), updatedAt
 * </pre>
 * <h2>Hot skus</h2>
 * A product.json may give {@code stockShards} K &gt; 1 (a drop that sells thousands per second). Then the stock
 * lives in K shard items instead of the product item (whose {@code available/reserved/sold} stay 0 and which
 * carries {@code stockShards}), so concurrent purchases write different items: DynamoDB cancels a transaction
 * that overlaps another in flight on one item (TransactionConflict) and allows about 1,000 WCU/s per item. K is
 * fixed when the product is created (a product that exists unsharded stays so). Each retail move names its shard;
 * a shard that runs dry is refilled from the others ({@link #rebalance}), so nothing is refused while the sku has
 * stock anywhere and nothing oversells (each shard's own condition). Readers see one sku: {@link #stock},
 * {@link #liveLevels}, {@link #lineProduct} and the stream forwarder ({@link #levels}) sum the shards; the sum of
 * the shards' versions and the product's is the sku's version, which only grows.
 * Stock lives in the product item: {@code available + reserved + sold} changes only through warehouse
 * adjustments; retail moves units between the three with conditional updates on the same item:
 * {@link #reserve} (available -> reserved), {@link #release} (reserved -> available), {@link #commitReserved}
 * (reserved -> sold) and {@link #sell} (available -> sold), each a {@code TransactWriteItem} that also bumps
 * {@code version} and {@code updatedAt}, for the retail function to commit together with its own items.
 * GSIs {@code byCategory} (category, sku) and {@code byStyle} (styleId, sku) are sparse: only product items
 * carry those attributes.
 */
public final class InventoryTable implements InventoryStore {

    static final String PK = "pk";
    static final String SK = "sk";
    static final String PRODUCT_SK = "PRODUCT";
    /** The sort key prefix of a sharded sku's stock items. */
    public static final String STOCK_SK = "STOCK#";
    /** The sort-key prefix of lost-demand counters, {@code DEMAND#{day}#{storeId}}. */
    public static final String DEMAND_SK = "DEMAND#";

    private static final AttributeValue ONE = n(1);
    private static final AttributeValue ZERO = n(0);

    private final DynamoDbClient dynamo;
    private final String tableName;

    public InventoryTable(DynamoDbClient dynamo, String tableName) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.tableName = Objects.requireNonNull(tableName);
    }

    // ------------------------------------------------------------------ product.json

    /** Creates or updates a product from product.json, unless a newer product.json event was applied already. */
    @Override
    public OrderedWrite upsertProduct(Product p, Sequencer seq, Instant now) {
        int shards = p.stockShards() > 1 && createShards(p.sku(), p.stockShards(), p.stock(), now) ? p.stockShards() : 1;
        Map<String, String> names = new HashMap<>(Map.of("#name", "name", "#size", "size", "#seq", "productSeq"));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":sku", s(p.sku()));
        values.put(":name", s(p.name()));
        values.put(":description", s(p.description()));
        values.put(":category", s(p.category()));
        values.put(":amount", s(p.price().amountText()));
        values.put(":currency", s(p.price().currency()));
        values.put(":size", s(p.size()));
        values.put(":color", s(p.color()));
        values.put(":warehouse", s(p.warehouseId()));
        values.put(":stock", n(shards > 1 ? 0 : p.stock()));
        values.put(":shards", n(shards));
        values.put(":zero", ZERO);
        values.put(":one", ONE);
        values.put(":seq", s(seq.normalized()));
        values.put(":false", AttributeValue.fromBool(false));
        values.put(":now", s(now.toString()));
        values.put(":noImages", AttributeValue.fromM(Map.of()));
        StringBuilder set = new StringBuilder("SET sku = :sku, #name = :name, description = :description, "
                + "category = :category, priceAmount = :amount, currency = :currency, #size = :size, color = :color, "
                + "warehouseId = :warehouse, #seq = :seq, deleted = :false, updatedAt = :now, "
                + "createdAt = if_not_exists(createdAt, :now), available = if_not_exists(available, :stock), "
                + "reserved = if_not_exists(reserved, :zero), sold = if_not_exists(sold, :zero), "
                + "images = if_not_exists(images, :noImages), stockShards = if_not_exists(stockShards, :shards)");
        String remove = " REMOVE deletedAt";
        if (p.styleId() != null) {
            set.append(", styleId = :style");
            values.put(":style", s(p.styleId()));
        } else {
            remove += ", styleId";
        }
        String update = set + remove + " ADD version :one";
        return orderedUpdate(p.sku(), update, "attribute_not_exists(#seq) OR #seq < :seq", names, values, "productSeq", null);
    }

    /**
     * The K shard items of a product about to be created with {@code stockShards} K, holding {@code stock} split
     * as evenly as it goes. Only while the product item is not a product yet (absent, or images only) or already has
     * these K shards; the shard items are created if missing and never reset. Returns whether the product is (to
     * be) sharded: false when it exists unsharded, so that it stays one item.
     */
    private boolean createShards(String sku, int shards, long stock, Instant now) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().conditionCheck(c -> c.tableName(tableName).key(productKey(sku))
                .conditionExpression("attribute_not_exists(available) OR stockShards = :k")
                .expressionAttributeValues(Map.of(":k", n(shards)))).build());
        for (int k = 0; k < shards; k++) {
            long share = stock / shards + (k < stock % shards ? 1 : 0);
            int shard = k;
            items.add(TransactWriteItem.builder().update(u -> u.tableName(tableName).key(shardKey(sku, shard))
                    .updateExpression("SET sku = :sku, #shard = :k, available = if_not_exists(available, :share), "
                            + "reserved = if_not_exists(reserved, :zero), sold = if_not_exists(sold, :zero), "
                            + "version = if_not_exists(version, :zero), updatedAt = if_not_exists(updatedAt, :now)")
                    .expressionAttributeNames(Map.of("#shard", "shard")) // a reserved word
                    .expressionAttributeValues(Map.of(":sku", s(sku), ":k", n(shard), ":share", n(share),
                            ":zero", ZERO, ":now", s(now.toString())))).build());
        }
        try {
            dynamo.transactWriteItems(b -> b.transactItems(items));
            return true;
        } catch (TransactionCanceledException e) {
            if (e.hasCancellationReasons() && !e.cancellationReasons().isEmpty()
                    && "ConditionalCheckFailed".equals(e.cancellationReasons().getFirst().code())) {
                return false; // the product exists as one item (or with another K): it stays as it is
            }
            throw e; // transient (TransactionConflict, throttling): the upload is retried
        }
    }

    /**
     * Marks a product deleted, keeping a tombstone (sku, levels, version) that the central stream needs. A
     * delete that arrives before the create still writes the tombstone, so the older create loses.
     */
    @Override
    public OrderedWrite tombstoneProduct(String sku, Sequencer seq, Instant now) {
        Map<String, String> names = Map.of("#seq", "productSeq");
        Map<String, AttributeValue> values = Map.of(
                ":sku", s(sku), ":seq", s(seq.normalized()), ":true", AttributeValue.fromBool(true),
                ":now", s(now.toString()), ":one", ONE);
        return orderedUpdate(sku,
                "SET sku = :sku, #seq = :seq, deleted = :true, deletedAt = :now, updatedAt = :now ADD version :one",
                "attribute_not_exists(#seq) OR #seq < :seq", names, values, "productSeq", null);
    }

    // ------------------------------------------------------------------ images

    /**
     * Records an image entry (processed or removed) unless a newer event for the same image key was applied.
     * Works whether or not the product item exists yet: images may arrive before product.json.
     */
    @Override
    public OrderedWrite recordImage(String sku, String imageName, ImageEntry entry, Instant now) {
        AttributeValue entryValue = imageEntryValue(entry);
        for (int attempt = 0; attempt < 4; attempt++) {
            Map<String, String> names = Map.of("#images", "images", "#img", imageName);
            Map<String, AttributeValue> values = Map.of(
                    ":entry", entryValue, ":seq", s(entry.sequencer()), ":now", s(now.toString()), ":one", ONE);
            OrderedWrite nested = orderedUpdate(sku,
                    "SET #images.#img = :entry, updatedAt = :now ADD version :one",
                    "attribute_exists(#images) AND (attribute_not_exists(#images.#img) OR #images.#img.seq < :seq)",
                    names, values, null, imageName);
            if (nested instanceof OrderedWrite.Applied) {
                return nested;
            }
            Optional<Map<String, AttributeValue>> current = getProductItem(sku);
            if (current.isPresent() && current.get().containsKey("images")) {
                Map<String, AttributeValue> images = current.get().get("images").m();
                AttributeValue stored = images.get(imageName);
                if (stored != null && stored.m().get("seq").s().compareTo(entry.sequencer()) >= 0) {
                    return new OrderedWrite.Stale(Optional.of(stored.m().get("seq").s()));
                }
                continue; // the map appeared, or the stored entry is older after all: try the nested update again
            }
            // No item, or an item without an images map: create the map with this one entry.
            try {
                UpdateItemResponse created = dynamo.updateItem(b -> b.tableName(tableName).key(productKey(sku))
                        .updateExpression("SET #images = :images, sku = :sku, updatedAt = :now, "
                                + "createdAt = if_not_exists(createdAt, :now) ADD version :one")
                        .conditionExpression("attribute_not_exists(#images)")
                        .expressionAttributeNames(Map.of("#images", "images"))
                        .expressionAttributeValues(Map.of(
                                ":images", AttributeValue.fromM(Map.of(imageName, entryValue)),
                                ":sku", s(sku), ":now", s(now.toString()), ":one", ONE))
                        .returnValues(ReturnValue.UPDATED_NEW));
                return new OrderedWrite.Applied(Long.parseLong(created.attributes().get("version").n()), Optional.empty());
            } catch (ConditionalCheckFailedException raced) {
                // Another writer created the images map first; go round and use the nested update.
            }
        }
        throw new IllegalStateException("could not record image " + imageName + " of " + sku
                + " after repeated concurrent changes to the item");
    }

    // ------------------------------------------------------------------ stock

    /** Live products among {@code skus}, with their levels. Missing, image-only and deleted products are absent. */
    @Override
    public Map<String, Levels> liveLevels(Collection<String> skus) {
        Map<String, Levels> found = new HashMap<>();
        List<Map<String, AttributeValue>> keys = skus.stream().distinct().map(InventoryTable::productKey).toList();
        for (int from = 0; from < keys.size(); from += 100) {
            Map<String, KeysAndAttributes> request = Map.of(tableName, KeysAndAttributes.builder()
                    .keys(keys.subList(from, Math.min(keys.size(), from + 100)))
                    .consistentRead(true)
                    .build());
            for (int round = 0; !request.isEmpty(); round++) {
                if (round > 0) {
                    backoff(round);
                }
                final Map<String, KeysAndAttributes> pending = request;
                BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(pending));
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(tableName, List.of())) {
                    levelsOf(withShardSums(item)).ifPresent(levels -> found.put(item.get("sku").s(), levels));
                }
                request = response.unprocessedKeys();
            }
        }
        return found;
    }

    /**
     * Applies one stock-file line exactly once: the level change and the ledger entry commit together, and
     * the ledger entry's key makes a second attempt a no-op. A line that would take {@code available} below
     * zero, or names a product that is not live, is refused, and the refusal is recorded too, so a
     * redelivered file gets the same answer.
     */
    @Override
    public AdjustmentResult applyAdjustment(String warehouseId, String batchId, String sourceKey,
                                            StockAdjustment line, Instant now) {
        Map<String, AttributeValue> ledger = ledgerItem(warehouseId, batchId, sourceKey, line, now);
        Optional<Map<String, AttributeValue>> product = getProductItem(line.sku());
        int shards = product.map(InventoryTable::stockShardsOf).orElse(1);
        if (shards > 1 && !bool(product.get(), "deleted")) {
            return applyShardedAdjustment(ledger, line, shards, now);
        }
        long need = Math.max(0, -line.delta());
        TransactWriteItem levelChange = TransactWriteItem.builder().update(u -> u
                .tableName(tableName)
                .key(productKey(line.sku()))
                .updateExpression("SET available = available + :delta, updatedAt = :now ADD version :one")
                .conditionExpression("attribute_exists(available) AND deleted = :false AND available >= :need")
                .expressionAttributeValues(Map.of(
                        ":delta", n(line.delta()), ":now", s(now.toString()), ":one", ONE,
                        ":false", AttributeValue.fromBool(false), ":need", n(need)))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                .build();
        Map<String, AttributeValue> applied = new HashMap<>(ledger);
        applied.put("status", s("applied"));
        TransactWriteItem ledgerPut = TransactWriteItem.builder().put(p -> p
                .tableName(tableName)
                .item(applied)
                .conditionExpression("attribute_not_exists(pk)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                .build();
        try {
            dynamo.transactWriteItems(b -> b.transactItems(levelChange, ledgerPut));
        } catch (TransactionCanceledException e) {
            return classifyCancellation(e.cancellationReasons(), ledger, line, now);
        }
        return new AdjustmentResult.Applied(getProductItem(line.sku())
                .flatMap(InventoryTable::levelsOf)
                .map(Levels::available)
                .orElse(-1L));
    }

    /** Attempts of a sharded stock-file line before it gives up as transient (Lambda retries the event). */
    static final int SHARDED_ADJUSTMENT_ATTEMPTS = 8;

    /**
     * A stock-file line of a sharded sku: a restock spread over the shards as evenly as it goes, a removal taken
     * from the shards with the most available first; the shard changes and the ledger entry commit together.
     * Shards that changed meanwhile fail their condition: read again and retry. A sharded sku is one that sells
     * many a second, so a transaction over all its shards often meets a sale in flight (TransactionConflict): it
     * waits with jittered backoff and then puts a restock on the emptiest shard alone (the sales' refills spread it
     * from there). After {@link #SHARDED_ADJUSTMENT_ATTEMPTS} attempts it is transient.
     */
    private AdjustmentResult applyShardedAdjustment(Map<String, AttributeValue> ledger, StockAdjustment line,
                                                    int shards, Instant now) {
        Map<String, AttributeValue> applied = new HashMap<>(ledger);
        applied.put("status", s("applied"));
        boolean oneShard = false;
        for (int attempt = 0; attempt < SHARDED_ADJUSTMENT_ATTEMPTS; attempt++) {
            List<ShardLevels> current = shardLevels(line.sku());
            long available = current.stream().mapToLong(ShardLevels::available).sum();
            if (line.delta() < 0 && available < -line.delta()) {
                return refuse(ledger, "INSUFFICIENT_STOCK", available);
            }
            long[] deltas = oneShard ? spread(current, line.delta(), shards, 1) : spread(current, line.delta(), shards);
            List<TransactWriteItem> items = new ArrayList<>();
            for (int k = 0; k < deltas.length; k++) {
                if (deltas[k] != 0) {
                    items.add(shardMove(line.sku(), k, deltas[k], 0, 0, now));
                }
            }
            items.add(TransactWriteItem.builder().put(p -> p.tableName(tableName).item(applied)
                    .conditionExpression("attribute_not_exists(pk)")).build());
            try {
                dynamo.transactWriteItems(b -> b.transactItems(items));
                return new AdjustmentResult.Applied(available + line.delta());
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                if ("ConditionalCheckFailed".equals(reasons.getLast().code())) {
                    return alreadyDecided(ledger);
                }
                if (reasons.stream().noneMatch(r -> "ConditionalCheckFailed".equals(r.code()))) {
                    if (reasons.stream().noneMatch(r -> "TransactionConflict".equals(r.code())
                            || "ThrottlingError".equals(r.code()))) {
                        throw new IllegalStateException("stock adjustment transaction cancelled: " + reasons);
                    }
                    Backoff.JITTERED.pause(attempt); // a sale in flight on a shard: let it finish, then touch fewer
                    oneShard = true;
                }
                // else a shard changed between the read and the write: read again
            }
        }
        throw new IllegalStateException("stock adjustment of " + line.sku() + " kept meeting concurrent sales");
    }

    /**
     * Per shard, how much of {@code delta} it takes: a positive delta spread evenly (the remainder to the emptiest
     * shards), a negative one taken from the fullest shards first, never below zero.
     */
    static long[] spread(List<ShardLevels> current, long delta, int shards) {
        return spread(current, delta, shards, shards);
    }

    /**
     * As {@link #spread(List, long, int)}, a positive delta over the {@code over} emptiest shards only (1: all of it
     * on the emptiest, one item to write).
     */
    static long[] spread(List<ShardLevels> current, long delta, int shards, int over) {
        long[] available = new long[shards];
        current.forEach(l -> {
            if (l.shard() < shards) {
                available[l.shard()] = l.available();
            }
        });
        long[] out = new long[shards];
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < shards; k++) {
            order.add(k);
        }
        if (delta >= 0) {
            order.sort(java.util.Comparator.comparingLong((Integer k) -> available[k]).thenComparing(k -> k));
            int n = Math.max(1, Math.min(over, shards));
            for (int i = 0; i < n; i++) {
                out[order.get(i)] = delta / n + (i < delta % n ? 1 : 0);
            }
            return out;
        }
        order.sort(java.util.Comparator.comparingLong((Integer k) -> -available[k]).thenComparing(k -> k));
        long left = -delta;
        for (int k : order) {
            long take = Math.min(left, available[k]);
            out[k] = -take;
            left -= take;
        }
        return out;
    }

    private AdjustmentResult refuse(Map<String, AttributeValue> ledger, String code, long available) {
        Map<String, AttributeValue> refused = new HashMap<>(ledger);
        refused.put("status", s("refused"));
        refused.put("code", s(code));
        refused.put("availableAtDecision", n(available));
        try {
            dynamo.putItem(b -> b.tableName(tableName).item(refused).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException decidedConcurrently) {
            return alreadyDecided(ledger);
        }
        return new AdjustmentResult.Refused(code, available);
    }

    private AdjustmentResult classifyCancellation(List<CancellationReason> reasons, Map<String, AttributeValue> ledger,
                                                  StockAdjustment line, Instant now) {
        boolean duplicate = reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code());
        boolean levelsFailed = !reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code());
        if (duplicate) {
            return alreadyDecided(ledger);
        }
        if (!levelsFailed) {
            // Cancelled for another reason (TransactionConflict, throttling): transient, let Lambda retry.
            throw new IllegalStateException("stock adjustment transaction cancelled: " + reasons);
        }
        Optional<Levels> levels = getProductItem(line.sku()).flatMap(InventoryTable::levelsOf);
        String code = levels.isPresent() ? "INSUFFICIENT_STOCK" : "UNKNOWN_SKU";
        return refuse(ledger, code, levels.map(Levels::available).orElse(0L));
    }

    private AdjustmentResult alreadyDecided(Map<String, AttributeValue> ledger) {
        Map<String, AttributeValue> stored = dynamo.getItem(b -> b.tableName(tableName)
                .key(Map.of(PK, ledger.get(PK), SK, ledger.get(SK))).consistentRead(true)).item();
        return new AdjustmentResult.AlreadyDecided(stored.get("status").s(),
                Long.parseLong(stored.get("delta").n()), stored.get("reason").s());
    }

    private static Map<String, AttributeValue> ledgerItem(String warehouseId, String batchId, String sourceKey,
                                                          StockAdjustment line, Instant now) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(PK, s("SKU#" + line.sku()));
        item.put(SK, s("ADJ#" + warehouseId + "#" + batchId + "#" + String.format("%06d", line.lineNumber())));
        item.put("entity", s("adjustment"));
        item.put("sku", s(line.sku()));
        item.put("warehouseId", s(warehouseId));
        item.put("batchId", s(batchId));
        item.put("line", n(line.lineNumber()));
        item.put("delta", n(line.delta()));
        item.put("reason", s(line.reason().wireName()));
        item.put("sourceKey", s(sourceKey));
        item.put("at", s(now.toString()));
        return item;
    }

    // ------------------------------------------------------------------ retail

    /**
     * What a transaction line needs from the product item: the price cache's entry, plus the level read.
     *
     * @param stockShards the items the sku's stock lives in (1: the product item)
     */
    public record LineProduct(String sku, String name, String priceAmount, String currency, String styleId,
                              String size, String color, String category, long available, int stockShards) {}

    /** One shard item of a sharded sku. */
    public record ShardLevels(int shard, long available, long reserved, long sold, long version) {}

    /** What {@link #rebalance} did. */
    public sealed interface Rebalance {
        /** Units moved into the dry shard; try the move again. */
        record Moved(long units) implements Rebalance {}

        /** The sku has fewer than {@code need} available over all its shards. */
        record Insufficient(long available) implements Rebalance {}
    }

    /** A live, in-stock variant of a style, from the {@code byStyle} GSI (eventually consistent). */
    public record StyleVariant(String sku, String name, String size, String color, String category, long available) {}

    /** Reserve: {@code available -= q, reserved += q}, only on a live product with {@code available >= q}. */
    public TransactWriteItem reserve(String sku, long qty, Instant now) {
        return moveStock(sku, -qty, qty, 0, now);
    }

    /** Release: {@code reserved -= q, available += q}, only if {@code reserved >= q}. */
    public TransactWriteItem release(String sku, long qty, Instant now) {
        return moveStock(sku, qty, -qty, 0, now);
    }

    /** Commit a reservation: {@code reserved -= q, sold += q}, only if {@code reserved >= q}. */
    public TransactWriteItem commitReserved(String sku, long qty, Instant now) {
        return moveStock(sku, 0, -qty, qty, now);
    }

    /** One-shot sale: {@code available -= q, sold += q}, only on a live product with {@code available >= q}. */
    public TransactWriteItem sell(String sku, long qty, Instant now) {
        return moveStock(sku, -qty, 0, qty, now);
    }

    /**
     * The general retail stock move on one product item, as deltas that must sum to zero (retail never changes
     * {@code available + reserved + sold}). Taking from {@code available} requires a live product and enough
     * units; taking from {@code reserved} requires enough reserved units. Bumps {@code version}, sets
     * {@code updatedAt}, and returns the old item on a failed condition (so the caller can report
     * {@code available} without another read).
     */
    public TransactWriteItem moveStock(String sku, long dAvailable, long dReserved, long dSold, Instant now) {
        return moveStock(sku, null, dAvailable, dReserved, dSold, now);
    }

    /**
     * The same move on shard {@code shard} of a sharded sku ({@code null}: the product item). A shard item carries
     * no {@code deleted}: a sharded product's liveness is the product item's, which the caller has read.
     */
    public TransactWriteItem moveStock(String sku, Integer shard, long dAvailable, long dReserved, long dSold,
                                       Instant now) {
        if (dAvailable + dReserved + dSold != 0) {
            throw new IllegalArgumentException("retail stock moves keep available + reserved + sold unchanged");
        }
        return shard == null ? move(productKey(sku), true, dAvailable, dReserved, dSold, now)
                : shardMove(sku, shard, dAvailable, dReserved, dSold, now);
    }

    /** A move on one shard item: the same conditions as on the product item, but no {@code deleted}. */
    private TransactWriteItem shardMove(String sku, int shard, long dAvailable, long dReserved, long dSold,
                                        Instant now) {
        return move(shardKey(sku, shard), false, dAvailable, dReserved, dSold, now);
    }

    /**
     * The update of one stock item (product or shard): the deltas, {@code version} +1, {@code updatedAt}, conditioned
     * on enough units where they are taken from and, on a product item, on the product being live.
     */
    private TransactWriteItem move(Map<String, AttributeValue> key, boolean productItem, long dAvailable,
                                   long dReserved, long dSold, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":now", s(now.toString()));
        values.put(":one", ONE);
        values.put(":da", n(dAvailable));
        values.put(":dr", n(dReserved));
        values.put(":ds", n(dSold));
        List<String> conditions = new ArrayList<>();
        conditions.add("attribute_exists(available)");
        if (dAvailable < 0) {
            if (productItem) {
                conditions.add("deleted = :false");
                values.put(":false", AttributeValue.fromBool(false));
            }
            conditions.add("available >= :needA");
            values.put(":needA", n(-dAvailable));
        }
        if (dReserved < 0) {
            conditions.add("reserved >= :needR");
            values.put(":needR", n(-dReserved));
        }
        return TransactWriteItem.builder().update(u -> u
                .tableName(tableName)
                .key(key)
                .updateExpression("SET updatedAt = :now ADD version :one, available :da, reserved :dr, sold :ds")
                .conditionExpression(String.join(" AND ", conditions))
                .expressionAttributeValues(values)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                .build();
    }

    /**
     * Refills shard {@code shard} of a sharded sku that has fewer than {@code need} available, from the shards
     * with the most: it gets what it lacks plus its share of the rest, so that it does not run dry again at
     * once. One transaction over the shards it touches, each conditioned on what was read; a shard that changed
     * meanwhile cancels it (the caller's retry reads again). {@link Rebalance.Insufficient} when the sum is short.
     */
    public Rebalance rebalance(String sku, int shard, long need, Instant now) {
        List<ShardLevels> current = shardLevels(sku);
        long total = current.stream().mapToLong(ShardLevels::available).sum();
        if (total < need) {
            return new Rebalance.Insufficient(total);
        }
        ShardLevels dry = current.stream().filter(l -> l.shard() == shard).findFirst()
                .orElseThrow(() -> new IllegalStateException(sku + " has no shard " + shard));
        if (dry.available() >= need) {
            return new Rebalance.Moved(0); // refilled meanwhile
        }
        long target = Math.max(need, total / current.size());
        long wanted = target - dry.available();
        List<ShardLevels> donors = new ArrayList<>(current.stream().filter(l -> l.shard() != shard).toList());
        donors.sort(java.util.Comparator.comparingLong(ShardLevels::available).reversed());
        List<TransactWriteItem> items = new ArrayList<>();
        long moved = 0;
        for (ShardLevels donor : donors) {
            long take = Math.min(wanted - moved, donor.available());
            if (take <= 0) {
                break;
            }
            items.add(shardMove(sku, donor.shard(), -take, 0, 0, now));
            moved += take;
        }
        items.add(shardMove(sku, shard, moved, 0, 0, now));
        // Available shifts between shards of one sku; the sku's sum stays.
        dynamo.transactWriteItems(b -> b.transactItems(items));
        return new Rebalance.Moved(moved);
    }

    /**
     * Counts demand a store refused as out of stock: {@code units} asked for, one refusal, and whether it offered an
     * alternative, on the store's counter of the day. One UpdateItem (about 1 WRU); the stream carries the counter
     * to central, which keeps the largest value it sees. The counter remembers the last refused request's
     * Idempotency-Key: the same request sent again (a device that lost the answer) is not counted again, unless
     * another refusal of the sku at the store came in between. Returns whether it counted.
     */
    public boolean recordLostDemand(String sku, java.time.LocalDate day, String storeId, long units, boolean offered,
                                    String requestKey, Instant now) {
        try {
            dynamo.updateItem(b -> b.tableName(tableName)
                    .key(Map.of("pk", s("SKU#" + sku), "sk", s(DEMAND_SK + day + "#" + storeId)))
                    .updateExpression("SET sku = :sku, #day = :day, storeId = :store, updatedAt = :now, "
                            + "lastRefusalKey = :key ADD refusedUnits :units, refusals :one, offered :offered")
                    .conditionExpression("attribute_not_exists(lastRefusalKey) OR lastRefusalKey <> :key")
                    .expressionAttributeNames(Map.of("#day", "day"))
                    .expressionAttributeValues(Map.of(":sku", s(sku), ":day", s(day.toString()), ":store",
                            s(storeId), ":now", s(now.toString()), ":units", n(units), ":one", n(1), ":offered",
                            n(offered ? 1 : 0), ":key", s(requestKey))));
            return true;
        } catch (ConditionalCheckFailedException resent) {
            return false;
        }
    }

    /**
     * Counts {@code lines} purchase lines bought instead of out-of-stock {@code sku} (alternatives the refusal
     * offered), on the store's counter of the day: an update for the purchase's own transaction, so a retried
     * checkout counts once. The stream carries the counter to central with the refusals.
     */
    public TransactWriteItem alternativesBought(String sku, java.time.LocalDate day, String storeId, long lines,
                                                Instant now) {
        return TransactWriteItem.builder().update(u -> u.tableName(tableName)
                .key(Map.of("pk", s("SKU#" + sku), "sk", s(DEMAND_SK + day + "#" + storeId)))
                .updateExpression("SET sku = :sku, #day = :day, storeId = :store, updatedAt = :now "
                        + "ADD alternativesBought :lines")
                .expressionAttributeNames(Map.of("#day", "day"))
                .expressionAttributeValues(Map.of(":sku", s(sku), ":day", s(day.toString()), ":store", s(storeId),
                        ":now", s(now.toString()), ":lines", n(lines)))).build();
    }

    /** The shard items of a sku, in shard order (one consistent Query; empty for an unsharded sku). */
    public List<ShardLevels> shardLevels(String sku) {
        List<ShardLevels> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            final Map<String, AttributeValue> from = start;
            software.amazon.awssdk.services.dynamodb.model.QueryResponse page = dynamo.query(b -> b
                    .tableName(tableName).consistentRead(true)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :stock)")
                    .expressionAttributeValues(Map.of(":pk", s("SKU#" + sku), ":stock", s(STOCK_SK)))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                found.add(new ShardLevels((int) num(item, "shard"), num(item, "available"), num(item, "reserved"),
                        num(item, "sold"), num(item, "version")));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        found.sort(java.util.Comparator.comparingInt(ShardLevels::shard));
        return found;
    }

    /** How many items hold the stock of the product {@code item} (1 unless it was created sharded). */
    public static int stockShardsOf(Map<String, AttributeValue> item) {
        return item.containsKey("stockShards") ? (int) num(item, "stockShards") : 1;
    }

    /**
     * The product item with the levels of a sharded sku summed over its shards, and {@code version} the product's
     * plus the shards' (a sum that grows with every change of any of them). An unsharded item as it is.
     */
    public Map<String, AttributeValue> withShardSums(Map<String, AttributeValue> item) {
        if (stockShardsOf(item) <= 1 || !item.containsKey("sku")) {
            return item;
        }
        List<ShardLevels> shards = shardLevels(item.get("sku").s());
        Map<String, AttributeValue> summed = new HashMap<>(item);
        summed.put("available", n(shards.stream().mapToLong(ShardLevels::available).sum()));
        summed.put("reserved", n(shards.stream().mapToLong(ShardLevels::reserved).sum()));
        summed.put("sold", n(shards.stream().mapToLong(ShardLevels::sold).sum()));
        summed.put("version", n(num(item, "version") + shards.stream().mapToLong(ShardLevels::version).sum()));
        return summed;
    }

    /** A product item as the stream forwarder sends it: levels summed over shards for a sharded sku. */
    public Optional<Map<String, AttributeValue>> levels(String sku) {
        return getProductItem(sku).map(this::withShardSums);
    }

    /** The price-cache read for a line: one consistent GetItem of the product's retail attributes. */
    public Optional<LineProduct> lineProduct(String sku) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tableName).key(productKey(sku))
                .consistentRead(true)
                .projectionExpression("sku, #name, priceAmount, currency, styleId, #size, color, category, available, "
                        + "deleted, stockShards")
                .expressionAttributeNames(Map.of("#name", "name", "#size", "size"))).item();
        if (item == null || item.isEmpty() || !item.containsKey("available") || !item.containsKey("priceAmount")
                || bool(item, "deleted")) {
            return Optional.empty();
        }
        return Optional.of(lineProductOf(stockShardsOf(item) > 1 ? withShardSums(item) : item));
    }

    /** {@code available} as stored in an item (e.g. a transaction cancellation's ALL_OLD image). */
    public static long availableOf(Map<String, AttributeValue> item) {
        return num(item, "available");
    }

    /**
     * Live, in-stock products of {@code styleId} other than {@code exceptSku}, in sku order, from the
     * {@code byStyle} GSI (paginated).
     */
    public List<StyleVariant> inStockVariants(String styleId, String exceptSku) {
        List<StyleVariant> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            final Map<String, AttributeValue> from = start;
            software.amazon.awssdk.services.dynamodb.model.QueryResponse page = dynamo.query(b -> b
                    .tableName(tableName).indexName("byStyle")
                    .keyConditionExpression("styleId = :style")
                    .expressionAttributeValues(Map.of(":style", s(styleId)))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                String sku = item.get("sku").s();
                if (sku.equals(exceptSku) || bool(item, "deleted") || num(item, "available") <= 0) {
                    continue;
                }
                found.add(new StyleVariant(sku, str(item, "name"), str(item, "size"), str(item, "color"),
                        str(item, "category"), num(item, "available")));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return found;
    }

    private static LineProduct lineProductOf(Map<String, AttributeValue> item) {
        return new LineProduct(item.get("sku").s(), str(item, "name"), str(item, "priceAmount"), str(item, "currency"),
                str(item, "styleId"), str(item, "size"), str(item, "color"), str(item, "category"),
                num(item, "available"), stockShardsOf(item));
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    // ------------------------------------------------------------------ reads

    /**
     * Reads a key that never exists, so that the first real request of a new container does not pay for loading
     * the DynamoDB request pipeline (half a read unit). Failures are ignored: this only saves time.
     */
    public void prime() {
        try {
            dynamo.getItem(b -> b.tableName(tableName).key(Map.of(PK, s("PRIME"), SK, s("PRIME"))));
        } catch (SdkException ignored) {
            // The real request reports real problems.
        }
    }

    /** The product item as stored, for reporting and tests. */
    public Optional<Map<String, AttributeValue>> getProductItem(String sku) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tableName).key(productKey(sku))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /**
     * The stock view of a product (one strongly consistent GetItem). Empty when there is no item or the item
     * is not a product yet (images only, no levels). Deleted products are returned with {@code deleted = true}.
     */
    public Optional<StockView> stock(String sku) {
        return getProductItem(sku)
                .filter(item -> item.containsKey("available") && item.containsKey("name"))
                .map(this::withShardSums)
                .map(item -> new StockView(item.get("sku") == null ? sku : item.get("sku").s(),
                        item.get("name").s(), num(item, "available"), num(item, "reserved"), num(item, "sold"),
                        item.containsKey("priceAmount") ? item.get("priceAmount").s() : null,
                        item.containsKey("currency") ? item.get("currency").s() : null,
                        bool(item, "deleted"), num(item, "version")));
    }

    /** The image entries of a product item (processed and removed), by image name. */
    public static Map<String, ImageEntry> imagesOf(Map<String, AttributeValue> item) {
        AttributeValue images = item.get("images");
        Map<String, ImageEntry> result = new LinkedHashMap<>();
        if (images != null && images.hasM()) {
            images.m().forEach((name, value) -> result.put(name, imageEntryOf(value.m())));
        }
        return result;
    }

    public static Optional<Levels> levelsOf(Map<String, AttributeValue> item) {
        if (!item.containsKey("available") || bool(item, "deleted")) {
            return Optional.empty();
        }
        return Optional.of(new Levels(num(item, "available"), num(item, "reserved"), num(item, "sold")));
    }

    // ------------------------------------------------------------------ mapping

    static Map<String, AttributeValue> productKey(String sku) {
        return Map.of(PK, s("SKU#" + sku), SK, s(PRODUCT_SK));
    }

    static Map<String, AttributeValue> shardKey(String sku, int shard) {
        return Map.of(PK, s("SKU#" + sku), SK, s(STOCK_SK + String.format("%02d", shard)));
    }

    private static AttributeValue imageEntryValue(ImageEntry e) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        m.put("seq", s(e.sequencer()));
        m.put("deleted", AttributeValue.fromBool(e.deleted()));
        m.put("sourceKey", s(e.sourceKey()));
        m.put("at", s(e.at()));
        if (!e.deleted()) {
            m.put("width", n(e.width()));
            m.put("height", n(e.height()));
            m.put("format", s(e.format()));
            m.put("bytes", n(e.bytes()));
            m.put("orientation", n(e.orientation()));
            List<AttributeValue> thumbs = new ArrayList<>();
            for (ThumbnailEntry t : e.thumbnails()) {
                thumbs.add(AttributeValue.fromM(Map.of(
                        "longSide", n(t.longSide()), "key", s(t.key()), "width", n(t.width()), "height", n(t.height()))));
            }
            m.put("thumbnails", AttributeValue.fromL(thumbs));
        }
        return AttributeValue.fromM(m);
    }

    private static ImageEntry imageEntryOf(Map<String, AttributeValue> m) {
        if (bool(m, "deleted")) {
            return new ImageEntry(m.get("seq").s(), true, m.get("sourceKey").s(), 0, 0, "", 0, 1, List.of(),
                    m.get("at").s());
        }
        List<ThumbnailEntry> thumbs = m.get("thumbnails").l().stream()
                .map(AttributeValue::m)
                .map(t -> new ThumbnailEntry((int) num(t, "longSide"), t.get("key").s(), (int) num(t, "width"),
                        (int) num(t, "height")))
                .toList();
        return new ImageEntry(m.get("seq").s(), false, m.get("sourceKey").s(), (int) num(m, "width"),
                (int) num(m, "height"), m.get("format").s(), num(m, "bytes"), (int) num(m, "orientation"), thumbs,
                m.get("at").s());
    }

    /**
     * Runs a conditional update. On success returns the new version and, when {@code imageName} is given,
     * the entry the update replaced. On a failed condition returns Stale with the stored sequencer.
     */
    private OrderedWrite orderedUpdate(String sku, String update, String condition, Map<String, String> names,
                                       Map<String, AttributeValue> values, String seqAttribute, String imageName) {
        try {
            UpdateItemResponse response = dynamo.updateItem(b -> b.tableName(tableName).key(productKey(sku))
                    .updateExpression(update)
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_OLD)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            Map<String, AttributeValue> old = response.attributes();
            long version = (old == null || !old.containsKey("version") ? 0 : num(old, "version")) + 1;
            Optional<ImageEntry> previous = Optional.empty();
            if (imageName != null && old != null) {
                previous = Optional.ofNullable(imagesOf(old).get(imageName));
            }
            return new OrderedWrite.Applied(version, previous);
        } catch (ConditionalCheckFailedException e) {
            Optional<String> stored = Optional.empty();
            if (seqAttribute != null && e.hasItem() && e.item().containsKey(seqAttribute)) {
                stored = Optional.of(e.item().get(seqAttribute).s());
            }
            return new OrderedWrite.Stale(stored);
        }
    }

    private static void backoff(int round) {
        try {
            Thread.sleep(Math.min(1000, 25L << round));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying unprocessed keys", e);
        }
    }

    private static boolean bool(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v != null && Boolean.TRUE.equals(v.bool());
    }

    private static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
