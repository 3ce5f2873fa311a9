package com.edgeinventory.retail.adapter;

import com.edgeinventory.retail.service.IdempotencyRecord;
import com.edgeinventory.retail.service.Purchase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The one owner of the purchases table's item layout.
 *
 * <pre>
 * purchaseId  kind (checkout|sale), storeId, deviceId, clientId?, txnId?, customerId?,
 *     lines (L of M: sku, qty N, unitPrice S, currency, name, category?, size?, alternativeFor?), total (S, exact), currency,
 *     purchasedAt (ISO-8601; with storeId the key of GSI byStore),
 *     idempotencyKey?, fingerprint? (the request that created it: the purchase is its idempotency record)
 * </pre>
 *
 * <p>A checkout or sale's purchase id is decided by its store and Idempotency-Key ({@link Purchase#idFor}), so
 * the purchase item doubles as the request's idempotency record: a retry's put fails its condition and gets the
 * stored purchase back (ALL_OLD), from which the very same answer is rendered. This saves the separate
 * idempotency item (2 WRU in a transaction) on every purchase, and the key is remembered as long as the purchase.
 */
public final class PurchasesTable {

    private final DynamoDbClient dynamo;
    private final String tableName;

    public PurchasesTable(DynamoDbClient dynamo, String tableName) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.tableName = Objects.requireNonNull(tableName);
    }

    public String tableName() {
        return tableName;
    }

    /** The purchase, written only if its id is new; the stored purchase comes back when it is not. */
    public TransactWriteItem put(Purchase p, Optional<IdempotencyRecord> createdBy) {
        return TransactWriteItem.builder().put(b -> b.tableName(tableName).item(toItem(p, createdBy))
                .conditionExpression("attribute_not_exists(purchaseId)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build();
    }

    /** The idempotency record the purchase created by this store and key carries, read consistently. */
    public Optional<IdempotencyRecord> idempotencyRecord(String storeId, String key) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tableName)
                .key(Map.of("purchaseId", AttributeValue.fromS(Purchase.idFor(storeId, key)))).consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : recordOf(storeId, key, item);
    }

    /**
     * The record a stored purchase item carries for {@code key}; empty when the item was not created by that key
     * in that store (an id collision across stores is a SHA-256 collision; the check costs nothing).
     */
    static Optional<IdempotencyRecord> recordOf(String storeId, String key, Map<String, AttributeValue> item) {
        AttributeValue storedKey = item.get("idempotencyKey");
        AttributeValue fingerprint = item.get("fingerprint");
        if (storedKey == null || fingerprint == null || !key.equals(storedKey.s())
                || !storeId.equals(item.get("storeId").s())) {
            return Optional.empty();
        }
        return Optional.of(IdempotencyRecord.ofPurchase(storeId, key, fingerprint.s(), fromItem(item)));
    }

    static Map<String, AttributeValue> toItem(Purchase p, Optional<IdempotencyRecord> createdBy) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("purchaseId", AttributeValue.fromS(p.purchaseId()));
        item.put("kind", AttributeValue.fromS(p.kind()));
        item.put("storeId", AttributeValue.fromS(p.storeId()));
        item.put("deviceId", AttributeValue.fromS(p.deviceId()));
        if (p.clientId() != null) {
            item.put("clientId", AttributeValue.fromS(p.clientId()));
        }
        if (p.txnId() != null) {
            item.put("txnId", AttributeValue.fromS(p.txnId()));
        }
        if (p.customerId() != null) {
            item.put("customerId", AttributeValue.fromS(p.customerId()));
        }
        item.put("lines", AttributeValue.fromL(p.lines().stream().map(l -> StateTable.lineValue(l, false)).toList()));
        item.put("total", AttributeValue.fromS(p.total().toPlainString()));
        item.put("currency", AttributeValue.fromS(p.currency()));
        item.put("purchasedAt", AttributeValue.fromS(p.purchasedAt().toString()));
        createdBy.ifPresent(r -> {
            item.put("idempotencyKey", AttributeValue.fromS(r.key()));
            item.put("fingerprint", AttributeValue.fromS(r.fingerprint()));
        });
        return item;
    }

    static Purchase fromItem(Map<String, AttributeValue> item) {
        return new Purchase(item.get("purchaseId").s(), item.get("kind").s(), item.get("storeId").s(),
                item.get("deviceId").s(), optional(item, "clientId"), optional(item, "txnId"),
                optional(item, "customerId"),
                item.get("lines").l().stream().map(AttributeValue::m).map(StateTable::lineOf).toList(),
                new BigDecimal(item.get("total").s()), item.get("currency").s(),
                Instant.parse(item.get("purchasedAt").s()));
    }

    private static String optional(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }
}
