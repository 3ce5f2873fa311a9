package com.edgeinventory.retail.service;

import com.edgeinventory.retail.service.TransactionState.Line;
import com.edgeinventory.retail.service.TransactionState.Status;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pure transitions of a transaction: each takes the current state (if any) and returns either a
 * {@link Change} (the new state, the stock moves and purchase to write with it, and the reply) or a
 * {@link Rejection} that writes nothing. No I/O, no clock: {@code now} is an argument.
 */
public final class Transitions {

    /** Lines per transaction or sale: with state, purchase and idempotency items a write stays within 100 items. */
    public static final int MAX_LINES = 50;

    private Transitions() {}

    public sealed interface Decision permits Change, Rejection {}

    /**
     * @param next            the state to write, empty for a one-shot sale
     * @param expectedVersion the version {@code next} was computed from (0: no item yet)
     */
    public record Change(Optional<TransactionState> next, long expectedVersion, List<StockMove> moves,
                         Optional<Purchase> purchase, Reply reply) implements Decision {
        public Change {
            moves = StockMove.merge(moves);
        }
    }

    public record Rejection(Reply reply) implements Decision {}

    /** A requested sale line, validated. */
    public record LineRequest(String sku, long qty) {}

    // ------------------------------------------------------------------ transactions

    public static Decision addItem(Optional<TransactionState> current, String storeId, String clientId, String newTxnId,
                                   ProductInfo product, long qty, Instant now, Duration idle) {
        return addItem(current, storeId, clientId, newTxnId, product, qty, null, now, idle);
    }

    /**
     * @param customerId the customer named by this request, or {@code null}; it becomes the transaction's
     *                   customer, and a different customer than the open transaction already has is refused
     */
    public static Decision addItem(Optional<TransactionState> current, String storeId, String clientId, String newTxnId,
                                   ProductInfo product, long qty, String customerId, Instant now, Duration idle) {
        return addItem(current, storeId, clientId, newTxnId, product, qty, customerId, null, now, idle);
    }

    /**
     * @param alternativeFor the out-of-stock sku this line is bought instead of, or {@code null}; a line keeps
     *                       the first it is given
     */
    public static Decision addItem(Optional<TransactionState> current, String storeId, String clientId, String newTxnId,
                                   ProductInfo product, long qty, String customerId, String alternativeFor,
                                   Instant now, Duration idle) {
        List<StockMove> moves = new ArrayList<>();
        TransactionState base = current.orElse(null);
        if (base != null && base.expiredAt(now)) {
            base.lines().forEach(l -> moves.add(StockMove.release(l)));
            base = base.with(Status.EXPIRED, base.lines(), now, base.expiresAt());
        }
        long expected = current.map(TransactionState::version).orElse(0L);
        boolean fresh = base == null || base.status() != Status.OPEN;
        List<Line> lines = fresh ? new ArrayList<>() : new ArrayList<>(base.lines());
        if (!lines.isEmpty() && !lines.getFirst().currency().equals(product.currency())) {
            return new Rejection(Reply.problem(409, "currency-mismatch", "Currency mismatch",
                    product.sku() + " is priced in " + product.currency() + " but the transaction is in "
                            + lines.getFirst().currency(), "/sku"));
        }
        String customer = fresh ? customerId : base.customerId();
        if (!fresh && customerId != null) {
            if (customer != null && !customer.equals(customerId)) {
                return new Rejection(Reply.problem(409, "customer-mismatch", "Another customer",
                        "the open transaction belongs to another customer", "/customerId"));
            }
            customer = customerId;
        }
        int at = indexOf(lines, product.sku());
        Integer shard;
        if (at >= 0) {
            shard = lines.get(at).shard();
            lines.set(at, lines.get(at).withQty(lines.get(at).qty() + qty).asAlternativeFor(alternativeFor));
        } else {
            if (lines.size() >= MAX_LINES) {
                return new Rejection(Reply.problem(409, "too-many-lines", "Too many lines",
                        "a transaction holds at most " + MAX_LINES + " different skus", "/sku"));
            }
            shard = product.shardFor(TransactionState.id(storeId, clientId));
            lines.add(new Line(product.sku(), qty, product.price(), product.currency(), product.name(), shard,
                    product.category(), product.size(), alternativeFor));
        }
        moves.add(StockMove.reserve(product.sku(), shard, qty));
        TransactionState next = new TransactionState(storeId, clientId, Status.OPEN,
                fresh ? newTxnId : base.txnId(), lines, customer, expected + 1, now,
                now.plus(idle));
        return new Change(Optional.of(next), expected, moves, Optional.empty(),
                Reply.json(fresh ? 201 : 200, Views.transaction(next, now)));
    }

    public static Decision removeItem(Optional<TransactionState> current, String sku, Instant now, Duration idle) {
        if (current.isEmpty()) {
            return new Rejection(noTransaction());
        }
        TransactionState s = current.get();
        if (s.expiredAt(now)) {
            return expireWith(s, now, Reply.expired(s));
        }
        if (s.status() != Status.OPEN) {
            return new Rejection(Reply.notOpen(s));
        }
        Optional<Line> line = s.line(sku);
        if (line.isEmpty()) {
            return new Rejection(Reply.notFound("sku " + sku + " is not in transaction " + s.txnId(), "sku"));
        }
        List<Line> lines = s.lines().stream().filter(l -> !l.sku().equals(sku)).toList();
        TransactionState next = s.with(Status.OPEN, lines, now, now.plus(idle));
        return new Change(Optional.of(next), s.version(), List.of(StockMove.release(line.get())),
                Optional.empty(), Reply.json(200, Views.transaction(next, now)));
    }

    public static Decision checkout(Optional<TransactionState> current, String purchaseId, String deviceId,
                                    Instant now) {
        if (current.isEmpty()) {
            return new Rejection(noTransaction());
        }
        TransactionState s = current.get();
        if (s.expiredAt(now)) {
            return expireWith(s, now, Reply.expired(s));
        }
        if (s.status() != Status.OPEN) {
            return new Rejection(Reply.notOpen(s));
        }
        if (s.lines().isEmpty()) {
            return new Rejection(Reply.problem(409, "empty-transaction", "The transaction is empty",
                    "transaction " + s.txnId() + " has no lines to check out", null));
        }
        TransactionState next = s.with(Status.CHECKED_OUT, s.lines(), now, s.expiresAt());
        Purchase purchase = new Purchase(purchaseId, "checkout", s.storeId(), deviceId, s.clientId(), s.txnId(),
                s.customerId(), s.lines(), Views.total(s.lines()), s.lines().getFirst().currency(), now);
        List<StockMove> moves = s.lines().stream().map(l -> StockMove.commit(l.sku(), l.shard(), l.qty())).toList();
        return new Change(Optional.of(next), s.version(), moves, Optional.of(purchase),
                Reply.json(200, Views.purchase(purchase)));
    }

    public static Decision cancel(Optional<TransactionState> current, Instant now) {
        if (current.isEmpty()) {
            return new Rejection(noTransaction());
        }
        TransactionState s = current.get();
        if (s.expiredAt(now)) {
            TransactionState next = s.with(Status.EXPIRED, s.lines(), now, s.expiresAt());
            return expireWith(s, now, Reply.json(200, Views.transaction(next, now)));
        }
        if (s.status() != Status.OPEN) {
            return new Rejection(Reply.notOpen(s));
        }
        TransactionState next = s.with(Status.CANCELLED, s.lines(), now, s.expiresAt());
        return new Change(Optional.of(next), s.version(), releaseAll(s), Optional.empty(),
                Reply.json(200, Views.transaction(next, now)));
    }

    /** The sweeper's transition: an OPEN transaction idle past its expiry releases everything and becomes EXPIRED. */
    public static Optional<Change> expire(TransactionState s, Instant now) {
        if (!s.expiredAt(now)) {
            return Optional.empty();
        }
        TransactionState next = s.with(Status.EXPIRED, s.lines(), now, s.expiresAt());
        return Optional.of(new Change(Optional.of(next), s.version(), releaseAll(s), Optional.empty(),
                Reply.json(200, Views.transaction(next, now))));
    }

    private static Change expireWith(TransactionState s, Instant now, Reply reply) {
        TransactionState next = s.with(Status.EXPIRED, s.lines(), now, s.expiresAt());
        return new Change(Optional.of(next), s.version(), releaseAll(s), Optional.empty(), reply);
    }

    private static List<StockMove> releaseAll(TransactionState s) {
        return s.lines().stream().map(StockMove::release).toList();
    }

    // ------------------------------------------------------------------ one-shot sale

    /**
     * A finished sale: every line moves {@code available -> sold}. Lines of the same sku are merged.
     *
     * @param products the product of every requested sku
     */
    public static Decision sale(List<LineRequest> requested, Map<String, ProductInfo> products, String purchaseId,
                                String storeId, String deviceId, String customerId, Instant now) {
        Map<String, Long> qtyBySku = new LinkedHashMap<>();
        requested.forEach(r -> qtyBySku.merge(r.sku(), r.qty(), Long::sum));
        List<Line> lines = new ArrayList<>();
        String currency = null;
        for (Map.Entry<String, Long> e : qtyBySku.entrySet()) {
            ProductInfo p = products.get(e.getKey());
            if (currency != null && !currency.equals(p.currency())) {
                return new Rejection(Reply.problem(409, "currency-mismatch", "Currency mismatch",
                        p.sku() + " is priced in " + p.currency() + " but the sale is in " + currency, null));
            }
            currency = p.currency();
            lines.add(new Line(p.sku(), e.getValue(), p.price(), p.currency(), p.name(), p.shardFor(purchaseId),
                    p.category(), p.size()));
        }
        BigDecimal total = Views.total(lines);
        Purchase purchase = new Purchase(purchaseId, "sale", storeId, deviceId, null, null, customerId, lines, total,
                currency, now);
        List<StockMove> moves = lines.stream().map(l -> StockMove.sell(l.sku(), l.shard(), l.qty())).toList();
        return new Change(Optional.empty(), 0, moves, Optional.of(purchase), Reply.json(200, Views.purchase(purchase)));
    }

    static Reply noTransaction() {
        return Reply.notFound("this store has no transaction for that client", null);
    }

    private static int indexOf(List<Line> lines, String sku) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).sku().equals(sku)) {
                return i;
            }
        }
        return -1;
    }
}
