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
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The one owner of the retail state table's item layout.
 *
 * <pre>
 * id=`{storeId}#{clientId}`  storeId, clientId, status (OPEN|CHECKED_OUT|CANCELLED|EXPIRED), txnId,
 *     lines (L of M: sku, qty N, unitPrice S exact decimal, currency, name), customerId?, version N,
 *     updatedAt (ISO-8601), expiresAt (N, epoch s), ttl (N, epoch s = expiresAt + 7 days)
 * </pre>
 */
public final class StateTable {

    static final Duration TTL_AFTER_EXPIRY = Duration.ofDays(7);

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

    /** Every OPEN transaction with expiresAt before {@code now}, page by page (a consistent scan). */
    public void forEachOpenExpired(Instant now, Consumer<TransactionState> visitor) {
        Map<String, AttributeValue> start = null;
        do {
            final Map<String, AttributeValue> from = start;
            ScanResponse page = dynamo.scan(b -> b.tableName(tableName).consistentRead(true)
                    .filterExpression("#status = :open AND expiresAt < :now")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":open", AttributeValue.fromS(Status.OPEN.name()),
                            ":now", n(now.getEpochSecond())))
                    .exclusiveStartKey(from));
            page.items().stream().map(StateTable::fromItem).forEach(visitor);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }

    /**
     * SnapStart priming for the sweeper: ONE page of the sweep's consistent, filtered scan, limited to one item
     * (at most one read unit) and with a cut-off of 0 s, so that no item matches and none comes back. Loads the
     * Scan request pipeline before the snapshot; writes nothing. (The sweeper's role may Scan this table but not
     * GetItem it, hence a scan.)
     */
    public void prime() {
        dynamo.scan(b -> b.tableName(tableName).consistentRead(true).limit(1)
                .filterExpression("#status = :open AND expiresAt < :now")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":open", AttributeValue.fromS(Status.OPEN.name()), ":now", n(0))));
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
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("sku", AttributeValue.fromS(l.sku()));
        m.put("qty", n(l.qty()));
        m.put("unitPrice", AttributeValue.fromS(l.unitPrice().toPlainString()));
        m.put("currency", AttributeValue.fromS(l.currency()));
        if (l.name() != null) {
            m.put("name", AttributeValue.fromS(l.name()));
        }
        return AttributeValue.fromM(m);
    }

    static Line lineOf(Map<String, AttributeValue> m) {
        AttributeValue name = m.get("name");
        return new Line(m.get("sku").s(), Long.parseLong(m.get("qty").n()), new BigDecimal(m.get("unitPrice").s()),
                m.get("currency").s(), name == null ? null : name.s());
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
