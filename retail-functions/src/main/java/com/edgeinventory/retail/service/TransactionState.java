package com.edgeinventory.retail.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A client's transaction at one store, as the state table holds it. One item per {@code (storeId, clientId)};
 * a new transaction (new {@code txnId}) replaces a closed one and continues its {@code version}.
 *
 * @param customerId optional, {@code null} when the transaction has no known customer
 * @param version    +1 with every write; the write is conditioned on the version it was computed from
 * @param expiresAt  an OPEN transaction past this instant is treated as EXPIRED on read
 */
public record TransactionState(String storeId, String clientId, Status status, String txnId, List<Line> lines,
                               String customerId, long version, Instant updatedAt, Instant expiresAt) {

    public enum Status { OPEN, CHECKED_OUT, CANCELLED, EXPIRED }

    /**
     * One line: the price is fixed when the sku is first added.
     *
     * @param shard    the stock shard its units are reserved on, for a sku sharded for heat; {@code null}: the
     *                 product item. Fixed when the sku is first added, so adds, checkout, cancel and expiry meet one
     *                 item.
     * @param category the product's category when first added ({@code null}: not known), for the sales mix
     * @param size     the product's size when first added ({@code null}: not known)
     * @param alternativeFor the sku this line was bought instead of: the device added it as an alternative the
     *                 API offered when that sku was out of stock ({@code null}: not an alternative)
     */
    public record Line(String sku, long qty, BigDecimal unitPrice, String currency, String name, Integer shard,
                       String category, String size, String alternativeFor) {
        public Line {
            Objects.requireNonNull(sku, "sku");
            Objects.requireNonNull(unitPrice, "unitPrice");
            Objects.requireNonNull(currency, "currency");
        }

        public Line(String sku, long qty, BigDecimal unitPrice, String currency, String name, Integer shard,
                    String category, String size) {
            this(sku, qty, unitPrice, currency, name, shard, category, size, null);
        }

        public Line(String sku, long qty, BigDecimal unitPrice, String currency, String name, Integer shard) {
            this(sku, qty, unitPrice, currency, name, shard, null, null);
        }

        public Line(String sku, long qty, BigDecimal unitPrice, String currency, String name) {
            this(sku, qty, unitPrice, currency, name, null);
        }

        public Line withQty(long newQty) {
            return new Line(sku, newQty, unitPrice, currency, name, shard, category, size, alternativeFor);
        }

        /** This line, bought instead of {@code sku} (kept when it already names one). */
        public Line asAlternativeFor(String sku) {
            return sku == null || alternativeFor != null ? this
                    : new Line(this.sku, qty, unitPrice, currency, name, shard, category, size, sku);
        }
    }

    public TransactionState {
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(txnId, "txnId");
        lines = List.copyOf(lines);
        Objects.requireNonNull(updatedAt, "updatedAt");
        // Stored as epoch seconds: keep the in-memory (cached) state identical to what a read returns.
        expiresAt = expiresAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    public String id() {
        return id(storeId, clientId);
    }

    public static String id(String storeId, String clientId) {
        return storeId + "#" + clientId;
    }

    /** OPEN, but idle past its expiry: it must be released by the next write and reads show it as EXPIRED. */
    public boolean expiredAt(Instant now) {
        return status == Status.OPEN && expiresAt.isBefore(now);
    }

    public Optional<Line> line(String sku) {
        return lines.stream().filter(l -> l.sku().equals(sku)).findFirst();
    }

    public TransactionState with(Status newStatus, List<Line> newLines, Instant now, Instant newExpiresAt) {
        return new TransactionState(storeId, clientId, newStatus, txnId, newLines, customerId, version + 1, now,
                newExpiresAt);
    }
}
