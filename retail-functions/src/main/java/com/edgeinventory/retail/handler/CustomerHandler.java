package com.edgeinventory.retail.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.edgeinventory.retail.adapter.CustomersTable;
import com.edgeinventory.retail.handler.http.Caller;
import com.edgeinventory.retail.handler.http.HttpResponses;
import com.edgeinventory.model.Problem;
import com.edgeinventory.retail.handler.http.Requests;
import com.edgeinventory.retail.service.CustomerService;
import com.edgeinventory.retail.service.CustomerUpdateParser;
import com.edgeinventory.retail.service.RequestFingerprint;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code PUT /v1/customers/{customerId}}: creates or replaces a customer's profile, preferences and marketing
 * consent. Needs an {@code Idempotency-Key}; a replay returns the stored response, the same key with another
 * request is 422. Bad input is 400 (413 over 16 KiB) and writes nothing. The store is the caller's.
 */
public final class CustomerHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    static final String ROUTE = "PUT /v1/customers/{customerId}";

    private final CustomerService service;

    /** Lambda's constructor: tables and client from the environment. */
    public CustomerHandler() {
        this(new CustomersTable(RetailClients.dynamoDb(), RetailClients.requiredEnv("CUSTOMERS_TABLE"),
                RetailClients.requiredEnv("IDEMPOTENCY_TABLE")));
    }

    private CustomerHandler(CustomersTable customers) {
        this(new CustomerService(customers, Clock.systemUTC()));
        Priming.register(Priming.customers(this, customers));
    }

    CustomerHandler(CustomerService service) {
        this.service = Objects.requireNonNull(service);
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
        String storeId = caller.get().storeId();
        CustomerService.Outcome outcome = service.put(new CustomerService.Put(customerId, storeId, key.get(),
                Requests.fingerprint(event, storeId, body),
                ((CustomerUpdateParser.Valid) parsed).update()));
        return HttpResponses.reply(outcome.reply(), outcome.replayed());
    }
}
