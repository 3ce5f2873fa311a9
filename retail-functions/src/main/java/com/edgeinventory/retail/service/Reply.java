package com.edgeinventory.retail.service;

import com.edgeinventory.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP answer as the service decided it: status, content type and the exact body bytes (as text), so that an
 * idempotent replay returns the very same response.
 */
public record Reply(int status, String contentType, String body) {

    public static final String JSON = "application/json";
    public static final String PROBLEM = "application/problem+json";
    public static final String TYPE_BASE = "https://edge-inventory.example/problems/";

    public static Reply json(int status, Object view) {
        return new Reply(status, JSON, new String(Json.write(view), StandardCharsets.UTF_8));
    }

    /** An RFC 9457 problem; {@code extra} members sit beside the standard ones. */
    public static Reply problem(int status, String slug, String title, String detail, String field,
                                Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + slug);
        body.put("title", title);
        body.put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        if (field != null) {
            body.put("field", field);
        }
        body.putAll(extra);
        return new Reply(status, PROBLEM, new String(Json.write(body), StandardCharsets.UTF_8));
    }

    public static Reply problem(int status, String slug, String title, String detail, String field) {
        return problem(status, slug, title, detail, field, Map.of());
    }

    public static Reply notFound(String detail, String field) {
        return problem(404, "not-found", "Not found", detail, field);
    }

    public static Reply notOpen(TransactionState s) {
        return problem(409, "transaction-not-open", "The transaction is not open",
                "transaction " + s.txnId() + " is " + s.status(), null);
    }

    public static Reply expired(TransactionState s) {
        return problem(409, "transaction-expired", "The transaction expired",
                "transaction " + s.txnId() + " was idle too long; its reservations were released", null);
    }

    public static Reply concurrentModification() {
        return problem(409, "concurrent-modification", "Concurrent modification",
                "the transaction kept changing while this request was applied; retry with the same Idempotency-Key",
                null);
    }

    public static Reply idempotencyMismatch() {
        return problem(422, "idempotency-key-reused", "Idempotency-Key reused with a different request",
                "this Idempotency-Key was first used with another method, path or body", "Idempotency-Key");
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
