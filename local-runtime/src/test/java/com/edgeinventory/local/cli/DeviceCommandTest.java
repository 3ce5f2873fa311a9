package com.edgeinventory.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The CLI's key format must stay identical to retail-functions' DeviceKeys; DeviceKeysTest checks the same vector. */
class DeviceCommandTest {

    /** base64url of the bytes 0..31, and the hex SHA-256 of that text. */
    static final String VECTOR_SECRET = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    static final String VECTOR_HASH = "ea866a757e4c38babfa8127cbe9a409d3e1f93a00ff1488ff735fcf917afffd0";

    @Test
    void hashesTheSharedVector() {
        assertThat(LocalDevices.hash(VECTOR_SECRET)).isEqualTo(VECTOR_HASH);
    }

    @Test
    void secretsAre32RandomBytesInBase64Url() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String secret = LocalDevices.newSecret();
            assertThat(secret).hasSize(43).matches("[A-Za-z0-9_-]{43}");
            assertThat(Base64.getUrlDecoder().decode(secret)).hasSize(32);
            seen.add(secret);
        }
        assertThat(seen).hasSize(100);
    }
}
