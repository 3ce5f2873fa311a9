package com.edgeinventory.retail.adapter;

import com.edgeinventory.inventory.store.InventoryTable;
import com.edgeinventory.retail.service.Alternative;
import com.edgeinventory.retail.service.IdempotencyRecord;
import com.edgeinventory.retail.service.ProductInfo;
import com.edgeinventory.retail.service.Purchase;
import com.edgeinventory.retail.service.RetailStore;
import com.edgeinventory.retail.service.RetailStore.Refill;
import com.edgeinventory.retail.service.StockMove;
import com.edgeinventory.retail.service.TransactionState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link RetailStore} over DynamoDB: composes the state, inventory, purchases and idempotency layouts into one
 * TransactWriteItems per change, and reads the cancellation reasons back into service terms.
 */
public final class DynamoRetailStore implements RetailStore {

    private static final String FAILED = "ConditionalCheckFailed";

    private final DynamoDbClient dynamo;
    private final InventoryTable inventory;
    private final StateTable states;
    private final Optional<PurchasesTable> purchases;
    private final Optional<IdempotencyStore> idempotency;

    public DynamoRetailStore(DynamoDbClient dynamo, InventoryTable inventory, StateTable states,
                             PurchasesTable purchases, IdempotencyStore idempotency) {
        this(dynamo, inventory, states, Optional.of(purchases), Optional.of(idempotency));
    }

    private DynamoRetailStore(DynamoDbClient dynamo, InventoryTable inventory, StateTable states,
                              Optional<PurchasesTable> purchases, Optional<IdempotencyStore> idempotency) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.inventory = Objects.requireNonNull(inventory);
        this.states = Objects.requireNonNull(states);
        this.purchases = Objects.requireNonNull(purchases);
        this.idempotency = Objects.requireNonNull(idempotency);
    }

    /**
     * The store of the sweeper, which moves stock and closes states but writes no purchase and no idempotency
     * record: it has neither table (they are not in its environment, nor in its role).
     */
    public static DynamoRetailStore statesAndStock(DynamoDbClient dynamo, InventoryTable inventory,
                                                   StateTable states) {
        return new DynamoRetailStore(dynamo, inventory, states, Optional.empty(), Optional.empty());
    }

    @Override
    public Optional<TransactionState> loadState(String storeId, String clientId) {
        return states.get(storeId, clientId);
    }

    @Override
    public Optional<ProductInfo> product(String sku) {
        return inventory.lineProduct(sku).map(p -> new ProductInfo(p.sku(), p.name(), new BigDecimal(p.priceAmount()),
                p.currency(), p.styleId(), p.stockShards(), p.category(), p.size()));
    }

    @Override
    public Refill refill(String sku, int shard, long need, Instant now) {
        try {
            return switch (inventory.rebalance(sku, shard, need, now)) {
                case InventoryTable.Rebalance.Moved moved -> new Refill.TryAgain();
                case InventoryTable.Rebalance.Insufficient insufficient ->
                        new Refill.Insufficient(insufficient.available());
            };
        } catch (TransactionCanceledException changedMeanwhile) {
            return new Refill.TryAgain(); // a shard moved between the read and the write, or a conflict
        }
    }

    @Override
    public List<Alternative> sameStyle(String styleId, String exceptSku) {
        return inventory.inStockVariants(styleId, exceptSku).stream()
                .map(v -> new Alternative(v.sku(), v.name(), v.size(), v.color(), v.category(), v.available()))
                .toList();
    }

    @Override
    public Optional<IdempotencyRecord> idempotencyRecord(String storeId, String key) {
        return idempotency().get(storeId, key).or(() -> purchases().idempotencyRecord(storeId, key));
    }

    @Override
    public CommitResult commit(WriteSet write) {
        Batch batch = batch(write);
        try {
            dynamo.transactWriteItems(b -> b.transactItems(batch.items()));
            return new Committed();
        } catch (TransactionCanceledException e) {
            return cancelled(e.hasCancellationReasons() ? e.cancellationReasons() : List.of(), batch, write);
        }
    }

    /**
     * The items {@link #commit} would send for {@code write}, built and NOT sent. SnapStart priming uses it to
     * load the item layouts and the SDK's model classes before the snapshot without writing anything.
     */
    public List<TransactWriteItem> transactItems(WriteSet write) {
        return batch(write).items();
    }

    private PurchasesTable purchases() {
        return purchases.orElseThrow(() -> new IllegalStateException(
                "this store has no purchases table (the sweeper's)"));
    }

    private IdempotencyStore idempotency() {
        return idempotency.orElseThrow(() -> new IllegalStateException(
                "this store has no idempotency table (the sweeper's)"));
    }

    /**
     * The items of one commit, and where the state, the idempotency record ({@code inPurchase}: folded into the
     * purchase item) and each stock move sit in it.
     */
    private record Batch(List<TransactWriteItem> items, int stateAt, int idempotencyAt, boolean inPurchase,
                         Map<Integer, StockMove> skuAt) {}

    /**
     * The lost-demand counters of the skus a purchase's lines were bought instead of, one update per sku (a
     * transaction may not touch an item twice), on the purchase's day and store.
     */
    private List<TransactWriteItem> alternativesBought(Purchase purchase) {
        Map<String, Long> bySku = new java.util.TreeMap<>();
        purchase.lines().stream().filter(l -> l.alternativeFor() != null)
                .forEach(l -> bySku.merge(l.alternativeFor(), 1L, Long::sum));
        java.time.LocalDate day = java.time.LocalDate.ofInstant(purchase.purchasedAt(), java.time.ZoneOffset.UTC);
        List<TransactWriteItem> items = new ArrayList<>();
        bySku.forEach((sku, lines) -> items.add(inventory.alternativesBought(sku, day, purchase.storeId(), lines,
                purchase.purchasedAt())));
        return items;
    }

    private Batch batch(WriteSet write) {
        List<TransactWriteItem> items = new ArrayList<>();
        int stateAt = -1;
        int idempotencyAt = -1;
        Map<Integer, StockMove> skuAt = new LinkedHashMap<>();
        if (write.state().isPresent()) {
            stateAt = items.size();
            items.add(states.put(write.state().get().next(), write.state().get().expectedVersion()));
        }
        for (StockMove m : write.moves()) {
            skuAt.put(items.size(), m);
            items.add(inventory.moveStock(m.sku(), m.shard(), m.available(), m.reserved(), m.sold(), write.now()));
        }
        boolean folded = false;
        if (write.purchase().isPresent()) {
            // The purchase item is the request's idempotency record (its id comes from the key): no item of its own.
            folded = write.idempotency().isPresent();
            idempotencyAt = folded ? items.size() : -1;
            items.add(purchases().put(write.purchase().get(), write.idempotency()));
            items.addAll(alternativesBought(write.purchase().get()));
        } else if (write.idempotency().isPresent()) {
            idempotencyAt = items.size();
            items.add(idempotency().put(write.idempotency().get()));
        }
        return new Batch(items, stateAt, idempotencyAt, folded, skuAt);
    }

    private static Cancelled cancelled(List<CancellationReason> reasons, Batch batch, WriteSet write) {
        int stateAt = batch.stateAt();
        int idempotencyAt = batch.idempotencyAt();
        Map<Integer, StockMove> skuAt = batch.skuAt();
        boolean idempotencyTaken = failed(reasons, idempotencyAt);
        Optional<IdempotencyRecord> stored = Optional.empty();
        if (idempotencyTaken && reasons.get(idempotencyAt).hasItem() && !reasons.get(idempotencyAt).item().isEmpty()) {
            IdempotencyRecord mine = write.idempotency().orElseThrow();
            Map<String, AttributeValue> item = reasons.get(idempotencyAt).item();
            // A purchase item without this key's record (none ever should exist) leaves stored empty: the service
            // then reads the key's record itself.
            stored = batch.inPurchase() ? PurchasesTable.recordOf(mine.storeId(), mine.key(), item)
                    : Optional.of(IdempotencyStore.fromItem(mine.storeId(), mine.key(), item));
        }
        boolean stateConflict = failed(reasons, stateAt);
        Optional<TransactionState> current = Optional.empty();
        if (stateConflict && reasons.get(stateAt).hasItem() && !reasons.get(stateAt).item().isEmpty()) {
            current = Optional.of(StateTable.fromItem(reasons.get(stateAt).item()));
        }
        Map<String, Long> shortOfStock = new LinkedHashMap<>();
        Map<String, Integer> dryShards = new LinkedHashMap<>();
        skuAt.forEach((index, move) -> {
            if (failed(reasons, index)) {
                CancellationReason r = reasons.get(index);
                shortOfStock.put(move.sku(), r.hasItem() ? InventoryTable.availableOf(r.item()) : 0L);
                if (move.shard() != null) {
                    dryShards.put(move.sku(), move.shard());
                }
            }
        });
        boolean anyConditionFailed = reasons.stream().anyMatch(r -> FAILED.equals(r.code()));
        return new Cancelled(idempotencyTaken, stored, stateConflict, current, shortOfStock, !anyConditionFailed,
                dryShards);
    }

    private static boolean failed(List<CancellationReason> reasons, int index) {
        return index >= 0 && index < reasons.size() && FAILED.equals(reasons.get(index).code());
    }

    @Override
    public void recordLostDemand(String sku, String storeId, long units, boolean offered, String requestKey,
                                 Instant now) {
        inventory.recordLostDemand(sku, java.time.LocalDate.ofInstant(now, java.time.ZoneOffset.UTC), storeId, units,
                offered, requestKey, now);
    }

    @Override
    public SweepRead forEachOpenExpired(Instant now, Consumer<TransactionState> visitor) {
        StateTable.ReadCost read = states.forEachOpenExpired(now, visitor);
        return new SweepRead(read.items(), read.readUnits());
    }
}
