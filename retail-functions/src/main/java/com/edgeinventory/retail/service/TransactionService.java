package com.edgeinventory.retail.service;

import com.edgeinventory.model.Backoff;

import com.edgeinventory.retail.service.RequestValidator.AddItem;
import com.edgeinventory.retail.service.RequestValidator.Sale;
import com.edgeinventory.retail.service.RetailStore.Cancelled;
import com.edgeinventory.retail.service.RetailStore.CommitResult;
import com.edgeinventory.retail.service.RetailStore.Committed;
import com.edgeinventory.retail.service.RetailStore.StateWrite;
import com.edgeinventory.retail.service.RetailStore.WriteSet;
import com.edgeinventory.retail.service.Transitions.Change;
import com.edgeinventory.retail.service.Transitions.Decision;
import com.edgeinventory.retail.service.Transitions.LineRequest;
import com.edgeinventory.retail.service.Transitions.Rejection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Orchestrates the transaction routes: load the state (warm cache, else one consistent read), apply the pure
 * transition, write everything in ONE DynamoDB transaction whose state part is conditioned on the version the
 * transition started from, and retry a bounded number of times on a version conflict. The caches only save reads:
 * every write is still conditioned, so a stale cache costs a retry, never a lost update.
 */
public final class TransactionService {

    /**
     * Retries after a version conflict (at once, from the new state) or a transient cancellation (after a
     * {@link Backoff} pause), so at most 4 attempts, then 409 concurrent-modification.
     */
    public static final int MAX_RETRIES = 3;
    /** Refills of dry shards per request (a sharded sku's shard ran out while others have stock); not retries. */
    static final int MAX_REFILLS = 4;
    public static final Duration PRICE_CACHE_TTL = Duration.ofSeconds(60);
    static final int STATE_CACHE_SIZE = 10_000;

    /** Who asks, and under which Idempotency-Key and fingerprint. */
    /**
     * An idempotent request's identity, and when API Gateway received it: the time its purchase, its lost demand
     * and its transaction's idle clock are stamped with (the service's clock when the event carries none).
     */
    public record Request(String storeId, String deviceId, String idempotencyKey, String fingerprint,
                          Optional<Instant> receivedAt) {

        public Request {
            Objects.requireNonNull(receivedAt, "receivedAt");
        }

        /** A request stamped with the service's clock. */
        public Request(String storeId, String deviceId, String idempotencyKey, String fingerprint) {
            this(storeId, deviceId, idempotencyKey, fingerprint, Optional.empty());
        }
    }

    private record CachedProduct(ProductInfo product, Instant loadedAt) {}

    private final RetailStore store;
    private final CustomerPreferences customers;
    private final Clock clock;
    private final Duration idle;
    private final Supplier<String> ids;
    private final SalesMetrics metrics;
    private final Backoff backoff;
    private final Map<String, TransactionState> states = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, TransactionState> eldest) {
                    return size() > STATE_CACHE_SIZE;
                }
            });
    private final Map<String, CachedProduct> products = new ConcurrentHashMap<>();

    public TransactionService(RetailStore store, CustomerPreferences customers, Clock clock, Duration idle,
                              Supplier<String> ids) {
        this(store, customers, clock, idle, ids, SalesMetrics.NONE);
    }

    public TransactionService(RetailStore store, CustomerPreferences customers, Clock clock, Duration idle,
                              Supplier<String> ids, SalesMetrics metrics) {
        this(store, customers, clock, idle, ids, metrics, Backoff.JITTERED);
    }

    /** @param backoff the pause before retrying a write DynamoDB cancelled for a transient reason */
    public TransactionService(RetailStore store, CustomerPreferences customers, Clock clock, Duration idle,
                              Supplier<String> ids, SalesMetrics metrics, Backoff backoff) {
        this.backoff = Objects.requireNonNull(backoff);
        this.metrics = Objects.requireNonNull(metrics);
        this.store = Objects.requireNonNull(store);
        this.customers = Objects.requireNonNull(customers);
        this.clock = Objects.requireNonNull(clock);
        this.idle = Objects.requireNonNull(idle);
        this.ids = Objects.requireNonNull(ids);
    }

    /**
     * Forgets every cached state and price. SnapStart calls this (through the handler's priming hook) before
     * the snapshot and again after each restore: a snapshot is restored into many sandboxes, possibly days
     * later, so nothing read before it may be trusted. Stale entries would be safe (every write is conditioned
     * on the version, prices expire after {@link #PRICE_CACHE_TTL}) but would cost a conflict and retry, or
     * show an old price.
     */
    public void clearCaches() {
        states.clear();
        products.clear();
    }

    // ------------------------------------------------------------------ routes

    /** GET: one consistent read; never writes. An idle OPEN transaction reads as EXPIRED. */
    public Reply get(String storeId, String clientId) {
        return get(storeId, clientId, Optional.empty());
    }

    /** GET as of when API Gateway received it (the service's clock when unknown). */
    public Reply get(String storeId, String clientId, Optional<Instant> receivedAt) {
        Optional<TransactionState> state = store.loadState(storeId, clientId)
                .filter(s -> s.storeId().equals(storeId));
        if (state.isEmpty()) {
            states.remove(TransactionState.id(storeId, clientId));
            return Transitions.noTransaction();
        }
        states.put(state.get().id(), state.get());
        return Reply.json(200, Views.transaction(state.get(), receivedAt.orElseGet(clock::instant)));
    }

    public Reply addItem(Request r, String clientId, AddItem body) {
        Optional<ProductInfo> product = product(body.sku());
        if (product.isEmpty()) {
            return replayOr(r, unknownSku(body.sku(), "/sku"));
        }
        if (body.alternativeFor() != null) {
            // Alternatives are the refused sku's in-stock variants: the same style (AlternativesRanking).
            String style = product.get().styleId();
            Optional<ProductInfo> refused = product(body.alternativeFor());
            if (style == null || refused.isEmpty() || !style.equals(refused.get().styleId())) {
                throw new InvalidRequest("alternativeFor must be a sku of the same style as " + body.sku()
                        + " in this region (the alternatives an out-of-stock answer offers), got "
                        + body.alternativeFor(), "/alternativeFor");
            }
        }
        String txnId = ids.get();
        return mutate(r, clientId, (current, now) -> Transitions.addItem(current, r.storeId(), clientId, txnId,
                product.get(), body.qty(), body.customerId(), body.alternativeFor(), now, idle), "/sku",
                body.customerId());
    }

    public Reply removeItem(Request r, String clientId, String sku) {
        return mutate(r, clientId, (current, now) -> Transitions.removeItem(current, sku, now, idle), null);
    }

    public Reply checkout(Request r, String clientId) {
        String purchaseId = Purchase.idFor(r.storeId(), r.idempotencyKey());
        return mutate(r, clientId, (current, now) -> Transitions.checkout(current, purchaseId, r.deviceId(), now), null);
    }

    public Reply cancel(Request r, String clientId) {
        return mutate(r, clientId, (current, now) -> Transitions.cancel(current, now), null);
    }

    /**
     * A one-shot sale: no state, one DynamoDB transaction (stock moves, and the purchase, which carries the
     * request's idempotency record).
     */
    public Reply sale(Request r, Sale body) {
        Map<String, ProductInfo> found = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new LinkedHashMap<>();
        List<LineRequest> lines = body.lines();
        for (int i = 0; i < lines.size(); i++) {
            String sku = lines.get(i).sku();
            firstLine.putIfAbsent(sku, i);
            if (!found.containsKey(sku)) {
                Optional<ProductInfo> p = product(sku);
                if (p.isEmpty()) {
                    return replayOr(r, unknownSku(sku, "/lines/" + i + "/sku"));
                }
                found.put(sku, p.get());
            }
        }
        String purchaseId = Purchase.idFor(r.storeId(), r.idempotencyKey());
        int refills = 0;
        for (int attempt = 0; attempt <= MAX_RETRIES; attempt++) {
            Instant now = now(r);
            Decision decision = Transitions.sale(lines, found, purchaseId, r.storeId(), r.deviceId(), body.customerId(),
                    now);
            if (decision instanceof Rejection rejection) {
                return replayOr(r, rejection.reply());
            }
            Change change = (Change) decision;
            CommitResult result = store.commit(writeSet(r, change, now));
            if (result instanceof Committed) {
                change.purchase().ifPresent(metrics::sold);
                return change.reply();
            }
            Cancelled c = (Cancelled) result;
            if (c.idempotencyTaken()) {
                return replay(r, c.stored());
            }
            if (!c.shortOfStock().isEmpty()) {
                Optional<Map<String, Long>> stillShort = shortAfterRefills(c, change.moves(), now, refills);
                if (stillShort.isEmpty()) {
                    refills++;
                    attempt--; // a refilled shard is not a conflict: the same attempt again
                    continue;
                }
                Map<String, Long> refused = stillShort.get();
                String sku = refused.keySet().stream().min((a, b) -> firstLine.get(a) - firstLine.get(b))
                        .orElseThrow();
                long asked = lines.stream().filter(l -> l.sku().equals(sku)).mapToLong(LineRequest::qty).sum();
                return outOfStock(r, asked, sku, refused.get(sku), found.get(sku), body.customerId(),
                        "/lines/" + firstLine.get(sku) + "/sku");
            }
            if (!c.transientConflict()) {
                throw new IllegalStateException("sale cancelled for an unexpected reason: " + c);
            }
            if (attempt < MAX_RETRIES) {
                backoff.pause(attempt);
            }
        }
        return replayOr(r, Reply.concurrentModification());
    }

    /**
     * What a cancellation short of stock leaves refused: empty when every short sku was a dry shard of a sharded sku
     * and could be refilled (write again; at most {@link #MAX_REFILLS} refills a request), else sku -> available.
     */
    private Optional<Map<String, Long>> shortAfterRefills(Cancelled c, List<StockMove> moves, Instant now,
                                                          int refills) {
        if (refills < MAX_REFILLS && c.dryShards().keySet().containsAll(c.shortOfStock().keySet())) {
            return refill(c, moves, now);
        }
        return Optional.of(c.shortOfStock());
    }

    /**
     * Refills every dry shard of the cancellation from its sku's other shards. Empty when all could be refilled
     * (write again); else sku -> available over all its shards, for the skus that are short everywhere.
     */
    private Optional<Map<String, Long>> refill(Cancelled c, List<StockMove> moves, Instant now) {
        Map<String, Long> insufficient = new LinkedHashMap<>();
        c.dryShards().forEach((sku, shard) -> {
            long need = moves.stream().filter(m -> m.sku().equals(sku) && shard.equals(m.shard()))
                    .mapToLong(m -> -m.available()).sum();
            if (store.refill(sku, shard, need, now) instanceof RetailStore.Refill.Insufficient i) {
                insufficient.put(sku, i.available());
            }
        });
        return insufficient.isEmpty() ? Optional.empty() : Optional.of(insufficient);
    }

    // ------------------------------------------------------------------ the write loop

    private Reply mutate(Request r, String clientId, BiFunction<Optional<TransactionState>, Instant, Decision> transition,
                         String skuField) {
        return mutate(r, clientId, transition, skuField, null);
    }

    /** @param customerId the customer the request names, preferred over the stored one for ranking alternatives */
    private Reply mutate(Request r, String clientId, BiFunction<Optional<TransactionState>, Instant, Decision> transition,
                         String skuField, String customerId) {
        String id = TransactionState.id(r.storeId(), clientId);
        TransactionState cached = states.get(id);
        boolean fromCache = cached != null;
        Optional<TransactionState> current = fromCache ? Optional.of(cached) : load(r.storeId(), clientId);
        int refills = 0;
        for (int attempt = 0; attempt <= MAX_RETRIES; attempt++) {
            Instant now = now(r);
            Decision decision = transition.apply(current, now);
            if (decision instanceof Rejection rejection) {
                if (fromCache) {
                    // Another execution environment may have changed the state since this one cached it: a
                    // rejection is only ever decided on a consistent read (a write would be caught by its
                    // version condition; a refusal would not).
                    states.remove(id);
                    current = load(r.storeId(), clientId);
                    fromCache = false;
                    continue;
                }
                return replayOr(r, rejection.reply());
            }
            Change change = (Change) decision;
            CommitResult result = store.commit(writeSet(r, change, now));
            if (result instanceof Committed) {
                change.next().ifPresent(next -> states.put(id, next));
                change.purchase().ifPresent(metrics::sold);
                return change.reply();
            }
            Cancelled c = (Cancelled) result;
            if (c.idempotencyTaken()) {
                states.remove(id);
                return replay(r, c.stored());
            }
            if (c.stateConflict() || c.transientConflict()) {
                if (!c.stateConflict() && attempt < MAX_RETRIES) {
                    backoff.pause(attempt); // another transaction on the same items: let it finish first
                }
                states.remove(id);
                fromCache = false;
                current = c.stateConflict() && c.currentState().isPresent()
                        ? c.currentState().filter(s -> s.storeId().equals(r.storeId()))
                        : load(r.storeId(), clientId);
                continue;
            }
            if (!c.shortOfStock().isEmpty()) {
                Optional<Map<String, Long>> stillShort = shortAfterRefills(c, change.moves(), now, refills);
                if (stillShort.isEmpty()) {
                    refills++;
                    attempt--; // a refilled shard is not a conflict: the same attempt again
                    continue;
                }
                Map<String, Long> shortOfStock = stillShort.get();
                String sku = shortOfStock.keySet().iterator().next();
                ProductInfo p = product(sku).orElse(null);
                products.remove(sku);
                long asked = change.moves().stream().filter(m -> m.sku().equals(sku))
                        .mapToLong(m -> Math.abs(m.available())).sum();
                return outOfStock(r, asked, sku, shortOfStock.get(sku), p,
                        customerId != null ? customerId : current.map(TransactionState::customerId).orElse(null),
                        skuField);
            }
            throw new IllegalStateException("transaction write cancelled for an unexpected reason: " + c);
        }
        return replayOr(r, Reply.concurrentModification());
    }

    private Optional<TransactionState> load(String storeId, String clientId) {
        return store.loadState(storeId, clientId).filter(s -> s.storeId().equals(storeId));
    }

    private static WriteSet writeSet(Request r, Change change, Instant now) {
        Reply reply = change.reply();
        IdempotencyRecord record = new IdempotencyRecord(r.storeId(), r.idempotencyKey(), r.fingerprint(),
                reply.status(), reply.contentType(), reply.body(), now);
        return new WriteSet(change.next().map(next -> new StateWrite(next, change.expectedVersion())), change.moves(),
                change.purchase(), Optional.of(record), now);
    }

    // ------------------------------------------------------------------ idempotency

    /** A rejection writes nothing, but a retry of a request that did succeed must still get its stored answer. */
    private Reply replayOr(Request r, Reply rejection) {
        return store.idempotencyRecord(r.storeId(), r.idempotencyKey())
                .map(stored -> replayOf(r, stored))
                .orElse(rejection);
    }

    private Reply replay(Request r, Optional<IdempotencyRecord> stored) {
        IdempotencyRecord record = stored.or(() -> store.idempotencyRecord(r.storeId(), r.idempotencyKey()))
                .orElseThrow(() -> new IllegalStateException("idempotency record vanished: " + r.idempotencyKey()));
        return replayOf(r, record);
    }

    private static Reply replayOf(Request r, IdempotencyRecord stored) {
        if (!stored.fingerprint().equals(r.fingerprint())) {
            return Reply.idempotencyMismatch();
        }
        return new Reply(stored.status(), stored.contentType(), stored.body());
    }

    // ------------------------------------------------------------------ products and alternatives

    /** When the request happened: API Gateway's receipt time, else this service's clock. */
    private Instant now(Request r) {
        return r.receivedAt().orElseGet(clock::instant);
    }

    /** Read-through price cache: a warm add item needs no product read. */
    private Optional<ProductInfo> product(String sku) {
        Instant now = clock.instant();
        CachedProduct cached = products.get(sku);
        if (cached != null && cached.loadedAt().plus(PRICE_CACHE_TTL).isAfter(now)
                && !cached.loadedAt().isAfter(now)) {
            return Optional.of(cached.product());
        }
        Optional<ProductInfo> loaded = store.product(sku);
        loaded.ifPresentOrElse(p -> products.put(sku, new CachedProduct(p, now)), () -> products.remove(sku));
        return loaded;
    }

    private static Reply unknownSku(String sku, String field) {
        return Reply.notFound("no live product with sku " + sku + " in this region", field);
    }

    /** @param asked the units of {@code sku} the refused request asked for (lost demand) */
    private Reply outOfStock(Request r, long asked, String sku, long available, ProductInfo product,
                             String customerId, String field) {
        metrics.outOfStock(sku, Math.max(0, available));
        List<Alternative> alternatives = List.of();
        if (product != null && product.styleId() != null) {
            Optional<Preferences> preferences = customerId == null ? Optional.empty() : customers.preferences(customerId);
            alternatives = AlternativesRanking.rank(store.sameStyle(product.styleId(), sku), preferences);
        }
        try {
            store.recordLostDemand(sku, r.storeId(), asked, !alternatives.isEmpty(), r.idempotencyKey(), now(r));
        } catch (RuntimeException e) {
            // Best effort: the device's answer does not depend on it; the EMF metric above still counts the refusal.
            metrics.lostDemandNotRecorded(sku, e);
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("sku", sku);
        extra.put("available", Math.max(0, available));
        extra.put("alternatives", alternatives.stream().map(a -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sku", a.sku());
            m.put("name", a.name());
            m.put("size", a.size());
            m.put("color", a.color());
            m.put("available", a.available());
            return m;
        }).toList());
        return Reply.problem(409, "out-of-stock", "Out of stock",
                "only " + Math.max(0, available) + " of " + sku + " available", field, extra);
    }
}
