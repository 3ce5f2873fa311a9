package com.edgeinventory.retail.service;

import com.edgeinventory.model.Json;
import com.edgeinventory.model.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An HTTP answer as the service decided it: status, content type and the exact body bytes (as text), so that an
 * idempotent replay returns the very same response.
 */
public record Reply(int status, String contentType, String body) {

    public static final String JSON = "application/json";
    public static final String PROBLEM = Problem.CONTENT_TYPE;

    public static Reply json(int status, Object view) {
        return new Reply(status, JSON, new String(Json.write(view), StandardCharsets.UTF_8));
    }

    /** An RFC 9457 problem; {@code extra} members sit beside the standard ones. */
    public static Reply problem(int status, String slug, String title, String detail, String field,
                                Map<String, Object> extra) {
        return problem(Problem.of(status, slug, title, detail, field).with(extra));
    }

    public static Reply problem(Problem problem) {
        return new Reply(problem.status(), PROBLEM, problem.json());
    }

    public static Reply problem(int status, String slug, String title, String detail, String field) {
        return problem(Problem.of(status, slug, title, detail, field));
    }

    public static Reply notFound(String detail, String field) {
        return problem(Problem.notFound(detail, field));
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
        return problem(Problem.concurrentModification("the transaction"));
    }

    public static Reply idempotencyMismatch() {
        return problem(Problem.idempotencyMismatch());
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
