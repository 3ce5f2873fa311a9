package com.edgeinventory.retail.service;

import java.time.Duration;
import java.time.Instant;

/** The stored outcome of one Idempotency-Key, written in the same DynamoDB transaction as its effect. */
public record IdempotencyRecord(String storeId, String key, String fingerprint, int status, String contentType,
                                String body, Instant createdAt) {

    /** How long a key is remembered (the table's TTL may delete it later than this, never earlier). */
    public static final Duration RETENTION = Duration.ofHours(24);

    public Instant expiresAt() {
        return createdAt.plus(RETENTION);
    }
}
