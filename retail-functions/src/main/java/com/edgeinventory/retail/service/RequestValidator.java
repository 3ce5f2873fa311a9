package com.edgeinventory.retail.service;

import com.edgeinventory.model.Problem;
import com.edgeinventory.model.Json;
import com.edgeinventory.model.UploadKey;
import com.edgeinventory.retail.service.Transitions.LineRequest;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates the retail requests. Every method either returns the validated request or throws
 * {@link InvalidRequest} naming the field. Strict: unknown fields, wrong types, duplicate keys, invalid UTF-8 and
 * trailing data are all rejected.
 */
public final class RequestValidator {

    public static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    public static final Pattern IDEMPOTENCY_KEY = RequestFingerprint.IDEMPOTENCY_KEY;
    public static final int MAX_QTY = 50;
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    /**
     * @param customerId     optional: the customer of the transaction (e.g. a scanned loyalty card), or {@code null}
     * @param alternativeFor optional: the out-of-stock sku this one is bought instead of (one of the alternatives
     *                       its 409 offered), or {@code null}
     */
    public record AddItem(String sku, long qty, String customerId, String alternativeFor) {
        public AddItem(String sku, long qty, String customerId) {
            this(sku, qty, customerId, null);
        }

        public AddItem(String sku, long qty) {
            this(sku, qty, null);
        }
    }

    public record Sale(List<LineRequest> lines, String customerId) {}

    private RequestValidator() {}

    public static String clientId(String value) {
        return id(value, "clientId");
    }

    public static String id(String value, String field) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new InvalidRequest(field + " must be 1-64 of A-Z a-z 0-9 _ -", field);
        }
        return value;
    }

    public static String pathSku(String value) {
        if (value == null || !UploadKey.SKU.matcher(value).matches()) {
            throw new InvalidRequest(skuRule(), "sku");
        }
        return value;
    }

    public static String idempotencyKey(String value) {
        if (value == null) {
            throw new InvalidRequest("the Idempotency-Key header is required on this route", IDEMPOTENCY_HEADER);
        }
        if (!IDEMPOTENCY_KEY.matcher(value).matches()) {
            throw new InvalidRequest("Idempotency-Key must be 8-128 of A-Z a-z 0-9 _ -", IDEMPOTENCY_HEADER);
        }
        return value;
    }

    /** {@code {"sku","qty","customerId"?}}. */
    public static AddItem addItem(byte[] body) {
        JsonNode root = object(parse(body), "");
        onlyFields(root, "", Set.of("sku", "qty", "customerId", "alternativeFor"));
        String sku = sku(root, "");
        long qty = qty(root, "");
        String customerId = optionalCustomerId(root);
        JsonNode alternative = root.get("alternativeFor");
        if (alternative == null || alternative.isNull()) {
            return new AddItem(sku, qty, customerId, null);
        }
        if (!alternative.isTextual() || !UploadKey.SKU.matcher(alternative.asText()).matches()) {
            throw new InvalidRequest("alternativeFor must be the out-of-stock sku this one replaces: " + skuRule(),
                    "/alternativeFor");
        }
        if (alternative.asText().equals(sku)) {
            throw new InvalidRequest("alternativeFor must name another sku than sku", "/alternativeFor");
        }
        return new AddItem(sku, qty, customerId, alternative.asText());
    }

    /** {@code {"lines":[{"sku","qty"}],"customerId"?}}, 1-50 lines. */
    public static Sale sale(byte[] body) {
        JsonNode root = object(parse(body), "");
        onlyFields(root, "", Set.of("lines", "customerId"));
        JsonNode lines = root.get("lines");
        if (lines == null || lines.isNull()) {
            throw new InvalidRequest("lines is required", "/lines");
        }
        if (!lines.isArray()) {
            throw new InvalidRequest("lines must be an array, found " + Json.describe(lines), "/lines");
        }
        if (lines.isEmpty() || lines.size() > Transitions.MAX_LINES) {
            throw new InvalidRequest("lines must hold 1-" + Transitions.MAX_LINES + " lines, found " + lines.size(),
                    "/lines");
        }
        List<LineRequest> parsed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String at = "/lines/" + i;
            JsonNode line = object(lines.get(i), at);
            onlyFields(line, at, Set.of("sku", "qty"));
            parsed.add(new LineRequest(sku(line, at), qty(line, at)));
        }
        return new Sale(parsed, optionalCustomerId(root));
    }

    /** Checkout and cancel take no body: empty, or an empty JSON object. */
    public static void emptyBody(byte[] body) {
        if (body.length == 0) {
            return;
        }
        JsonNode root = object(parse(body), "");
        onlyFields(root, "", Set.of());
    }

    // ------------------------------------------------------------------ helpers

    static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw new InvalidRequest("a JSON body is required", Problem.BODY);
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw new InvalidRequest("the body is not valid UTF-8", Problem.BODY);
        }
        try {
            JsonNode root = Json.mapper().readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new InvalidRequest("a JSON body is required", Problem.BODY);
            }
            return root;
        } catch (StreamReadException e) {
            String message = firstLine(e.getOriginalMessage());
            if (message.startsWith("Duplicate field") && e.getProcessor() instanceof JsonParser p) {
                String pointer = p.getParsingContext().pathAsPointer().toString();
                throw new InvalidRequest("duplicate key: " + message, pointer.isEmpty() ? Problem.BODY : pointer);
            }
            throw new InvalidRequest("malformed JSON: " + message, Problem.BODY);
        } catch (JsonProcessingException e) {
            throw new InvalidRequest("malformed JSON: " + firstLine(e.getOriginalMessage()), Problem.BODY);
        } catch (IOException e) {
            throw new InvalidRequest("unreadable body", Problem.BODY);
        }
    }

    private static JsonNode object(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            throw new InvalidRequest("expected a JSON object, found " + (node == null ? "nothing" : Json.describe(node)),
                    at.isEmpty() ? "body" : at);
        }
        return node;
    }

    private static void onlyFields(JsonNode node, String at, Set<String> allowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new InvalidRequest("unknown field '" + name + "'"
                        + (allowed.isEmpty() ? "; this route takes no body" : "; allowed: " + String.join(", ",
                        allowed.stream().sorted().toList())), at + "/" + name);
            }
        }
    }

    private static String sku(JsonNode node, String at) {
        JsonNode sku = node.get("sku");
        String field = at + "/sku";
        if (sku == null || sku.isNull()) {
            throw new InvalidRequest("sku is required", field);
        }
        if (!sku.isTextual()) {
            throw new InvalidRequest("sku must be a string, found " + Json.describe(sku), field);
        }
        if (!UploadKey.SKU.matcher(sku.textValue()).matches()) {
            throw new InvalidRequest(skuRule(), field);
        }
        return sku.textValue();
    }

    private static long qty(JsonNode node, String at) {
        JsonNode qty = node.get("qty");
        String field = at + "/qty";
        if (qty == null || qty.isNull()) {
            throw new InvalidRequest("qty is required", field);
        }
        if (!qty.isIntegralNumber()) {
            throw new InvalidRequest("qty must be a whole number, found " + Json.describe(qty), field);
        }
        BigInteger value = qty.bigIntegerValue();
        if (value.compareTo(BigInteger.ONE) < 0 || value.compareTo(BigInteger.valueOf(MAX_QTY)) > 0) {
            throw new InvalidRequest("qty must be 1-" + MAX_QTY + ", found " + value, field);
        }
        return value.longValueExact();
    }

    private static String skuRule() {
        return "sku must be 3-40 of A-Z 0-9 -, starting with a letter or digit";
    }


    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }

    /** The optional {@code customerId} member of a body, or {@code null}. */
    private static String optionalCustomerId(JsonNode root) {
        String customerId = null;
        JsonNode customer = root.get("customerId");
        if (customer != null) {
            if (!customer.isTextual()) {
                throw new InvalidRequest("customerId must be a string, found " + Json.describe(customer), "/customerId");
            }
            customerId = id(customer.textValue(), "/customerId");
        }
        return customerId;
    }
}
