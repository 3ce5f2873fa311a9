package com.edgeinventory.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the fields of one JSON object and collects every problem it finds, each with its JSON pointer,
 * instead of stopping at the first. Getters return {@code null} for a field that is missing or invalid
 * (the error is recorded), so a caller builds its record only when {@link #errors()} is empty.
 */
final class JsonFields {

    private final ObjectNode node;
    private final String pointer;
    private final String prefix;
    private final List<ValidationError> errors;

    private JsonFields(ObjectNode node, String pointer, String prefix, List<ValidationError> errors) {
        this.node = node;
        this.pointer = pointer;
        this.prefix = prefix;
        this.errors = errors;
    }

    /**
     * Parses one JSON document that must be an object.
     *
     * @param prefix prepended to every location, e.g. {@code "line 3: "} for a JSONL line
     * @return the reader, or {@code null} after recording a syntax or type error
     */
    static JsonFields parseObject(byte[] json, String prefix, List<ValidationError> errors) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            errors.add(syntaxError(prefix, e));
            return null;
        } catch (IOException e) {
            errors.add(new ValidationError(prefix.strip(), "unreadable JSON: " + e.getMessage()));
            return null;
        }
        if (root == null || root.isMissingNode()) {
            errors.add(new ValidationError(prefix.strip(), "the document is empty; expected a JSON object"));
            return null;
        }
        if (!root.isObject()) {
            errors.add(new ValidationError(prefix + "/", "expected a JSON object, found " + Json.describe(root)));
            return null;
        }
        return new JsonFields((ObjectNode) root, "", prefix, errors);
    }

    private static ValidationError syntaxError(String prefix, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null
                ? prefix.strip()
                : prefix + "line " + at.getLineNr() + ", column " + at.getColumnNr();
        String message = e.getOriginalMessage();
        int newline = message.indexOf('\n');
        if (newline > 0) {
            message = message.substring(0, newline);
        }
        return new ValidationError(where, "malformed JSON: " + message);
    }

    List<ValidationError> errors() {
        return errors;
    }

    private String at(String field) {
        return prefix + pointer + "/" + field;
    }

    private void error(String field, String message) {
        errors.add(new ValidationError(at(field), message));
    }

    /** Records an error for every field that is not in {@code allowed}. */
    void rejectUnknown(Set<String> allowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                error(name, "unknown field; allowed fields are " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    String requiredString(String field, int maxLength, Pattern pattern, String rule) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            error(field, "is required");
            return null;
        }
        return checkString(field, value, maxLength, pattern, rule);
    }

    String optionalString(String field, int maxLength, Pattern pattern, String rule) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        return checkString(field, value, maxLength, pattern, rule);
    }

    private String checkString(String field, JsonNode value, int maxLength, Pattern pattern, String rule) {
        if (!value.isTextual()) {
            error(field, "must be a string, found " + Json.describe(value));
            return null;
        }
        String text = value.textValue();
        if (text.isBlank()) {
            error(field, "must not be blank");
            return null;
        }
        int length = text.codePointCount(0, text.length());
        if (length > maxLength) {
            error(field, "is " + length + " characters long; the maximum is " + maxLength);
            return null;
        }
        if (text.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7f)) {
            error(field, "must not contain control characters");
            return null;
        }
        if (pattern != null && !pattern.matcher(text).matches()) {
            error(field, "'" + text + "' is invalid: " + rule);
            return null;
        }
        return text;
    }

    /** An optional integer field in {@code [min, max]}: {@code fallback} when missing, {@code null} when invalid. */
    Long optionalInteger(String field, long min, long max, long fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        return requiredInteger(field, min, max);
    }

    /** An integer field in {@code [min, max]}. Returns {@code null} when missing or invalid. */
    Long requiredInteger(String field, long min, long max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            error(field, "is required");
            return null;
        }
        if (!value.isIntegralNumber()) {
            if (value.isNumber() && isWhole(value.decimalValue())) {
                // 5.0 is written by some spreadsheet exports; accept it as 5.
                return inRange(field, value.decimalValue().toBigIntegerExact(), min, max);
            }
            error(field, "must be a whole number, found " + Json.describe(value));
            return null;
        }
        return inRange(field, value.bigIntegerValue(), min, max);
    }

    private static boolean isWhole(BigDecimal d) {
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }

    private Long inRange(String field, BigInteger value, long min, long max) {
        if (value.compareTo(BigInteger.valueOf(min)) < 0) {
            error(field, value + " is below the minimum of " + min);
            return null;
        }
        if (value.compareTo(BigInteger.valueOf(max)) > 0) {
            error(field, value + " is above the maximum of " + max);
            return null;
        }
        return value.longValue();
    }

    /** A nested object. Returns {@code null} (after recording why) when missing or not an object. */
    JsonFields requiredObject(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            error(field, "is required");
            return null;
        }
        if (!value.isObject()) {
            error(field, "must be an object, found " + Json.describe(value));
            return null;
        }
        return new JsonFields((ObjectNode) value, pointer + "/" + field, prefix, errors);
    }

    /** Records a problem found by the caller about one of this object's fields. */
    void fail(String field, String message) {
        error(field, message);
    }


    static List<ValidationError> newErrors() {
        return new ArrayList<>();
    }
}
