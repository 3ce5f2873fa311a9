package com.edgeinventory.retail.adapter;

import com.edgeinventory.retail.service.IdempotencyRecord;
import com.edgeinventory.retail.service.Reply;
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
 * The one owner of the idempotency table's item layout.
 *
 * <pre>
 * id=`{storeId}#{idempotencyKey}`  storeId, fingerprint (hex SHA-256 of method, path, body), status (N),
 *     contentType, response (S, the exact body), createdAt (ISO-8601), ttl (N, epoch s = createdAt + 24 h)
 * </pre>
 */
public final class IdempotencyStore {

    private final DynamoDbClient dynamo;
    private final String tableName;

    public IdempotencyStore(DynamoDbClient dynamo, String tableName) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.tableName = Objects.requireNonNull(tableName);
    }

    public String tableName() {
        return tableName;
    }

    /** The record, written only if the key is new; the stored record comes back when it is not. */
    public TransactWriteItem put(IdempotencyRecord r) {
        return TransactWriteItem.builder().put(p -> p.tableName(tableName).item(toItem(r))
                .conditionExpression("attribute_not_exists(id)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build();
    }

    public Optional<IdempotencyRecord> get(String storeId, String key) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tableName)
                .key(Map.of("id", AttributeValue.fromS(storeId + "#" + key))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(storeId, key, item));
    }

    static Map<String, AttributeValue> toItem(IdempotencyRecord r) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("id", AttributeValue.fromS(r.storeId() + "#" + r.key()));
        item.put("storeId", AttributeValue.fromS(r.storeId()));
        item.put("fingerprint", AttributeValue.fromS(r.fingerprint()));
        item.put("status", AttributeValue.fromN(Integer.toString(r.status())));
        item.put("contentType", AttributeValue.fromS(r.contentType()));
        item.put("response", AttributeValue.fromS(r.body()));
        item.put("createdAt", AttributeValue.fromS(r.createdAt().toString()));
        item.put("ttl", AttributeValue.fromN(Long.toString(r.expiresAt().getEpochSecond())));
        return item;
    }

    /** Reads records written by any retail route (the customer route writes no storeId or contentType). */
    public static IdempotencyRecord fromItem(String storeId, String key, Map<String, AttributeValue> item) {
        int status = Integer.parseInt(item.get("status").n());
        AttributeValue contentType = item.get("contentType");
        AttributeValue createdAt = item.get("createdAt");
        return new IdempotencyRecord(storeId, key, item.get("fingerprint").s(), status,
                contentType != null ? contentType.s() : status >= 400 ? Reply.PROBLEM : Reply.JSON,
                item.get("response").s(), createdAt == null ? Instant.EPOCH : Instant.parse(createdAt.s()));
    }
}
