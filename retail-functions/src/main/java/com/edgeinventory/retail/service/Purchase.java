package com.edgeinventory.retail.service;

import com.edgeinventory.retail.service.TransactionState.Line;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A completed purchase: a checked-out transaction ({@code kind = checkout}) or a one-shot sale ({@code sale}).
 *
 * @param clientId   {@code null} for a sale
 * @param txnId      {@code null} for a sale
 * @param customerId {@code null} when unknown
 */
public record Purchase(String purchaseId, String kind, String storeId, String deviceId, String clientId, String txnId,
                       String customerId, List<Line> lines, BigDecimal total, String currency, Instant purchasedAt) {
    public Purchase {
        lines = List.copyOf(lines);
    }

    /**
     * The id of the purchase a request with this store and Idempotency-Key creates: a name-based UUID (version 8,
     * from SHA-256 of {@code storeId#key}). Deterministic, so the purchase item is also the request's idempotency
     * record: a retry writes the same id, its condition fails, and the stored purchase is the answer.
     */
    public static String idFor(String storeId, String idempotencyKey) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256")
                    .digest((storeId + "#" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x80); // version 8
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer b = ByteBuffer.wrap(hash);
        return new UUID(b.getLong(), b.getLong()).toString();
    }
}
