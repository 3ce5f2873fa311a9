package com.edgeinventory.central.adapter;

import com.edgeinventory.model.Backoff;

import com.edgeinventory.central.service.Aggregation;
import com.edgeinventory.central.service.AnalyticsStore;
import com.edgeinventory.central.service.SalesBatch;
import com.edgeinventory.model.central.LostDemand;
import com.edgeinventory.model.central.SaleLine;
import com.edgeinventory.model.central.Visit;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Item layouts of the central sales table (pk {@code pk}, sk {@code sk}) and of its dedup table (pk {@code id},
 * TTL {@code ttl}), written together in one transaction per {@link SalesBatch}:
 * <ul>
 *   <li>dedup marker {@code id = {region}#{purchaseId}#{sku}}, {@code ttl} (N, epoch seconds, now + {@link #DEDUP_RETENTION}),
 *       put with {@code attribute_not_exists(id)}: an existing marker cancels the transaction, so a line is never
 *       counted twice;</li>
 *   <li>counter pk {@code SALES#{region}#{day}}, sk {@code {sku}}: {@code qty} (N), {@code lines} (N),
 *       {@code amounts} (M of currency to N);</li>
 *   <li>revenue pk {@code REVENUE#{region}#{day}}, sk {@code #}: {@code lines} (N), {@code amounts} (M of
 *       currency to N), and the day's mix: {@code basket:{NEW|RETURNING|ANONYMOUS|UNKNOWN}} (N, baskets by who
 *       bought), {@code category:{category}} and {@code size:{size}} (N, units);</li>
 *   <li>store pk {@code STORES#{region}#{day}}, sk {@code {storeId}}: {@code baskets}, {@code units}, {@code lines}
 *       (N), {@code amount:{currency}} (N), one update per store the batch's lines were sold in.</li>
 * </ul>
 * Lost demand, outside the transactions: pk {@code LOST#{region}#{day}}, sk {@code {sku}#{storeId}}: {@code sku},
 * {@code storeId}, {@code refusedUnits}, {@code refusals}, {@code offered}, {@code alternativesBought} (N), as the
 * edge's counters stood, put only over smaller ones (they only grow), so reordered or redelivered records converge.
 * Baskets are counted on their first line ({@code SaleLine.basketStart}), which the dedup markers count once, so
 * the mix and the stores' figures are as idempotent under redelivery as the counters.
 * Amount maps: DynamoDB's ADD works on top-level attributes only, so a currency's amount is added with
 * {@code SET amounts.#cur = if_not_exists(amounts.#cur, 0) + :a} under {@code attribute_exists(amounts)}; when the
 * map does not exist yet the transaction is cancelled and sent again creating the whole map
 * ({@code SET amounts = :map} under {@code attribute_not_exists(amounts)}). Races between two first writers end
 * the same way, in the other direction.
 *
 * <p>Reads for the analysts' queries: a region's counters of one day (a query on {@code SALES#{region}#{day}}),
 * and the units of one sku over many (region, day) pairs through BatchGetItem, whose unprocessed keys are sent
 * again with a bounded, jittered exponential backoff.
 */
public final class SalesTable implements Aggregation.SalesStore {

    /**
     * How long a counted sale is remembered. A copy of a record can reach central this long after the first one
     * counted: the edge outbox keeps records 14 days (an ambiguous PutRecords failure can leave a record both on
     * the stream and in the outbox), and a record redriven from the aggregator's dead-letter queue is put back
     * within the stream's 48 h and read within another 48 h. 14 d + 2 d + 2 d, plus margin: 21 days.
     */
    public static final Duration DEDUP_RETENTION = Duration.ofDays(21);
    static final String BASKET = "basket:";
    static final String CATEGORY = "category:";
    static final String SIZE = "size:";
    static final String AMOUNT = "amount:";
    static final int MAX_ATTEMPTS = 6;
    /** BatchGetItem takes at most this many keys per request. */
    static final int BATCH_GET_KEYS = 100;
    /** Requests per chunk of keys before unprocessed keys are given up on (at most about 2.3 s of backoff in all). */
    static final int MAX_BATCH_GET_ATTEMPTS = 8;
    static final long BACKOFF_BASE_MILLIS = 20;
    static final long BACKOFF_CAP_MILLIS = 1_000;

    /** Waits between BatchGetItem attempts; replaced in tests. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** A sales counter of one sku on one day in one region. */
    public record Counter(long qty, long lines, Map<String, BigDecimal> amounts) {}

    /** The revenue of one region on one day. */
    public record Revenue(long lines, Map<String, BigDecimal> amounts) {}

    private final DynamoDbClient dynamo;
    private final String salesTable;
    private final String dedupTable;
    private final Clock clock;
    private final Sleeper sleeper;

    public SalesTable(DynamoDbClient dynamo, String salesTable, String dedupTable, Clock clock) {
        this(dynamo, salesTable, Objects.requireNonNull(dedupTable), clock, Thread::sleep);
    }

    /** {@code dedupTable} null: a reader, whose {@link #count} refuses to write. */
    SalesTable(DynamoDbClient dynamo, String salesTable, String dedupTable, Clock clock, Sleeper sleeper) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.salesTable = Objects.requireNonNull(salesTable);
        this.dedupTable = dedupTable;
        this.clock = Objects.requireNonNull(clock);
        this.sleeper = Objects.requireNonNull(sleeper);
    }

    /** For the reads only: it has no dedup table, so it cannot count sales. */
    public static SalesTable reader(DynamoDbClient dynamo, String salesTable) {
        return new SalesTable(dynamo, salesTable, null, Clock.systemUTC(), Thread::sleep);
    }

    @Override
    public Aggregation.SalesResult count(SalesBatch batch) {
        if (dedupTable == null) {
            throw new IllegalStateException("this SalesTable was built to read; it has no dedup table to count with");
        }
        boolean counterMapExists = true;
        boolean revenueMapExists = true;
        int markers = batch.lines().size();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            List<TransactWriteItem> items = new ArrayList<>();
            long ttl = clock.instant().plus(DEDUP_RETENTION).getEpochSecond();
            for (SaleLine line : batch.lines()) {
                items.add(marker(batch.eventId(line), ttl));
            }
            items.add(counterUpdate(batch, counterMapExists));
            items.add(revenueUpdate(batch, revenueMapExists));
            batch.byStore().forEach((store, sums) -> items.add(storeUpdate(batch, store, sums)));
            try {
                dynamo.transactWriteItems(b -> b.transactItems(items));
                return Aggregation.SalesResult.COUNTED;
            } catch (TransactionCanceledException e) {
                List<String> codes = codes(e, items.size());
                for (int i = 0; i < markers; i++) {
                    if ("ConditionalCheckFailed".equals(codes.get(i))) {
                        return Aggregation.SalesResult.ALREADY_COUNTED;
                    }
                }
                boolean retry = false;
                if ("ConditionalCheckFailed".equals(codes.get(markers))) {
                    counterMapExists = !counterMapExists;
                    retry = true;
                }
                if ("ConditionalCheckFailed".equals(codes.get(markers + 1))) {
                    revenueMapExists = !revenueMapExists;
                    retry = true;
                }
                if (!retry && !codes.contains("TransactionConflict")) {
                    throw e;
                }
                if (codes.contains("TransactionConflict") && attempt < MAX_ATTEMPTS - 1) {
                    Backoff.JITTERED.pause(attempt); // the day's counters are shared: let the other writer finish
                }
            }
        }
        throw new Aggregation.ContentionException("sales of " + batch.region() + "#" + batch.sku() + " on "
                + batch.day() + " still conflicting after " + MAX_ATTEMPTS + " attempts");
    }

    @Override
    public void recordLostDemand(String region, String sku, LostDemand d) {
        try {
            // The edge's counters only grow, together: a later state has as many refusals and as many alternatives
            // bought, or more. Put only a later state than the stored one.
            dynamo.updateItem(b -> b.tableName(salesTable).key(lostKey(region, d.day(), sku, d.storeId()))
                    .updateExpression("SET sku = :sku, storeId = :store, refusedUnits = :u, refusals = :r, "
                            + "offered = :o, alternativesBought = :a")
                    .conditionExpression("attribute_not_exists(refusals) OR refusals < :r OR (refusals = :r AND "
                            + "(attribute_not_exists(alternativesBought) OR alternativesBought < :a))")
                    .expressionAttributeValues(Map.of(":sku", AttributeValue.fromS(sku),
                            ":store", AttributeValue.fromS(d.storeId()),
                            ":u", AttributeValue.fromN(Long.toString(d.refusedUnits())),
                            ":r", AttributeValue.fromN(Long.toString(d.refusals())),
                            ":o", AttributeValue.fromN(Long.toString(d.offered())),
                            ":a", AttributeValue.fromN(Long.toString(d.alternativesBought())))));
        } catch (ConditionalCheckFailedException newerStored) {
            // a later count is already there (a reordered or redelivered record): nothing to do
        }
    }

    /** Every sku's and store's lost demand in the region on the day. Eventually consistent. */
    public List<AnalyticsStore.LostDay> lostDemandOfDay(String region, LocalDate day) {
        List<AnalyticsStore.LostDay> lost = new ArrayList<>();
        for (Map<String, AttributeValue> item : itemsOf(AttributeValue.fromS("LOST#" + region + "#" + day))) {
            lost.add(new AnalyticsStore.LostDay(item.get("sku").s(), item.get("storeId").s(),
                    number(item, "refusedUnits"), number(item, "refusals"), number(item, "offered"),
                    number(item, "alternativesBought")));
        }
        return lost;
    }

    /** The units of one sku refused in the region on the day, over its stores (a Query on the sku's prefix). */
    public long lostUnitsOfDay(String sku, String region, LocalDate day) {
        long units = 0;
        for (Map<String, AttributeValue> item : dynamo.queryPaginator(b -> b.tableName(salesTable)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :sku)")
                .expressionAttributeNames(Map.of("#pk", "pk", "#sk", "sk"))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("LOST#" + region + "#" + day),
                        ":sku", AttributeValue.fromS(sku + "#")))).items()) {
            units += number(item, "refusedUnits");
        }
        return units;
    }

    /** Every item of a partition key (a paginated Query; eventually consistent). */
    private Iterable<Map<String, AttributeValue>> itemsOf(AttributeValue pk) {
        return dynamo.queryPaginator(b -> b.tableName(salesTable)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", "pk"))
                .expressionAttributeValues(Map.of(":pk", pk))).items();
    }

    static Map<String, AttributeValue> lostKey(String region, LocalDate day, String sku, String store) {
        return Map.of("pk", AttributeValue.fromS("LOST#" + region + "#" + day),
                "sk", AttributeValue.fromS(sku + "#" + store));
    }

    public Counter counter(String region, LocalDate day, String sku) {
        Map<String, AttributeValue> item = get(salesKey(region, day, sku));
        return new Counter(number(item, "qty"), number(item, "lines"), amounts(item));
    }

    public Revenue revenue(String region, LocalDate day) {
        Map<String, AttributeValue> item = get(revenueKey(region, day));
        return new Revenue(number(item, "lines"), amounts(item));
    }

    /** Every store's day in the region, sorted by store. Eventually consistent. */
    public List<AnalyticsStore.StoreDay> storesOfDay(String region, LocalDate day) {
        List<AnalyticsStore.StoreDay> stores = new ArrayList<>();
        for (Map<String, AttributeValue> item : itemsOf(storeKey(region, day, "").get("pk"))) {
            Map<String, BigDecimal> amounts = new TreeMap<>();
            item.forEach((name, v) -> {
                if (name.startsWith(AMOUNT) && v.n() != null) {
                    amounts.put(name.substring(AMOUNT.length()), new BigDecimal(v.n()));
                }
            });
            stores.add(new AnalyticsStore.StoreDay(item.get("sk").s(), number(item, "baskets"), number(item, "units"),
                    number(item, "lines"), amounts));
        }
        return stores;
    }

    /** The region's buyers and mix on the day, from its revenue item. Eventually consistent. */
    public AnalyticsStore.MixDay mixOfDay(String region, LocalDate day) {
        // A Query of the one revenue item: the analysts' role may query this table, not GetItem it.
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        itemsOf(revenueKey(region, day).get("pk")).forEach(found::add);
        if (found.isEmpty()) {
            return AnalyticsStore.MixDay.NONE;
        }
        Map<String, AttributeValue> item = found.getFirst();
        Map<Visit, Long> baskets = new EnumMap<>(Visit.class);
        Map<String, Long> categories = new TreeMap<>();
        Map<String, Long> sizes = new TreeMap<>();
        item.forEach((name, v) -> {
            if (v.n() == null) {
                return;
            }
            long n = Long.parseLong(v.n());
            if (name.startsWith(BASKET)) {
                try {
                    baskets.put(Visit.valueOf(name.substring(BASKET.length())), n);
                } catch (IllegalArgumentException unknownVisit) {
                    // written by a newer aggregator: not this reader's to count
                }
            } else if (name.startsWith(CATEGORY)) {
                categories.put(name.substring(CATEGORY.length()), n);
            } else if (name.startsWith(SIZE)) {
                sizes.put(name.substring(SIZE.length()), n);
            }
        });
        return new AnalyticsStore.MixDay(baskets, categories, sizes);
    }

    /** Every sku's counter of the region on the day, sorted by sku. Eventually consistent. */
    public List<AnalyticsStore.SkuSales> salesOfDay(String region, LocalDate day) {
        List<AnalyticsStore.SkuSales> sales = new ArrayList<>();
        for (Map<String, AttributeValue> item : itemsOf(salesKey(region, day, "").get("pk"))) {
            sales.add(new AnalyticsStore.SkuSales(item.get("sk").s(), number(item, "qty"), number(item, "lines"),
                    amounts(item)));
        }
        return sales;
    }

    /**
     * The units of a sku sold in each (region, day) through BatchGetItem, {@value #BATCH_GET_KEYS} keys a request.
     * A pair with no counter is absent. Eventually consistent.
     *
     * @throws AnalyticsStore.Unavailable when DynamoDB still leaves keys unprocessed after
     *                                    {@value #MAX_BATCH_GET_ATTEMPTS} attempts
     */
    public Map<AnalyticsStore.RegionDay, Long> unitsSold(String sku, Collection<String> regions,
                                                        Collection<LocalDate> days) {
        Map<String, AnalyticsStore.RegionDay> byPk = new LinkedHashMap<>();
        for (String region : regions) {
            for (LocalDate day : days) {
                byPk.put(salesKey(region, day, sku).get("pk").s(), new AnalyticsStore.RegionDay(region, day));
            }
        }
        List<Map<String, AttributeValue>> keys = byPk.keySet().stream()
                .map(pk -> Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sku)))
                .toList();
        Map<AnalyticsStore.RegionDay, Long> units = new HashMap<>();
        for (int from = 0; from < keys.size(); from += BATCH_GET_KEYS) {
            for (Map<String, AttributeValue> item : batchGet(keys.subList(from, Math.min(keys.size(), from + BATCH_GET_KEYS)))) {
                AnalyticsStore.RegionDay regionDay = byPk.get(item.get("pk").s());
                if (regionDay != null) {
                    units.put(regionDay, number(item, "qty"));
                }
            }
        }
        return units;
    }

    private List<Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        KeysAndAttributes pending = KeysAndAttributes.builder().keys(keys)
                .projectionExpression("#pk, #q")
                .expressionAttributeNames(Map.of("#pk", "pk", "#q", "qty"))
                .build();
        for (int attempt = 0; attempt < MAX_BATCH_GET_ATTEMPTS; attempt++) {
            if (attempt > 0) {
                backoff(attempt);
            }
            KeysAndAttributes request = pending;
            BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(Map.of(salesTable, request)));
            items.addAll(response.responses().getOrDefault(salesTable, List.of()));
            KeysAndAttributes unprocessed = response.hasUnprocessedKeys()
                    ? response.unprocessedKeys().get(salesTable) : null;
            if (unprocessed == null || !unprocessed.hasKeys() || unprocessed.keys().isEmpty()) {
                return items;
            }
            pending = pending.toBuilder().keys(unprocessed.keys()).build();
        }
        throw new AnalyticsStore.Unavailable(pending.keys().size() + " sales counters still unprocessed after "
                + MAX_BATCH_GET_ATTEMPTS + " BatchGetItem attempts");
    }

    /** A random wait between half and all of {@code min(cap, base * 2^(attempt-1))}. */
    private void backoff(int attempt) {
        long ceiling = Math.min(BACKOFF_CAP_MILLIS, BACKOFF_BASE_MILLIS << Math.min(attempt - 1, 20));
        try {
            sleeper.sleep(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AnalyticsStore.Unavailable("interrupted while backing off BatchGetItem");
        }
    }

    private TransactWriteItem marker(String id, long ttl) {
        return TransactWriteItem.builder().put(p -> p.tableName(dedupTable)
                .item(Map.of("id", AttributeValue.fromS(id), "ttl", AttributeValue.fromN(Long.toString(ttl))))
                .conditionExpression("attribute_not_exists(id)")).build();
    }

    private TransactWriteItem counterUpdate(SalesBatch batch, boolean mapExists) {
        Map<String, String> names = new HashMap<>(Map.of("#q", "qty", "#n", "lines"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":q", AttributeValue.fromN(Long.toString(batch.qty())),
                ":n", AttributeValue.fromN(Integer.toString(batch.lines().size()))));
        String set = amountsUpdate(batch.amounts(), mapExists, names, values);
        String expression = set + " ADD #q :q, #n :n";
        return update(salesKey(batch.region(), batch.day(), batch.sku()), expression, mapExists, names, values);
    }

    private TransactWriteItem revenueUpdate(SalesBatch batch, boolean mapExists) {
        Map<String, String> names = new HashMap<>(Map.of("#n", "lines"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":n", AttributeValue.fromN(Integer.toString(batch.lines().size()))));
        String set = amountsUpdate(batch.amounts(), mapExists, names, values);
        List<String> adds = new ArrayList<>(List.of("#n :n"));
        int i = 0;
        for (var e : batch.basketsByVisit().entrySet()) {
            adds.add(addTo(BASKET + e.getKey().name(), e.getValue(), "b" + i++, names, values));
        }
        batch.attributes().ifPresent(a -> {
            if (!a.category().isEmpty()) {
                adds.add(addTo(CATEGORY + a.category(), batch.qty(), "cat", names, values));
            }
            if (!a.size().isEmpty()) {
                adds.add(addTo(SIZE + a.size(), batch.qty(), "size", names, values));
            }
        });
        return update(revenueKey(batch.region(), batch.day()), set + " ADD " + String.join(", ", adds), mapExists,
                names, values);
    }

    /** A store's part of a batch: plain ADDs (a currency's amount is its own top-level number). */
    private TransactWriteItem storeUpdate(SalesBatch batch, String store, SalesBatch.StoreSums sums) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> adds = new ArrayList<>();
        adds.add(addTo("baskets", sums.baskets(), "b", names, values));
        adds.add(addTo("units", sums.units(), "u", names, values));
        adds.add(addTo("lines", sums.lines(), "n", names, values));
        int i = 0;
        for (var e : sums.amounts().entrySet()) {
            names.put("#a" + i, AMOUNT + e.getKey());
            values.put(":a" + i, AttributeValue.fromN(e.getValue().toPlainString()));
            adds.add("#a" + i + " :a" + i);
            i++;
        }
        return TransactWriteItem.builder().update(u -> u.tableName(salesTable)
                .key(storeKey(batch.region(), batch.day(), store))
                .updateExpression("ADD " + String.join(", ", adds))
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)).build();
    }

    private static String addTo(String attribute, long n, String placeholder, Map<String, String> names,
                                Map<String, AttributeValue> values) {
        names.put("#" + placeholder, attribute);
        values.put(":" + placeholder, AttributeValue.fromN(Long.toString(n)));
        return "#" + placeholder + " :" + placeholder;
    }

    private TransactWriteItem update(Map<String, AttributeValue> key, String expression, boolean mapExists,
                                     Map<String, String> names, Map<String, AttributeValue> values) {
        return TransactWriteItem.builder().update(u -> u.tableName(salesTable).key(key)
                .updateExpression(expression)
                .conditionExpression(mapExists ? "attribute_exists(#am)" : "attribute_not_exists(#am)")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)).build();
    }

    /** The SET clause adding {@code amounts} per currency, filling in names and values. */
    private static String amountsUpdate(Map<String, BigDecimal> amounts, boolean mapExists, Map<String, String> names,
                                        Map<String, AttributeValue> values) {
        names.put("#am", "amounts");
        if (!mapExists) {
            Map<String, AttributeValue> map = new HashMap<>();
            amounts.forEach((currency, amount) -> map.put(currency, AttributeValue.fromN(amount.toPlainString())));
            values.put(":am", AttributeValue.fromM(map));
            return "SET #am = :am";
        }
        values.put(":zero", AttributeValue.fromN("0"));
        List<String> sets = new ArrayList<>();
        int i = 0;
        for (var e : amounts.entrySet()) {
            names.put("#c" + i, e.getKey());
            values.put(":a" + i, AttributeValue.fromN(e.getValue().toPlainString()));
            sets.add("#am.#c" + i + " = if_not_exists(#am.#c" + i + ", :zero) + :a" + i);
            i++;
        }
        return "SET " + String.join(", ", sets);
    }

    private static List<String> codes(TransactionCanceledException e, int size) {
        List<String> codes = new ArrayList<>();
        List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
        for (int i = 0; i < size; i++) {
            codes.add(i < reasons.size() ? reasons.get(i).code() : null);
        }
        return codes;
    }

    private Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(salesTable).key(key).consistentRead(true))
                .item();
        return item == null ? Map.of() : item;
    }

    static Map<String, AttributeValue> salesKey(String region, LocalDate day, String sku) {
        return Map.of("pk", AttributeValue.fromS("SALES#" + region + "#" + day), "sk", AttributeValue.fromS(sku));
    }

    static Map<String, AttributeValue> storeKey(String region, LocalDate day, String store) {
        return Map.of("pk", AttributeValue.fromS("STORES#" + region + "#" + day), "sk", AttributeValue.fromS(store));
    }

    static Map<String, AttributeValue> revenueKey(String region, LocalDate day) {
        return Map.of("pk", AttributeValue.fromS("REVENUE#" + region + "#" + day), "sk", AttributeValue.fromS("#"));
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    private static Map<String, BigDecimal> amounts(Map<String, AttributeValue> item) {
        Map<String, BigDecimal> amounts = new TreeMap<>();
        AttributeValue m = item.get("amounts");
        if (m != null && m.hasM()) {
            m.m().forEach((currency, v) -> amounts.put(currency, new BigDecimal(v.n())));
        }
        return amounts;
    }
}
