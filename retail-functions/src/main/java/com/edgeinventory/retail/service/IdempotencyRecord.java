package com.edgeinventory.retail.service;

import java.time.Duration;
import java.time.Instant;

/**
 * The stored outcome of one Idempotency-Key, written in the same DynamoDB transaction as its effect: as an item of
 * the idempotency table for the cart routes (kept {@link #RETENTION}), folded into the purchase item for a checkout
 * or a sale (kept with the purchase; see {@link Purchase#idFor}).
 */
public record IdempotencyRecord(String storeId, String key, String fingerprint, int status, String contentType,
                                String body, Instant createdAt) {

    /** How long a key is remembered (the table's TTL may delete it later than this, never earlier). */
    public static final Duration RETENTION = Duration.ofHours(24);

    public Instant expiresAt() {
        return createdAt.plus(RETENTION);
    }

    /**
     * The record a purchase item carries for the request that created it (a checkout or a one-shot sale): the
     * answer was {@code 200} with the purchase's view, so it is rendered again from the stored purchase, byte for
     * byte, instead of being stored twice.
     */
    public static IdempotencyRecord ofPurchase(String storeId, String key, String fingerprint, Purchase purchase) {
        Reply reply = Reply.json(200, Views.purchase(purchase));
        return new IdempotencyRecord(storeId, key, fingerprint, reply.status(), reply.contentType(), reply.body(),
                purchase.purchasedAt());
    }
}
