package com.edgeinventory.retail.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.edgeinventory.model.Json;
import com.edgeinventory.retail.adapter.CustomersTable;
import com.edgeinventory.retail.adapter.CustomersTable.KeyUsed;
import com.edgeinventory.retail.adapter.CustomersTable.SaveOutcome;
import com.edgeinventory.retail.adapter.CustomersTable.Saved;
import com.edgeinventory.retail.adapter.CustomersTable.StoredResponse;
import com.edgeinventory.retail.handler.http.Caller;
import com.edgeinventory.retail.handler.http.HttpResponses;
import com.edgeinventory.model.Problem;
import com.edgeinventory.retail.handler.http.Requests;
import com.edgeinventory.retail.service.Customer;
import com.edgeinventory.retail.service.CustomerUpdateParser;
import com.edgeinventory.retail.service.RequestFingerprint;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code PUT /v1/customers/{customerId}}: creates or replaces a customer's profile, preferences and marketing
 * consent. Needs an {@code Idempotency-Key}; a replay returns the stored response, the same key with another
 * request is 422. Bad input is 400 (413 over 16 KiB) and writes nothing. The store is the caller's.
 */
public final class CustomerHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    static final String ROUTE = "PUT /v1/customers/{customerId}";
    static final int MAX_ATTEMPTS = 3;

    private final CustomersTable customers;
    private final Clock clock;

    /** Lambda's constructor: tables and client from the environment. */
    public CustomerHandler() {
        this(new CustomersTable(RetailClients.dynamoDb(), RetailClients.requiredEnv("CUSTOMERS_TABLE"),
                RetailClients.requiredEnv("IDEMPOTENCY_TABLE")));
    }

    private CustomerHandler(CustomersTable customers) {
        this(customers, Clock.systemUTC());
        Priming.register(Priming.customers(this, customers));
    }

    CustomerHandler(CustomersTable customers, Clock clock) {
        this.customers = Objects.requireNonNull(customers);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (!ROUTE.equals(event.getRouteKey())) {
            return HttpResponses.problem(Problem.notFound("no route " + event.getRouteKey()));
        }
        Optional<Caller> caller = Caller.of(event);
        if (caller.isEmpty()) {
            return HttpResponses.problem(Problem.unauthorized());
        }
        String customerId = Requests.pathParameter(event, "customerId").orElse("");
        if (!CustomerUpdateParser.CUSTOMER_ID.matcher(customerId).matches()) {
            return HttpResponses.problem(Problem.badRequest(
                    "customerId must be 1-64 of A-Z a-z 0-9 _ -", "customerId"));
        }
        Optional<String> key = Requests.header(event, "Idempotency-Key");
        if (key.isEmpty() || !RequestFingerprint.IDEMPOTENCY_KEY.matcher(key.get()).matches()) {
            return HttpResponses.problem(Problem.badRequest(
                    "an Idempotency-Key header of 8-128 of A-Z a-z 0-9 _ - is required", "Idempotency-Key"));
        }
        byte[] body = Requests.body(event);
        if (body.length > Requests.MAX_BODY_BYTES) {
            return HttpResponses.problem(Problem.tooLarge(Requests.MAX_BODY_BYTES));
        }
        CustomerUpdateParser.Result parsed = CustomerUpdateParser.parse(body);
        if (parsed instanceof CustomerUpdateParser.Invalid(String field, String detail)) {
            return HttpResponses.problem(Problem.badRequest(detail, field));
        }
        CustomerUpdateParser.Valid valid = (CustomerUpdateParser.Valid) parsed;
        String storeId = caller.get().storeId();
        String fingerprint = RequestFingerprint.of("PUT", storeId, "/v1/customers/" + customerId, body);

        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            Optional<Customer> current = customers.find(customerId);
            Customer next = Customer.apply(current, customerId, storeId, valid.update(), now);
            String responseBody = new String(Json.write(view(next)), StandardCharsets.UTF_8);
            SaveOutcome outcome = customers.save(next, current.map(Customer::version).orElse(0L), storeId,
                    key.get(), fingerprint, 200, responseBody, now);
            switch (outcome) {
                case Saved saved -> {
                    return raw(200, responseBody, false);
                }
                case KeyUsed(Optional<StoredResponse> stored) when stored.isPresent() -> {
                    return stored.get().fingerprint().equals(fingerprint)
                            ? raw(stored.get().status(), stored.get().body(), true)
                            : HttpResponses.problem(Problem.idempotencyMismatch());
                }
                default -> {
                    // Version conflict, or a key record that vanished between the write and the read: go again.
                }
            }
        }
        return HttpResponses.problem(Problem.concurrentModification("the customer"));
    }

    /** The customer as the API shows it. */
    static Map<String, Object> view(Customer c) {
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

    private static APIGatewayV2HTTPResponse raw(int status, String body, boolean replayed) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        if (replayed) {
            headers.put("idempotent-replayed", "true");
        }
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(headers).withBody(body).build();
    }
}
