package com.edgeinventory.central.handler;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem detail, sent as {@code application/problem+json}: the same types, titles and members as the
 * retail API's problems, so a client reads both alike.
 *
 * @param field the request parameter the problem is about, when exactly one is
 */
record Problem(String type, String title, int status, String detail, String field) {

    static final String TYPE_BASE = "https://edge-inventory.example/problems/";

    static Problem of(int status, String slug, String title, String detail, String field) {
        return new Problem(TYPE_BASE + slug, title, status, detail, field);
    }

    static Problem badRequest(String detail, String field) {
        return of(400, "invalid-request", "The request is invalid", detail, field);
    }

    static Problem notFound(String detail) {
        return of(404, "not-found", "Not found", detail, null);
    }

    static Problem methodNotAllowed(String method, String path) {
        return of(405, "method-not-allowed", "Method not allowed", method + " is not allowed on " + path
                + "; the analytics API is read-only (GET)", null);
    }

    static Problem unavailable(String detail) {
        return of(503, "unavailable", "Temporarily unavailable", detail, null);
    }

    static Problem internalError(String requestId) {
        return of(500, "internal-error", "Internal error", "the query failed; request id " + requestId, null);
    }

    /** The body: detail and field only when present. */
    Map<String, Object> body() {
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
        return body;
    }
}
