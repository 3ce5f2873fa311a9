package com.edgeinventory.retail.adapter;

import com.edgeinventory.retail.service.Customer;
import com.edgeinventory.retail.service.Preferences;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The customers table's item layout (key {@code customerId}):
 * <pre>
 * customerId, storeId (of first registration), profile {name?, email?},
 * preferences {sizes [S], colors [S], categories [S]}, consent {marketing BOOL, at}, updatedAt, version (N)
 * </pre>
 * A change is one TransactWriteItems: the customer put, conditioned on the version read (or on the item not
 * existing), and the idempotency record {@code {storeId}#{key}} with {@code attribute_not_exists(id)}, in the
 * same attribute layout as {@link IdempotencyStore} writes (id, storeId, fingerprint, status, contentType,
 * response, createdAt, ttl).
 * Personal data: this table never leaves the region.
 */
public final class CustomersTable {

    /** How long an idempotency record is kept (the table's TTL deletes it afterwards). */
    public static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);

    /** A stored response of an idempotent request. */
    public record StoredResponse(String fingerprint, int status, String body) {}

    /** What became of a save. */
    public sealed interface SaveOutcome {}

    public record Saved() implements SaveOutcome {}

    /** The customer changed since it was read: reload and try again. */
    public record VersionConflict() implements SaveOutcome {}

    /** The idempotency key was used before; the stored response, if it could be read. */
    public record KeyUsed(Optional<StoredResponse> stored) implements SaveOutcome {}

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final String idempotencyTable;

    public CustomersTable(DynamoDbClient dynamo, String tableName, String idempotencyTable) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.tableName = Objects.requireNonNull(tableName);
        this.idempotencyTable = Objects.requireNonNull(idempotencyTable);
    }

    /** The customer, strongly consistent. */
    public Optional<Customer> find(String customerId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tableName).key(key(customerId))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /** The stored preferences of a customer (eventually consistent), or empty for an unknown customer. */
    public Optional<Preferences> preferences(String customerId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tableName).key(key(customerId))
                .projectionExpression("preferences")).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(preferencesOf(item));
    }

    /**
     * Writes the customer and the idempotency record together.
     *
     * @param expectedVersion the version read, or 0 when the customer did not exist
     */
    public SaveOutcome save(Customer customer, long expectedVersion, String storeId, String idempotencyKey,
                            String fingerprint, int status, String responseBody, Instant now) {
        TransactWriteItem customerPut = TransactWriteItem.builder().put(p -> {
            p.tableName(tableName).item(toItem(customer));
            if (expectedVersion == 0) {
                p.conditionExpression("attribute_not_exists(customerId)");
            } else {
                p.conditionExpression("version = :expected")
                        .expressionAttributeValues(Map.of(":expected", n(expectedVersion)));
            }
        }).build();
        Map<String, AttributeValue> record = new LinkedHashMap<>();
        record.put("id", s(idempotencyId(storeId, idempotencyKey)));
        record.put("storeId", s(storeId));
        record.put("fingerprint", s(fingerprint));
        record.put("status", n(status));
        record.put("contentType", s("application/json"));
        record.put("response", s(responseBody));
        record.put("createdAt", s(now.toString()));
        record.put("ttl", n(now.plus(IDEMPOTENCY_TTL).getEpochSecond()));
        TransactWriteItem recordPut = TransactWriteItem.builder().put(p -> p
                .tableName(idempotencyTable)
                .item(record)
                .conditionExpression("attribute_not_exists(id)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                .build();
        try {
            dynamo.transactWriteItems(b -> b.transactItems(customerPut, recordPut));
            return new Saved();
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code())) {
                Map<String, AttributeValue> old = reasons.get(1).item();
                return new KeyUsed(old != null && old.containsKey("fingerprint")
                        ? Optional.of(storedOf(old))
                        : storedResponse(storeId, idempotencyKey));
            }
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.getFirst().code())) {
                return new VersionConflict();
            }
            throw e;
        }
    }

    /** The idempotency record of {@code {storeId}#{key}}, strongly consistent. */
    public Optional<StoredResponse> storedResponse(String storeId, String idempotencyKey) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(idempotencyTable)
                .key(Map.of("id", s(idempotencyId(storeId, idempotencyKey)))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(storedOf(item));
    }

    static String idempotencyId(String storeId, String key) {
        return storeId + "#" + key;
    }

    private static StoredResponse storedOf(Map<String, AttributeValue> item) {
        return new StoredResponse(item.get("fingerprint").s(), Integer.parseInt(item.get("status").n()),
                item.get("response").s());
    }

    // ------------------------------------------------------------------ mapping

    private static Map<String, AttributeValue> key(String customerId) {
        return Map.of("customerId", s(customerId));
    }

    static Map<String, AttributeValue> toItem(Customer c) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("customerId", s(c.customerId()));
        item.put("storeId", s(c.storeId()));
        Map<String, AttributeValue> profile = new LinkedHashMap<>();
        if (c.profile().name() != null) {
            profile.put("name", s(c.profile().name()));
        }
        if (c.profile().email() != null) {
            profile.put("email", s(c.profile().email()));
        }
        item.put("profile", AttributeValue.fromM(profile));
        item.put("preferences", AttributeValue.fromM(Map.of(
                "sizes", strings(c.preferences().sizes()),
                "colors", strings(c.preferences().colors()),
                "categories", strings(c.preferences().categories()))));
        item.put("consent", AttributeValue.fromM(Map.of(
                "marketing", AttributeValue.fromBool(c.marketing()),
                "at", s(c.consentAt().toString()))));
        item.put("updatedAt", s(c.updatedAt().toString()));
        item.put("version", n(c.version()));
        return item;
    }

    static Customer fromItem(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> profile = item.containsKey("profile") ? item.get("profile").m() : Map.of();
        Map<String, AttributeValue> consent = item.get("consent").m();
        return new Customer(
                item.get("customerId").s(),
                item.get("storeId").s(),
                new Customer.Profile(text(profile, "name"), text(profile, "email")),
                preferencesOf(item),
                Boolean.TRUE.equals(consent.get("marketing").bool()),
                Instant.parse(consent.get("at").s()),
                Instant.parse(item.get("updatedAt").s()),
                Long.parseLong(item.get("version").n()));
    }

    private static Preferences preferencesOf(Map<String, AttributeValue> item) {
        AttributeValue value = item.get("preferences");
        if (value == null || !value.hasM()) {
            return Preferences.NONE;
        }
        Map<String, AttributeValue> m = value.m();
        return new Preferences(list(m, "sizes"), list(m, "colors"), list(m, "categories"));
    }

    private static List<String> list(Map<String, AttributeValue> m, String name) {
        AttributeValue v = m.get(name);
        return v == null || !v.hasL() ? List.of() : v.l().stream().map(AttributeValue::s).toList();
    }

    private static AttributeValue strings(List<String> values) {
        return AttributeValue.fromL(values.stream().map(AttributeValue::fromS).toList());
    }

    private static String text(Map<String, AttributeValue> m, String name) {
        AttributeValue v = m.get(name);
        return v == null ? null : v.s();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
