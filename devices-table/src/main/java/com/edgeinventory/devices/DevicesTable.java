package com.edgeinventory.devices;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The devices table's item layout: {@code deviceId} (key), {@code storeId}, {@code keyHash} (hex SHA-256 of the
 * device secret; the secret itself is never stored), {@code status} ACTIVE|DISABLED, {@code createdAt}.
 * The one owner of that layout: the authorizer reads through it, {@code bin/edge-inventory device add|disable} and
 * the demo's stores write through it.
 */
public final class DevicesTable {

    public enum Status { ACTIVE, DISABLED }

    public record Device(String deviceId, String storeId, String keyHash, Status status, Instant createdAt) {
        public Device {
            Objects.requireNonNull(deviceId);
            Objects.requireNonNull(storeId);
            Objects.requireNonNull(keyHash);
            Objects.requireNonNull(status);
            Objects.requireNonNull(createdAt);
        }

        public boolean active() {
            return status == Status.ACTIVE;
        }
    }

    private final DynamoDbClient dynamo;
    private final String tableName;

    public DevicesTable(DynamoDbClient dynamo, String tableName) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.tableName = Objects.requireNonNull(tableName);
    }

    /** The device, or empty when unknown. An item that does not have the expected shape reads as unknown. */
    public Optional<Device> find(String deviceId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tableName)
                .key(Map.of("deviceId", AttributeValue.fromS(deviceId)))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return fromItem(item);
    }

    /** Writes a new device; false (and nothing written) when the id exists already. */
    public boolean create(Device device) {
        try {
            dynamo.putItem(b -> b.tableName(tableName).item(toItem(device))
                    .conditionExpression("attribute_not_exists(deviceId)"));
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    /**
     * A new ACTIVE device of {@code storeId} with a fresh secret ({@link DeviceKeys#newSecret()}; only its hash is
     * stored). Returns the {@code Authorization} value the device sends, or empty (nothing written) when the id
     * exists already. The secret cannot be recovered afterwards.
     */
    public Optional<String> register(String deviceId, String storeId, Instant now) {
        String secret = DeviceKeys.newSecret();
        return create(new Device(deviceId, storeId, DeviceKeys.hash(secret), Status.ACTIVE, now))
                ? Optional.of(DeviceKeys.authorization(deviceId, secret))
                : Optional.empty();
    }

    /** Sets an existing device to DISABLED and returns it as stored now; empty when there is no such device. */
    public Optional<Device> disable(String deviceId) {
        try {
            Map<String, AttributeValue> updated = dynamo.updateItem(b -> b.tableName(tableName)
                    .key(Map.of("deviceId", AttributeValue.fromS(deviceId)))
                    .updateExpression("SET #status = :disabled")
                    .conditionExpression("attribute_exists(deviceId)")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":disabled", AttributeValue.fromS(Status.DISABLED.name())))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return fromItem(updated);
        } catch (ConditionalCheckFailedException unknown) {
            return Optional.empty();
        }
    }

    static Map<String, AttributeValue> toItem(Device d) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("deviceId", AttributeValue.fromS(d.deviceId()));
        item.put("storeId", AttributeValue.fromS(d.storeId()));
        item.put("keyHash", AttributeValue.fromS(d.keyHash()));
        item.put("status", AttributeValue.fromS(d.status().name()));
        item.put("createdAt", AttributeValue.fromS(d.createdAt().toString()));
        return item;
    }

    static Optional<Device> fromItem(Map<String, AttributeValue> item) {
        String deviceId = text(item, "deviceId");
        String storeId = text(item, "storeId");
        String keyHash = text(item, "keyHash");
        String status = text(item, "status");
        String createdAt = text(item, "createdAt");
        if (deviceId == null || storeId == null || keyHash == null || status == null) {
            return Optional.empty();
        }
        Status parsed;
        try {
            parsed = Status.valueOf(status);
        } catch (IllegalArgumentException unknownStatus) {
            parsed = Status.DISABLED; // an unknown status never authorizes
        }
        Instant created;
        try {
            created = createdAt == null ? Instant.EPOCH : Instant.parse(createdAt);
        } catch (java.time.format.DateTimeParseException e) {
            created = Instant.EPOCH;
        }
        return Optional.of(new Device(deviceId, storeId, keyHash, parsed, created));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }
}
