package com.edgeinventory.devices;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Device keys: {@code Authorization: Device {deviceId}:{secret}}. The secret is 32 random bytes written as
 * base64url without padding (43 characters); the devices table stores only {@code keyHash}, the lower-case hex
 * SHA-256 of the secret's ASCII text. A 256-bit random secret needs no slow KDF. Pure: no AWS types.
 *
 * <p>The authorizer and {@code bin/edge-inventory device add} (through {@link DevicesTable#register}) share this
 * class; {@code DeviceKeysTest} pins the vector {@code hash("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")}.
 */
public final class DeviceKeys {

    public static final String SCHEME = "Device";
    public static final int SECRET_BYTES = 32;
    /** Device and store ids: 1-64 of {@code A-Z a-z 0-9 _ -}. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static final int MAX_HEADER_CHARS = 7 + 64 + 1 + 43;
    private static final Pattern HEADER = Pattern.compile("Device ([A-Za-z0-9_-]{1,64}):([A-Za-z0-9_-]{43})");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private DeviceKeys() {}

    /** The deviceId and secret of one header. {@link #toString()} never shows the secret. */
    public record Credentials(String deviceId, String secret) {
        public Credentials {
            Objects.requireNonNull(deviceId);
            Objects.requireNonNull(secret);
        }

        @Override
        public String toString() {
            return "Credentials[deviceId=" + deviceId + ", secret=<redacted>]";
        }
    }

    /** A new secret: 32 bytes from {@link SecureRandom}, base64url without padding. */
    public static String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Lower-case hex SHA-256 of the secret's text, as stored in {@code keyHash}. */
    public static String hash(String secret) {
        return HexFormat.of().formatHex(sha256().digest(secret.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The header value to give the device. */
    public static String authorization(String deviceId, String secret) {
        return SCHEME + " " + deviceId + ":" + secret;
    }

    /**
     * Parses {@code Device {deviceId}:{secret}} strictly: exactly that scheme (case as written), one space, an
     * id of 1-64 {@code [A-Za-z0-9_-]}, a colon and a 43-character base64url secret that decodes to 32 bytes.
     * Anything else, including surrounding whitespace, is empty.
     */
    public static Optional<Credentials> parse(String header) {
        if (header == null || header.length() > MAX_HEADER_CHARS) {
            return Optional.empty();
        }
        Matcher m = HEADER.matcher(header);
        if (!m.matches()) {
            return Optional.empty();
        }
        String secret = m.group(2);
        byte[] decoded;
        try {
            decoded = Base64.getUrlDecoder().decode(secret);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // 43 characters carry 258 bits; the last character's low 2 bits must be zero for a canonical encoding.
        if (decoded.length != SECRET_BYTES
                || !Base64.getUrlEncoder().withoutPadding().encodeToString(decoded).equals(secret)) {
            return Optional.empty();
        }
        return Optional.of(new Credentials(m.group(1), secret));
    }

    /** Whether {@code secret} hashes to {@code storedHash}, compared in constant time. */
    public static boolean matches(String secret, String storedHash) {
        byte[] presented = hash(secret).getBytes(StandardCharsets.US_ASCII);
        boolean wellFormed = storedHash != null && HASH.matcher(storedHash).matches();
        byte[] stored = (wellFormed ? storedHash : "0".repeat(64)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(presented, stored) && wellFormed;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
