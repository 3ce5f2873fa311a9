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

    Optional<IdempotencyRecord> idempotencyRecord(String storeId, String key);

    /**
     * Writes everything in ONE DynamoDB transaction: the state (conditioned on its version), the stock moves,
     * the purchase and the idempotency record (conditioned on the key being new).
     */
    CommitResult commit(WriteSet write);

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
     * @param shortOfStock     sku -> available at the time, for every move whose condition failed
     * @param transientConflict cancelled for a retryable reason (TransactionConflict, throttling)
     */
    record Cancelled(boolean idempotencyTaken, Optional<IdempotencyRecord> stored, boolean stateConflict,
                     Optional<TransactionState> currentState, Map<String, Long> shortOfStock,
                     boolean transientConflict) implements CommitResult {}
}
