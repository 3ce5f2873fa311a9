package com.edgeinventory.retail.handler.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * An RFC 9457 problem detail, sent as {@code application/problem+json}.
 *
 * @param field   the request field the problem is about (JSON pointer, header or path parameter), when one applies
 * @param details extra members, e.g. {@code available} and {@code alternatives} for out-of-stock
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String field, Map<String, Object> details) {

    public static final String TYPE_BASE = "https://edge-inventory.example/problems/";

    public static Problem of(int status, String slug, String title, String detail, String field) {
        return new Problem(TYPE_BASE + slug, title, status, detail, field, Map.of());
    }

    public static Problem badRequest(String detail, String field) {
        return of(400, "invalid-request", "The request is invalid", detail, field);
    }

    public static Problem tooLarge(int limit) {
        return of(413, "payload-too-large", "The request body is too large",
                "the body may be at most " + limit + " bytes", null);
    }

    public static Problem unauthorized() {
        return of(401, "unauthorized", "No device identity", "the request carries no authorized device", null);
    }

    public static Problem notFound(String detail) {
        return of(404, "not-found", "Not found", detail, null);
    }

    public static Problem idempotencyMismatch() {
        return of(422, "idempotency-key-reused", "Idempotency-Key reused with a different request",
                "this Idempotency-Key was first used with another method, path or body", "Idempotency-Key");
    }

    public Problem with(String key, Object value) {
        Map<String, Object> more = new java.util.LinkedHashMap<>(details);
        more.put(key, value);
        return new Problem(type, title, status, detail, field, more);
    }
}
