package com.edgeinventory.retail.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The request fingerprint an idempotency record stores: hex SHA-256 over method, store, path and body bytes,
 * each length-prefixed so that no two different requests share an input.
 */
public final class RequestFingerprint {

    /** {@code Idempotency-Key}: 8-128 of {@code A-Z a-z 0-9 _ -}. */
    public static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9_-]{8,128}");

    private RequestFingerprint() {}

    public static String of(String method, String storeId, String path, byte[] body) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
        for (String part : new String[] {method, storeId, path}) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
            digest.update(bytes);
        }
        digest.update((body.length + ":").getBytes(StandardCharsets.US_ASCII));
        digest.update(body);
        return HexFormat.of().formatHex(digest.digest());
    }
}
