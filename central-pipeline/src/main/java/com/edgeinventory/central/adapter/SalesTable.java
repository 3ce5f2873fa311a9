package com.edgeinventory.central.adapter;

import com.edgeinventory.central.service.Aggregation;
import com.edgeinventory.central.service.SalesBatch;
import com.edgeinventory.model.central.SaleLine;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Item layouts of the central sales table (pk {@code pk}, sk {@code sk}) and of its dedup table (pk {@code id},
 * TTL {@code ttl}), written together in one transaction per {@link SalesBatch}:
 * <ul>
 *   <li>dedup marker {@code id = {region}#{purchaseId}#{sku}}, {@code ttl} (N, epoch seconds, now + 8 days),
 *       put with {@code attribute_not_exists(id)}: an existing marker cancels the transaction, so a line is never
 *       counted twice;</li>
 *   <li>counter pk {@code SALES#{region}#{day}}, sk {@code {sku}}: {@code qty} (N), {@code lines} (N),
 *       {@code amounts} (M of currency to N);</li>
 *   <li>revenue pk {@code REVENUE#{region}#{day}}, sk {@code #}: {@code lines} (N), {@code amounts} (M of
 *       currency to N).</li>
 * </ul>
 * Amount maps: DynamoDB's ADD works on top-level attributes only, so a currency's amount is added with
 * {@code SET amounts.#cur = if_not_exists(amounts.#cur, 0) + :a} under {@code attribute_exists(amounts)}; when the
 * map does not exist yet the transaction is cancelled and sent again creating the whole map
 * ({@code SET amounts = :map} under {@code attribute_not_exists(amounts)}). Races between two first writers end
 * the same way, in the other direction.
 */
public final class SalesTable implements Aggregation.SalesStore {

    public static final Duration DEDUP_RETENTION = Duration.ofDays(8);
    static final int MAX_ATTEMPTS = 6;

    /** A sales counter of one sku on one day in one region. */
    public record Counter(long qty, long lines, Map<String, BigDecimal> amounts) {}

    /** The revenue of one region on one day. */
    public record Revenue(long lines, Map<String, BigDecimal> amounts) {}

    private final DynamoDbClient dynamo;
    private final String salesTable;
    private final String dedupTable;
    private final Clock clock;

    public SalesTable(DynamoDbClient dynamo, String salesTable, String dedupTable, Clock clock) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.salesTable = Objects.requireNonNull(salesTable);
        this.dedupTable = Objects.requireNonNull(dedupTable);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public Aggregation.SalesResult count(SalesBatch batch) {
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
            }
        }
        throw new Aggregation.ContentionException("sales of " + batch.region() + "#" + batch.sku() + " on "
                + batch.day() + " still conflicting after " + MAX_ATTEMPTS + " attempts");
    }

    public Counter counter(String region, LocalDate day, String sku) {
        Map<String, AttributeValue> item = get(salesKey(region, day, sku));
        return new Counter(number(item, "qty"), number(item, "lines"), amounts(item));
    }

    public Revenue revenue(String region, LocalDate day) {
        Map<String, AttributeValue> item = get(revenueKey(region, day));
        return new Revenue(number(item, "lines"), amounts(item));
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
        return update(revenueKey(batch.region(), batch.day()), set + " ADD #n :n", mapExists, names, values);
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
