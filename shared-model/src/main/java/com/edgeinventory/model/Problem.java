package com.edgeinventory.model;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 9457 problem detail, the one error shape of every HTTP API here (retail and analytics), sent as
 * {@value #CONTENT_TYPE}: {@code type}, {@code title}, {@code status}, then {@code detail} and {@code field} when
 * present, then any extra members beside them (e.g. {@code available} and {@code alternatives} for out of stock).
 *
 * @param field   the request field the problem is about (a JSON pointer, {@code body} for the body as a whole, a
 *                header or a path or query parameter), or null
 * @param members extra members, in order
 */
public record Problem(String type, String title, int status, String detail, String field,
                      Map<String, Object> members) {

    public static final String CONTENT_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://edge-inventory.example/problems/";
    /** The {@code field} of a problem with the request body as a whole (not JSON, not UTF-8, empty). */
    public static final String BODY = "body";

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    public static Problem of(int status, String slug, String title, String detail, String field) {
        return new Problem(TYPE_BASE + slug, title, status, detail, field, Map.of());
    }

    public static Problem badRequest(String detail, String field) {
        return of(400, "invalid-request", "The request is invalid", detail, field);
    }

    public static Problem unauthorized() {
        return of(401, "unauthorized", "No device identity", "the request carries no authorized device", null);
    }

    public static Problem notFound(String detail) {
        return notFound(detail, null);
    }

    public static Problem notFound(String detail, String field) {
        return of(404, "not-found", "Not found", detail, field);
    }

    public static Problem methodNotAllowed(String detail) {
        return of(405, "method-not-allowed", "Method not allowed", detail, null);
    }

    public static Problem concurrentModification(String what) {
        return of(409, "concurrent-modification", "Concurrent modification",
                what + " kept changing while this request was applied; retry with the same Idempotency-Key", null);
    }

    public static Problem tooLarge(int limit) {
        return of(413, "payload-too-large", "The request body is too large",
                "the body may be at most " + limit + " bytes", null);
    }

    public static Problem idempotencyMismatch() {
        return of(422, "idempotency-key-reused", "Idempotency-Key reused with a different request",
                "this Idempotency-Key was first used with another method, path or body", "Idempotency-Key");
    }

    public static Problem internalError(String detail) {
        return of(500, "internal-error", "Internal error", detail, null);
    }

    public static Problem unavailable(String detail) {
        return of(503, "unavailable", "Temporarily unavailable", detail, null);
    }

    /** This problem with one more member. */
    public Problem with(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(members);
        more.put(name, value);
        return new Problem(type, title, status, detail, field, more);
    }

    /** This problem with more members, in their order. */
    public Problem with(Map<String, Object> more) {
        Map<String, Object> all = new LinkedHashMap<>(members);
        all.putAll(more);
        return new Problem(type, title, status, detail, field, all);
    }

    /** The body's members, in the order they are sent. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        if (field != null) {
            body.put("field", field);
        }
        body.putAll(members);
        return body;
    }

    /** The body as JSON text. */
    public String json() {
        return new String(Json.write(body()), StandardCharsets.UTF_8);
    }
}
