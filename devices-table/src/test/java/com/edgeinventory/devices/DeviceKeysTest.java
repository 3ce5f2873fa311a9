package com.edgeinventory.devices;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DeviceKeysTest {

    /** Base64url of bytes 0..31 and its hex SHA-256: a key printed by any earlier version still authorizes. */
    static final String VECTOR_SECRET = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    static final String VECTOR_HASH = "ea866a757e4c38babfa8127cbe9a409d3e1f93a00ff1488ff735fcf917afffd0";

    @Test
    void hashIsHexSha256OfTheSecretText() {
        assertThat(DeviceKeys.hash(VECTOR_SECRET)).isEqualTo(VECTOR_HASH);
    }

    @Test
    void newSecretsAre32RandomBytesInBase64UrlThatParse() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String secret = DeviceKeys.newSecret();
            assertThat(Base64.getUrlDecoder().decode(secret)).hasSize(32);
            assertThat(DeviceKeys.parse(DeviceKeys.authorization("POS-01", secret)))
                    .contains(new DeviceKeys.Credentials("POS-01", secret));
            seen.add(secret);
        }
        assertThat(seen).hasSize(200);
    }

    @Test
    void parsesAWellFormedHeader() {
        assertThat(DeviceKeys.parse("Device store_1-POS-01:" + VECTOR_SECRET))
                .hasValueSatisfying(c -> {
                    assertThat(c.deviceId()).isEqualTo("store_1-POS-01");
                    assertThat(c.secret()).isEqualTo(VECTOR_SECRET);
                });
    }

    @Test
    void credentialsNeverPrintTheSecret() {
        assertThat(new DeviceKeys.Credentials("POS-01", VECTOR_SECRET).toString())
                .contains("POS-01").doesNotContain(VECTOR_SECRET);
    }

    static Stream<String> malformedHeaders() {
        String s = VECTOR_SECRET;
        return Stream.of(
                null,
                "",
                " ",
                "Device",
                "Device ",
                "Bearer POS-01:" + s,
                "device POS-01:" + s,
                "DEVICE POS-01:" + s,
                "Basic " + Base64.getEncoder().encodeToString(("POS-01:" + s).getBytes()),
                "Device POS-01",
                "Device POS-01:",
                "Device :" + s,
                "Device  POS-01:" + s,
                " Device POS-01:" + s,
                "Device POS-01:" + s + " ",
                "Device POS-01:" + s + "\n",
                "Device POS 01:" + s,
                "Device POS-01:" + s.substring(1),
                "Device POS-01:" + s + "A",
                "Device POS-01:" + s.replace('A', '+'),
                "Device POS-01:" + s.replace('A', '/'),
                "Device POS-01:" + s + "=",
                "Device POS-01:" + s.substring(0, 42) + "9",   // non-canonical last character
                "Device POS-01:" + s + ":" + s,
                "Device POS:01:" + s,
                "Device " + "x".repeat(65) + ":" + s,
                "Device POS-Ö1:" + s,
                "Device POS-01:" + "x".repeat(10_000));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("malformedHeaders")
    void rejectsMalformedHeaders(String header) {
        assertThat(DeviceKeys.parse(header)).isEmpty();
    }

    @Test
    void matchesOnlyTheRightSecret() {
        String other = DeviceKeys.newSecret();

        assertThat(DeviceKeys.matches(VECTOR_SECRET, VECTOR_HASH)).isTrue();
        assertThat(DeviceKeys.matches(other, VECTOR_HASH)).isFalse();
        assertThat(DeviceKeys.matches(VECTOR_SECRET, VECTOR_HASH.toUpperCase())).isFalse();
        assertThat(DeviceKeys.matches(VECTOR_SECRET, VECTOR_HASH.substring(1))).isFalse();
        assertThat(DeviceKeys.matches(VECTOR_SECRET, null)).isFalse();
        assertThat(DeviceKeys.matches(VECTOR_SECRET, "")).isFalse();
    }
}
