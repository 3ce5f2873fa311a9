package com.edgeinventory.local.cli;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import com.edgeinventory.local.LocalRuntimeException;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Store devices in a region's DevicesTable, as the {@code device} command and the demo's stores register them: the
 * item layout retail's {@code DevicesTable} owns and its authorizer reads (keyHash = hex SHA-256 of the base64url
 * secret text; retail's {@code DeviceKeys} and this class check the same vector, and DeviceCliIT checks that a
 * device written here is authorized there). Written here rather than through retail's class because the local
 * tooling does not depend on a function module.
 */
final class LocalDevices {

    /** The template's logical id of the devices table. */
    static final String TABLE = "DevicesTable";
    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalDevices() {
    }

    /**
     * Stores a new ACTIVE device of {@code store} with a fresh secret (only its hash is kept) and returns the
     * {@code Authorization} header value the device sends: {@code Device {deviceId}:{secret}}.
     */
    static String register(DynamoDbClient dynamo, String table, String store, String device) {
        String secret = newSecret();
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("deviceId", AttributeValue.fromS(device));
        item.put("storeId", AttributeValue.fromS(store));
        item.put("keyHash", AttributeValue.fromS(hash(secret)));
        item.put("status", AttributeValue.fromS("ACTIVE"));
        item.put("createdAt", AttributeValue.fromS(Instant.now().toString()));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(deviceId)"));
        } catch (ConditionalCheckFailedException exists) {
            throw new LocalRuntimeException("Device " + device + " already exists in " + table
                    + "; choose another --device (or disable the old one)");
        }
        return "Device " + device + ":" + secret;
    }

    /** Lower-case hex SHA-256 of the secret's text: the {@code keyHash} the authorizer compares. */
    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** 32 random bytes, base64url without padding (43 characters). */
    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
