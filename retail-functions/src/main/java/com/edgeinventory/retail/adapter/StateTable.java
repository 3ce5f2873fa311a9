package com.edgeinventory.retail.adapter;

import com.edgeinventory.retail.service.TransactionState;
import com.edgeinventory.retail.service.TransactionState.Line;
import com.edgeinventory.retail.service.TransactionState.Status;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The one owner of the retail state table's item layout.
 *
 * <pre>
 * id=`{storeId}#{clientId}`  storeId, clientId, status (OPEN|CHECKED_OUT|CANCELLED|EXPIRED), txnId,
 *     lines (L of M: sku, qty N, unitPrice S exact decimal, currency, name, shard N? (the stock shard of a
 *     sharded sku its units are reserved on), category?, size?, alternativeFor?
 *     (the out-of-stock sku it was bought instead of)), customerId?, version N,
 *     updatedAt (ISO-8601), expiresAt (N, epoch s), ttl (N, epoch s = expiresAt + 7 days),
 *     while OPEN only: openShard (S, `OPEN#{0..15}` by id), openExpiresAt (N, = expiresAt)
 * GSI byOpenExpiry: openShard (HASH), openExpiresAt (RANGE), projection ALL. Sparse: a transaction is in it
 *     only while it is OPEN (every write replaces the whole item, and only an OPEN one carries the two keys).
 * </pre>
 *
 * <p>The sweeper queries the index for {@code openExpiresAt < now} in each of the {@link #OPEN_SHARDS} shards, so
 * a sweep reads the transactions that are expiring and nothing else: its cost follows what expires, not the size
 * of the table (closed transactions stay for 7 days until TTL deletes them). TTL and a stream could not do this:
 * TTL deletes within days, not within the idle timeout. The shards spread the index's writes (every add item moves
 * {@code openExpiresAt}) over 16 partitions.
 */
public final class StateTable {

    static final Duration TTL_AFTER_EXPIRY = Duration.ofDays(7);
    public static final String OPEN_EXPIRY_INDEX = "byOpenExpiry";
    public static final int OPEN_SHARDS = 16;

    /** What one sweep read: items returned by the index and the read units they cost by DynamoDB's rules. */
    public record ReadCost(long items, double readUnits) {}

    private final DynamoDbClient dynamo;
    private final String tableName;

    public StateTable(DynamoDbClient dynamo, String tableName) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.tableName = Objects.requireNonNull(tableName);
    }

    public String tableName() {
        return tableName;
    }

    public Optional<TransactionState> get(String storeId, String clientId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tableName)
                .key(Map.of("id", AttributeValue.fromS(TransactionState.id(storeId, clientId))))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /**
     * Replaces the state item, conditioned on the version the change was computed from ({@code expectedVersion = 0}:
     * the item must not exist). The stored item comes back in the cancellation reason when the condition fails.
     */
    public TransactWriteItem put(TransactionState next, long expectedVersion) {
        return TransactWriteItem.builder().put(p -> {
            p.tableName(tableName).item(toItem(next))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
            if (expectedVersion == 0) {
                p.conditionExpression("attribute_not_exists(id)");
            } else {
                p.conditionExpression("version = :expected")
                        .expressionAttributeValues(Map.of(":expected", n(expectedVersion)));
            }
        }).build();
    }

    /**
     * Every OPEN transaction with expiresAt before {@code now}, from the sparse index, shard by shard and page by
     * page. The index is eventually consistent: a transaction just closed may still show up, and the sweeper's
     * version-conditioned write then skips it. Returns what the sweep read.
     */
    public ReadCost forEachOpenExpired(Instant now, Consumer<TransactionState> visitor) {
        long items = 0;
        double units = 0;
        for (int shard = 0; shard < OPEN_SHARDS; shard++) {
            Map<String, AttributeValue> start = null;
            do {
                final Map<String, AttributeValue> from = start;
                final int s = shard;
                QueryResponse page = dynamo.query(b -> b.tableName(tableName).indexName(OPEN_EXPIRY_INDEX)
                        .keyConditionExpression("openShard = :shard AND openExpiresAt < :now")
                        .expressionAttributeValues(Map.of(":shard", AttributeValue.fromS("OPEN#" + s),
                                ":now", n(now.getEpochSecond())))
                        .exclusiveStartKey(from));
                long bytes = 0;
                for (Map<String, AttributeValue> item : page.items()) {
                    bytes += ItemSize.of(item);
                    visitor.accept(fromItem(item));
                }
                items += page.count();
                // An eventually consistent Query: 0.5 RRU per 4 KB of the items read, at least 0.5 per page.
                units += Math.max(1, (bytes + 4095) / 4096) * 0.5;
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey()
                        : null;
            } while (start != null);
        }
        return new ReadCost(items, units);
    }

    /**
     * SnapStart priming for the sweeper: ONE page of the sweep's index query, limited to one item
     * (at most one read unit) and with a cut-off of 0 s, so that no item matches and none comes back. Loads the
     * Query request pipeline before the snapshot; writes nothing. (The sweeper's role may Query the index but not
     * GetItem the table, hence a query.)
     */
    public void prime() {
        dynamo.query(b -> b.tableName(tableName).indexName(OPEN_EXPIRY_INDEX).limit(1)
                .keyConditionExpression("openShard = :shard AND openExpiresAt < :now")
                .expressionAttributeValues(Map.of(":shard", AttributeValue.fromS("OPEN#0"), ":now", n(0))));
    }

    public static Map<String, AttributeValue> toItem(TransactionState s) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("id", AttributeValue.fromS(s.id()));
        item.put("storeId", AttributeValue.fromS(s.storeId()));
        item.put("clientId", AttributeValue.fromS(s.clientId()));
        item.put("status", AttributeValue.fromS(s.status().name()));
        item.put("txnId", AttributeValue.fromS(s.txnId()));
        item.put("lines", AttributeValue.fromL(s.lines().stream().map(StateTable::lineValue).toList()));
        if (s.customerId() != null) {
            item.put("customerId", AttributeValue.fromS(s.customerId()));
        }
        item.put("version", n(s.version()));
        item.put("updatedAt", AttributeValue.fromS(s.updatedAt().toString()));
        item.put("expiresAt", n(s.expiresAt().getEpochSecond()));
        item.put("ttl", n(s.expiresAt().plus(TTL_AFTER_EXPIRY).getEpochSecond()));
        if (s.status() == Status.OPEN) {
            item.put("openShard", AttributeValue.fromS("OPEN#" + Math.floorMod(s.id().hashCode(), OPEN_SHARDS)));
            item.put("openExpiresAt", n(s.expiresAt().getEpochSecond()));
        }
        return item;
    }

    public static TransactionState fromItem(Map<String, AttributeValue> item) {
        List<Line> lines = item.get("lines").l().stream().map(AttributeValue::m).map(StateTable::lineOf).toList();
        AttributeValue customer = item.get("customerId");
        return new TransactionState(item.get("storeId").s(), item.get("clientId").s(),
                Status.valueOf(item.get("status").s()), item.get("txnId").s(), lines,
                customer == null ? null : customer.s(), Long.parseLong(item.get("version").n()),
                Instant.parse(item.get("updatedAt").s()),
                Instant.ofEpochSecond(Long.parseLong(item.get("expiresAt").n())));
    }

    static AttributeValue lineValue(Line l) {
        return lineValue(l, true);
    }

    /** @param withShard whether to keep the line's stock shard (the state does; a purchase has no use for it) */
    static AttributeValue lineValue(Line l, boolean withShard) {
        Map<String, AttributeValue> m = new HashMap<>();
        if (withShard && l.shard() != null) {
            m.put("shard", n(l.shard()));
        }
        m.put("sku", AttributeValue.fromS(l.sku()));
        m.put("qty", n(l.qty()));
        m.put("unitPrice", AttributeValue.fromS(l.unitPrice().toPlainString()));
        m.put("currency", AttributeValue.fromS(l.currency()));
        if (l.name() != null) {
            m.put("name", AttributeValue.fromS(l.name()));
        }
        if (l.category() != null) {
            m.put("category", AttributeValue.fromS(l.category()));
        }
        if (l.size() != null) {
            m.put("size", AttributeValue.fromS(l.size()));
        }
        if (l.alternativeFor() != null) {
            m.put("alternativeFor", AttributeValue.fromS(l.alternativeFor()));
        }
        return AttributeValue.fromM(m);
    }

    static Line lineOf(Map<String, AttributeValue> m) {
        AttributeValue name = m.get("name");
        AttributeValue shard = m.get("shard");
        AttributeValue category = m.get("category");
        AttributeValue size = m.get("size");
        AttributeValue alternativeFor = m.get("alternativeFor");
        return new Line(m.get("sku").s(), Long.parseLong(m.get("qty").n()), new BigDecimal(m.get("unitPrice").s()),
                m.get("currency").s(), name == null ? null : name.s(),
                shard == null ? null : Integer.valueOf(shard.n()), category == null ? null : category.s(),
                size == null ? null : size.s(), alternativeFor == null ? null : alternativeFor.s());
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
