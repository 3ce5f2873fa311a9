package com.edgeinventory.retail.service;

import com.edgeinventory.model.Json;
import com.edgeinventory.model.Problem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates the body of {@code PUT /v1/customers/{customerId}}:
 * <pre>
 * {"profile"?: {"name"?: 1-200 chars, "email"?: local@domain.tld, max 254},
 *  "preferences": {"sizes"?: [1-16 chars], "colors"?: [1-32 chars], "categories"?: [category slugs]},
 *  "consent": {"marketing": boolean}}
 * </pre>
 * Each list holds at most {@value #MAX_LIST} distinct entries. Unknown fields, wrong types, duplicate keys,
 * trailing data and invalid UTF-8 are rejected. The first problem found is reported, with its JSON pointer.
 */
public final class CustomerUpdateParser {

    public static final int MAX_LIST = 20;
    /** Customer ids in paths: 1-64 of {@code A-Z a-z 0-9 _ -}. */
    public static final Pattern CUSTOMER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");
    static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9-]{0,47}");

    private static final Set<String> TOP = Set.of("profile", "preferences", "consent");
    private static final Set<String> PROFILE = Set.of("name", "email");
    private static final Set<String> PREFERENCES = Set.of("sizes", "colors", "categories");
    private static final Set<String> CONSENT = Set.of("marketing");

    private CustomerUpdateParser() {}

    /** The outcome: a valid update, or the first problem with its JSON pointer. */
    public sealed interface Result {}

    public record Valid(CustomerUpdate update) implements Result {}

    public record Invalid(String field, String detail) implements Result {}

    /** Thrown inside the parser only, to stop at the first problem. */
    private static final class Stop extends RuntimeException {
        final String field;

        Stop(String field, String detail) {
            super(detail, null, false, false);
            this.field = field;
        }
    }

    public static Result parse(byte[] body) {
        try {
            return new Valid(parseOrStop(body));
        } catch (Stop stop) {
            return new Invalid(stop.field, stop.getMessage());
        }
    }

    private static CustomerUpdate parseOrStop(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw new Stop(Problem.BODY, "the body is not valid UTF-8");
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            int newline = message.indexOf('\n');
            throw new Stop(Problem.BODY, "malformed JSON: " + (newline > 0 ? message.substring(0, newline) : message));
        } catch (IOException e) {
            throw new Stop(Problem.BODY, "unreadable JSON");
        }
        if (root == null || root.isMissingNode()) {
            throw new Stop(Problem.BODY, "the body is empty; expected a JSON object");
        }
        JsonNode doc = object(root, "");
        onlyFields(doc, "", TOP);

        Customer.Profile profile = Customer.Profile.NONE;
        JsonNode profileNode = doc.get("profile");
        if (profileNode != null && !profileNode.isNull()) {
            JsonNode p = object(profileNode, "/profile");
            onlyFields(p, "/profile", PROFILE);
            String name = optionalText(p, "/profile", "name", 200, null, null);
            String email = optionalText(p, "/profile", "email", 254, EMAIL, "an email address like alex@example.com");
            profile = new Customer.Profile(name, email);
        }

        JsonNode prefs = object(required(doc, "", "preferences"), "/preferences");
        onlyFields(prefs, "/preferences", PREFERENCES);
        Preferences preferences = new Preferences(
                list(prefs, "sizes", 16, null, null),
                list(prefs, "colors", 32, null, null),
                list(prefs, "categories", 48, CATEGORY, "a category slug like running-shoes"));

        JsonNode consent = object(required(doc, "", "consent"), "/consent");
        onlyFields(consent, "/consent", CONSENT);
        JsonNode marketing = required(consent, "/consent", "marketing");
        if (!marketing.isBoolean()) {
            throw new Stop("/consent/marketing", "must be true or false, found " + Json.describe(marketing));
        }
        return new CustomerUpdate(profile, preferences, marketing.booleanValue());
    }

    private static JsonNode required(JsonNode parent, String pointer, String field) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            throw new Stop(pointer + "/" + field, "is required");
        }
        return value;
    }

    private static JsonNode object(JsonNode node, String pointer) {
        if (!node.isObject()) {
            throw new Stop(pointer.isEmpty() ? "/" : pointer, "must be a JSON object, found " + Json.describe(node));
        }
        return node;
    }

    private static void onlyFields(JsonNode node, String pointer, Set<String> allowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new Stop(pointer + "/" + name, "unknown field; allowed fields are "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private static String optionalText(JsonNode parent, String pointer, String field, int maxLength,
                                       Pattern pattern, String rule) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        return text(value, pointer + "/" + field, maxLength, pattern, rule);
    }

    private static String text(JsonNode value, String at, int maxLength, Pattern pattern, String rule) {
        if (!value.isTextual()) {
            throw new Stop(at, "must be a string, found " + Json.describe(value));
        }
        String text = value.textValue();
        if (text.isBlank()) {
            throw new Stop(at, "must not be blank");
        }
        int length = text.codePointCount(0, text.length());
        if (length > maxLength) {
            throw new Stop(at, "is " + length + " characters long; the maximum is " + maxLength);
        }
        if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new Stop(at, "must not contain control characters");
        }
        if (pattern != null && !pattern.matcher(text).matches()) {
            throw new Stop(at, "is invalid: " + rule);
        }
        return text;
    }

    private static List<String> list(JsonNode parent, String field, int maxLength, Pattern pattern, String rule) {
        String at = "/preferences/" + field;
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new Stop(at, "must be an array of strings, found " + Json.describe(value));
        }
        if (value.size() > MAX_LIST) {
            throw new Stop(at, "has " + value.size() + " entries; the maximum is " + MAX_LIST);
        }
        List<String> result = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < value.size(); i++) {
            String entry = text(value.get(i), at + "/" + i, maxLength, pattern, rule);
            if (!seen.add(entry)) {
                throw new Stop(at + "/" + i, "'" + entry + "' is listed twice");
            }
            result.add(entry);
        }
        return List.copyOf(result);
    }

}
