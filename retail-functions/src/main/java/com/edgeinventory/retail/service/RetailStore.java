package com.edgeinventory.retail.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** What the transaction service and the sweeper need from the tables (implemented in {@code adapter/}). */
public interface RetailStore {

    /** The state item, read consistently. */
    Optional<TransactionState> loadState(String storeId, String clientId);

    /** A live product's line data; empty for unknown, image-only or deleted products. */
    Optional<ProductInfo> product(String sku);

    /** Live, in-stock products of the style other than {@code exceptSku}. */
    List<Alternative> sameStyle(String styleId, String exceptSku);

    /** The stored outcome of the key: a cart route's record, or the purchase a checkout or sale created with it. */
    Optional<IdempotencyRecord> idempotencyRecord(String storeId, String key);

    /**
     * Writes everything in ONE DynamoDB transaction: the state (conditioned on its version), the stock moves,
     * the purchase and the idempotency record (conditioned on the key being new). With a purchase, the record is
     * folded into the purchase item (whose id the key decides, {@link Purchase#idFor}) rather than written as an
     * item of its own: the guarantee is the same, with one write fewer.
     */
    CommitResult commit(WriteSet write);

    /**
     * Refills shard {@code shard} of a sharded sku that could not give {@code need} units, from its other shards
     * (the sku's stock is spread over several items so that concurrent buyers write different ones).
     */
    Refill refill(String sku, int shard, long need, Instant now);

    /** What {@link #refill} did. */
    sealed interface Refill {
        /** The shard has more now, or another writer changed the shards meanwhile: try the move again. */
        record TryAgain() implements Refill {}

        /** All the sku's shards together have fewer than the need. */
        record Insufficient(long available) implements Refill {}
    }

    /**
     * Counts demand the store refused as out of stock (units asked, whether alternatives were offered) for the
     * analysts' lost-demand figures, once for a request sent again right away with the same Idempotency-Key
     * ({@code requestKey}); best effort: a failure must not change the answer the device gets.
     */
    void recordLostDemand(String sku, String storeId, long units, boolean offered, String requestKey, Instant now);

    /** Visits every OPEN transaction whose expiresAt is before {@code now}, page by page. */
    SweepRead forEachOpenExpired(Instant now, Consumer<TransactionState> visitor);

    /** What finding the expired transactions read: items, and read units by DynamoDB's rules. */
    record SweepRead(long items, double readUnits) {
        public static final SweepRead NONE = new SweepRead(0, 0);
    }

    record StateWrite(TransactionState next, long expectedVersion) {}

    record WriteSet(Optional<StateWrite> state, List<StockMove> moves, Optional<Purchase> purchase,
                    Optional<IdempotencyRecord> idempotency, Instant now) {}

    sealed interface CommitResult permits Committed, Cancelled {}

    record Committed() implements CommitResult {}

    /**
     * Why the transaction was cancelled. Several may hold at once.
     *
     * @param idempotencyTaken the key was used before; {@code stored} is that record when DynamoDB returned it
     * @param stateConflict    the state's version moved; {@code currentState} is the stored state when returned
     * @param shortOfStock     sku -> available at the time, for every move whose condition failed (of the shard,
     *                         for a sharded sku)
     * @param transientConflict cancelled for a retryable reason (TransactionConflict, throttling)
     * @param dryShards        sku -> the shard whose move failed, for the sharded skus among {@code shortOfStock}
     */
    record Cancelled(boolean idempotencyTaken, Optional<IdempotencyRecord> stored, boolean stateConflict,
                     Optional<TransactionState> currentState, Map<String, Long> shortOfStock,
                     boolean transientConflict, Map<String, Integer> dryShards) implements CommitResult {

        public Cancelled(boolean idempotencyTaken, Optional<IdempotencyRecord> stored, boolean stateConflict,
                         Optional<TransactionState> currentState, Map<String, Long> shortOfStock,
                         boolean transientConflict) {
            this(idempotencyTaken, stored, stateConflict, currentState, shortOfStock, transientConflict, Map.of());
        }
    }
}
