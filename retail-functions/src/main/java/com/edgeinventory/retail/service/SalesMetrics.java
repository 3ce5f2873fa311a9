package com.edgeinventory.retail.service;

/**
 * What the business watches of the retail path, reported by {@link TransactionService} once per effect: a
 * committed purchase (never its idempotent replays) and each out-of-stock answer. The handler publishes them as
 * EMF metrics ({@code UnitsSold}, {@code Purchases}, {@code OutOfStock}, {@code LostDemandNotRecorded}).
 */
public interface SalesMetrics {

    SalesMetrics NONE = new SalesMetrics() {
        @Override
        public void sold(Purchase purchase) {
        }

        @Override
        public void outOfStock(String sku, long available) {
        }

        @Override
        public void lostDemandNotRecorded(String sku, RuntimeException cause) {
        }
    };

    /** A checkout or one-shot sale was committed. */
    void sold(Purchase purchase);

    /** A request was refused: {@code sku} had only {@code available} left. */
    void outOfStock(String sku, long available);

    /** A refusal's lost demand could not be counted (the write failed); the answer went out regardless. */
    void lostDemandNotRecorded(String sku, RuntimeException cause);
}
