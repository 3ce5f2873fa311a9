package com.edgeinventory.local.invoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.edgeinventory.local.LocalRuntimeException;

class EnvVarsOverridesTest {

    private static final Map<String, String> DECLARED = new LinkedHashMap<>(Map.of("TABLE", "t", "LEVEL", "INFO",
            "SIZE", "1"));

    @Test
    void functionSectionWinsOverParametersAndUndeclaredAreIgnored() {
        EnvVarsOverrides overrides = EnvVarsOverrides.parse("""
                {"Parameters": {"LEVEL": "DEBUG", "TABLE": "shared", "EXTRA": "x"},
                 "Fn": {"TABLE": "mine", "SIZE": 42, "NOPE": true},
                 "Other": {"LEVEL": "WARN"}}
                """, "env.json");
        List<String> warnings = new ArrayList<>();

        Map<String, String> env = overrides.apply("Fn", DECLARED, warnings::add);

        assertThat(env).containsExactlyInAnyOrderEntriesOf(Map.of("TABLE", "mine", "LEVEL", "DEBUG", "SIZE", "42"));
        assertThat(warnings).containsExactly(
                "--env-vars Parameters.EXTRA ignored: Fn does not declare EXTRA in template.yaml",
                "--env-vars Fn.NOPE ignored: Fn does not declare NOPE in template.yaml");
    }

    @Test
    void noOverridesKeepsTheTemplateValues() {
        assertThat(EnvVarsOverrides.none().apply("Fn", DECLARED, w -> { })).isEqualTo(DECLARED);
    }

    @Test
    void rejectsMalformedFiles() {
        assertThatThrownBy(() -> EnvVarsOverrides.parse("{", "a.json"))
                .isInstanceOf(LocalRuntimeException.class).hasMessageContaining("a.json is not valid JSON");
        assertThatThrownBy(() -> EnvVarsOverrides.parse("{\"Parameters\": [1]}", "a.json"))
                .isInstanceOf(LocalRuntimeException.class)
                .hasMessage("--env-vars file a.json: \"Parameters\" must be an object of VARIABLE: value");
        assertThatThrownBy(() -> EnvVarsOverrides.parse("{\"Fn\": {\"A\": {\"b\": 1}}}", "a.json"))
                .isInstanceOf(LocalRuntimeException.class)
                .hasMessage("--env-vars file a.json: Fn.A must be a string, number or boolean");
        assertThatThrownBy(() -> EnvVarsOverrides.parse("{\"Fn\": {\"A\": null}}", "a.json"))
                .isInstanceOf(LocalRuntimeException.class)
                .hasMessage("--env-vars file a.json: Fn.A must be a string, number or boolean");
    }
}
