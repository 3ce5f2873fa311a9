package com.edgeinventory.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's residency check finds an identifier wherever it sits in a record's bytes, and only then. */
class ResidencyCheckTest {

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPlantedIdentifierIsFoundAndCleanRecordsPass() {
        List<String> members = ResidencyCheck.memberIds("r1", List.of("eu-west-1"), 3);
        assertThat(members).containsExactly("M-r1-EUWEST1-0", "M-r1-EUWEST1-1", "M-r1-EUWEST1-2");
        Map<String, java.util.Collection<String>> ids = Map.of("customer id", members,
                "device key", List.of("q83vEjRWeJq8"));
        byte[] clean = bytes("\u0002\u0009eu-west-1\u0007SKU-42\u0000");

        ResidencyCheck.Outcome ok = ResidencyCheck.scan(List.of(clean, clean), ids);
        ResidencyCheck.Outcome leaked = ResidencyCheck.scan(List.of(clean, bytes("xxM-r1-EUWEST1-2yy"),
                bytes("..q83vEjRWeJq8..")), ids);

        assertThat(ok.clean()).isTrue();
        assertThat(ok.render()).contains("Personal data in the 2 records").contains(": none");
        assertThat(leaked.clean()).isFalse();
        assertThat(leaked.found()).isEqualTo(Map.of("customer id", 1L, "device key", 1L));
        assertThat(leaked.render()).contains("FOUND");
    }
}
