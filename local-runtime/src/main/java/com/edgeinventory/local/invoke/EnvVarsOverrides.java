package com.edgeinventory.local.invoke;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import com.edgeinventory.local.LocalRuntimeException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code --env-vars} file in SAM CLI's format: {@code {"Parameters": {VAR: value}}} applies to every function,
 * {@code {"<LogicalId>": {VAR: value}}} to one function and wins over Parameters. Only variables the template
 * declares for the function are overridden; the others are ignored (and reported).
 */
public final class EnvVarsOverrides {

    public static final String ALL_FUNCTIONS = "Parameters";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Map<String, String>> sections;

    private EnvVarsOverrides(Map<String, Map<String, String>> sections) {
        this.sections = sections;
    }

    public static EnvVarsOverrides none() {
        return new EnvVarsOverrides(Map.of());
    }

    /** Reads and validates the file. */
    public static EnvVarsOverrides read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new LocalRuntimeException("--env-vars file not found: " + file);
        } catch (IOException e) {
            throw new LocalRuntimeException("Cannot read --env-vars file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses the JSON text; {@code source} names it in error messages. */
    public static EnvVarsOverrides parse(String text, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new LocalRuntimeException("--env-vars file " + source + " is not valid JSON: "
                    + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new LocalRuntimeException("--env-vars file " + source
                    + " must be a JSON object like {\"Parameters\": {\"VAR\": \"value\"}, \"<LogicalId>\": {...}}");
        }
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> section : root.properties()) {
            if (!section.getValue().isObject()) {
                throw new LocalRuntimeException("--env-vars file " + source + ": \"" + section.getKey()
                        + "\" must be an object of VARIABLE: value");
            }
            Map<String, String> vars = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> var : section.getValue().properties()) {
                JsonNode value = var.getValue();
                if (!value.isValueNode() || value.isNull()) {
                    throw new LocalRuntimeException("--env-vars file " + source + ": " + section.getKey() + "."
                            + var.getKey() + " must be a string, number or boolean");
                }
                vars.put(var.getKey(), value.asText());
            }
            sections.put(section.getKey(), Collections.unmodifiableMap(vars));
        }
        return new EnvVarsOverrides(Collections.unmodifiableMap(sections));
    }

    /**
     * The function's declared variables with overrides applied: Parameters first, then the function's own section.
     *
     * @param logicalId the function's logical id
     * @param declared  its resolved template variables
     * @param warnings  receives one line per ignored (undeclared) variable
     */
    public Map<String, String> apply(String logicalId, Map<String, String> declared, Consumer<String> warnings) {
        Map<String, String> result = new LinkedHashMap<>(declared);
        for (String section : new String[] {ALL_FUNCTIONS, logicalId}) {
            sections.getOrDefault(section, Map.of()).forEach((name, value) -> {
                if (declared.containsKey(name)) {
                    result.put(name, value);
                } else {
                    warnings.accept("--env-vars " + section + "." + name + " ignored: " + logicalId
                            + " does not declare " + name + " in template.yaml");
                }
            });
        }
        return result;
    }
}
