package com.edgeinventory.retail.service;

import com.edgeinventory.model.Problem;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code PUT /v1/customers/{customerId}} once the request is valid: read the customer, apply the update (pure,
 * {@link Customer#apply}), save it with the idempotency record in one transaction conditioned on the version read,
 * and on a version conflict go again, up to {@value #MAX_ATTEMPTS} times. A key used before replays its stored
 * response, or is 422 when it was used with another request.
 */
public final class CustomerService {

    public static final int MAX_ATTEMPTS = 3;

    /**
     * The answer to a PUT.
     *
     * @param replayed the stored response of an earlier request with the same key and fingerprint
     */
    public record Outcome(Reply reply, boolean replayed) {
    }

    /**
     * A valid PUT.
     *
     * @param storeId     the caller's store, from the authorizer
     * @param fingerprint of method, store, path and body ({@link RequestFingerprint})
     */
    public record Put(String customerId, String storeId, String idempotencyKey, String fingerprint,
                      CustomerUpdate update) {
    }

    private final CustomerStore customers;
    private final Clock clock;

    public CustomerService(CustomerStore customers, Clock clock) {
        this.customers = Objects.requireNonNull(customers);
        this.clock = Objects.requireNonNull(clock);
    }

    public Outcome put(Put put) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            Optional<Customer> current = customers.find(put.customerId());
            Customer next = Customer.apply(current, put.customerId(), put.storeId(), put.update(), now);
            Reply reply = Reply.json(200, view(next));
            IdempotencyRecord record = new IdempotencyRecord(put.storeId(), put.idempotencyKey(), put.fingerprint(),
                    reply.status(), reply.contentType(), reply.body(), now);
            switch (customers.save(next, current.map(Customer::version).orElse(0L), record)) {
                case CustomerStore.Saved saved -> {
                    return new Outcome(reply, false);
                }
                case CustomerStore.KeyUsed(Optional<IdempotencyRecord> stored) when stored.isPresent() -> {
                    return stored.get().fingerprint().equals(put.fingerprint())
                            ? new Outcome(new Reply(stored.get().status(), stored.get().contentType(),
                                    stored.get().body()), true)
                            : new Outcome(Reply.idempotencyMismatch(), false);
                }
                default -> {
                    // A version conflict, or a key record that vanished between the write and the read: go again.
                }
            }
        }
        return new Outcome(Reply.problem(Problem.concurrentModification("the customer")), false);
    }

    /** The customer as the API shows it. */
    public static Map<String, Object> view(Customer c) {
        Map<String, Object> profile = new LinkedHashMap<>();
        if (c.profile().name() != null) {
            profile.put("name", c.profile().name());
        }
        if (c.profile().email() != null) {
            profile.put("email", c.profile().email());
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("customerId", c.customerId());
        view.put("storeId", c.storeId());
        view.put("profile", profile);
        view.put("preferences", Map.of("sizes", c.preferences().sizes(), "colors", c.preferences().colors(),
                "categories", c.preferences().categories()));
        view.put("consent", Map.of("marketing", c.marketing(), "at", c.consentAt().toString()));
        view.put("updatedAt", c.updatedAt().toString());
        view.put("version", c.version());
        return view;
    }
}
