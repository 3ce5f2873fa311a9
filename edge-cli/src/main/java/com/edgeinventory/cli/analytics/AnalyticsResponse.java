package com.edgeinventory.cli.analytics;

import com.edgeinventory.local.system.Json;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.edgeinventory.local.LocalRuntimeException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

/**
 * One HTTP response of the analytics API, from the network or from a local invocation.
 *
 * @param status  HTTP status
 * @param headers header values by lower-case name
 * @param body    the body text (empty when there is none)
 */
public record AnalyticsResponse(int status, Map<String, String> headers, String body) {

    /** Keeps decimals exactly as written ({@code 179.80} stays {@code 179.80}). */
    public static final ObjectMapper READER = Json.MAPPER.copy().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    public AnalyticsResponse {
        TreeMap<String, String> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        headers = Collections.unmodifiableMap(lower);
        body = body == null ? "" : body;
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /**
     * The response a function returned for an HTTP API (payload 2.0) event, read as API Gateway reads it: an object
     * with {@code statusCode} is a full response ({@code headers}, {@code body}, {@code isBase64Encoded}); anything
     * else is the body of a 200 with JSON content.
     */
    public static AnalyticsResponse fromFunction(String responseJson) {
        JsonNode response;
        try {
            response = READER.readTree(responseJson);
        } catch (JsonProcessingException e) {
            throw new LocalRuntimeException("The function's response is not JSON: " + e.getOriginalMessage());
        }
        if (response == null || !response.isObject() || !response.has("statusCode")) {
            String body = response != null && response.isTextual() ? response.asText() : responseJson;
            return new AnalyticsResponse(200, Map.of("content-type", "application/json"), body);
        }
        JsonNode statusCode = response.get("statusCode");
        if (!statusCode.canConvertToInt() || statusCode.asInt() < 100 || statusCode.asInt() > 599) {
            throw new LocalRuntimeException("The function's response has an invalid statusCode: " + statusCode);
        }
        TreeMap<String, String> headers = new TreeMap<>();
        JsonNode headerNode = response.path("headers");
        headerNode.properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
        JsonNode bodyNode = response.path("body");
        String body = bodyNode.isTextual() ? bodyNode.asText() : bodyNode.isMissingNode() || bodyNode.isNull() ? ""
                : bodyNode.toString();
        if (response.path("isBase64Encoded").asBoolean(false)) {
            try {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new LocalRuntimeException("The function's response body is marked base64 but is not");
            }
        }
        return new AnalyticsResponse(statusCode.asInt(), headers, body);
    }

    /** The body of a successful response, which must be a JSON object. */
    public JsonNode json() {
        try {
            JsonNode node = READER.readTree(body);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw new LocalRuntimeException("The analytics API answered HTTP " + status + " with a body that is not a "
                + "JSON object: " + snippet(body));
    }

    /**
     * What went wrong, for one line on stderr: an RFC 9457 problem's detail (else title) and the CLI option its
     * {@code field} comes from; API Gateway's own {@code {"message"}} errors (403 of a bad signature, 500); else
     * the status and the start of the body.
     */
    public String errorMessage() {
        JsonNode node = null;
        try {
            node = READER.readTree(body);
        } catch (JsonProcessingException e) {
            // not JSON: described below
        }
        String statusText = "HTTP " + status;
        if (node != null && node.isObject() && (node.hasNonNull("detail") || node.hasNonNull("title"))) {
            String title = node.path("title").asText("");
            String detail = node.hasNonNull("detail") ? node.get("detail").asText() : title;
            StringBuilder message = new StringBuilder(detail);
            StringBuilder where = new StringBuilder();
            if (node.hasNonNull("field")) {
                String field = node.get("field").asText();
                where.append("field ").append(field);
                AnalyticsQuery.cliOption(field).filter(o -> !o.equals("--" + field))
                        .ifPresent(o -> where.append(", given as ").append(o));
                where.append("; ");
            }
            where.append(statusText);
            if (!title.isEmpty() && !title.equals(detail)) {
                where.append(' ').append(title);
            }
            return message.append(" (").append(where).append(')').toString();
        }
        if (node != null && node.isObject() && node.hasNonNull("message")) {
            return "the analytics API answered " + statusText + ": " + node.get("message").asText();
        }
        return "the analytics API answered " + statusText + (body.isBlank() ? " with no body" : ": " + snippet(body));
    }

    private static String snippet(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }
}
