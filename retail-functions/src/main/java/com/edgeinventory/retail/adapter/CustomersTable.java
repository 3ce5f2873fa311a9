package com.edgeinventory.retail.adapter;

import com.edgeinventory.retail.service.Customer;
import com.edgeinventory.retail.service.CustomerStore;
import com.edgeinventory.retail.service.IdempotencyRecord;
import com.edgeinventory.retail.service.Preferences;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The customers table's item layout (key {@code customerId}):
 * <pre>
 * customerId, storeId (of first registration), profile {name?, email?},
 * preferences {sizes [S], colors [S], categories [S]}, consent {marketing BOOL, at}, updatedAt, version (N)
 * </pre>
 * A change is one TransactWriteItems: the customer put, conditioned on the version read (or on the item not
 * existing), and the request's idempotency record, written by {@link IdempotencyStore} (its one owner).
 * Personal data: this table never leaves the region.
 */
public final class CustomersTable implements CustomerStore {

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final IdempotencyStore idempotency;

    public CustomersTable(DynamoDbClient dynamo, String tableName, IdempotencyStore idempotency) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.tableName = Objects.requireNonNull(tableName);
        this.idempotency = Objects.requireNonNull(idempotency);
    }

    public CustomersTable(DynamoDbClient dynamo, String tableName, String idempotencyTable) {
        this(dynamo, tableName, new IdempotencyStore(dynamo, idempotencyTable));
    }

    /** The stored preferences of a customer (eventually consistent), or empty for an unknown customer. */
    public Optional<Preferences> preferences(String customerId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tableName).key(key(customerId))
                .projectionExpression("preferences")).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(preferencesOf(item));
    }

    @Override
    public Optional<Customer> find(String customerId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tableName).key(key(customerId))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public SaveOutcome save(Customer customer, long expectedVersion, IdempotencyRecord record) {
        TransactWriteItem customerPut = TransactWriteItem.builder().put(p -> {
            p.tableName(tableName).item(toItem(customer));
            if (expectedVersion == 0) {
                p.conditionExpression("attribute_not_exists(customerId)");
            } else {
                p.conditionExpression("version = :expected")
                        .expressionAttributeValues(Map.of(":expected", n(expectedVersion)));
            }
        }).build();
        try {
            dynamo.transactWriteItems(b -> b.transactItems(customerPut, idempotency.put(record)));
            return new Saved();
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code())) {
                Map<String, AttributeValue> old = reasons.get(1).item();
                return new KeyUsed(old != null && old.containsKey("fingerprint")
                        ? Optional.of(IdempotencyStore.fromItem(record.storeId(), record.key(), old))
                        : idempotency.get(record.storeId(), record.key()));
            }
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.getFirst().code())) {
                return new VersionConflict();
            }
            throw e;
        }
    }

    /** The idempotency record of a key of a store, strongly consistent. */
    public Optional<IdempotencyRecord> storedResponse(String storeId, String idempotencyKey) {
        return idempotency.get(storeId, idempotencyKey);
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
