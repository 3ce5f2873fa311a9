package com.edgeinventory.retail.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.edgeinventory.inventory.store.InventoryTable;
import com.edgeinventory.model.metrics.EmfMetrics;
import com.edgeinventory.retail.adapter.CustomersTable;
import com.edgeinventory.retail.adapter.DynamoRetailStore;
import com.edgeinventory.retail.adapter.IdempotencyStore;
import com.edgeinventory.retail.adapter.PurchasesTable;
import com.edgeinventory.retail.adapter.StateTable;
import com.edgeinventory.retail.handler.http.Caller;
import com.edgeinventory.retail.handler.http.HttpResponses;
import com.edgeinventory.model.Problem;
import com.edgeinventory.retail.handler.http.Requests;
import com.edgeinventory.retail.service.InvalidRequest;
import com.edgeinventory.retail.service.Reply;
import com.edgeinventory.retail.service.RequestValidator;
import com.edgeinventory.retail.service.TransactionService;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * TransactionFunction: the store transaction routes and one-shot sales. Thin: authenticates the caller (from the
 * authorizer context), limits the body, validates, computes the idempotency fingerprint and hands over to
 * {@link TransactionService}.
 */
public final class TransactionHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    static final String ADD = "POST /v1/transactions/{clientId}/items";
    static final String REMOVE = "DELETE /v1/transactions/{clientId}/items/{sku}";
    static final String CHECKOUT = "POST /v1/transactions/{clientId}/checkout";
    static final String CANCEL = "POST /v1/transactions/{clientId}/cancel";
    static final String GET = "GET /v1/transactions/{clientId}";
    static final String SALE = "POST /v1/sales";

    /** The idle time after which an OPEN transaction expires, unless TRANSACTION_IDLE_SECONDS says otherwise. */
    public static final Duration DEFAULT_IDLE = Duration.ofSeconds(900);

    private final TransactionService service;

    /** The Lambda entry point: clients and tables from the environment, built once per container. */
    public TransactionHandler() {
        this(fromEnvironment());
    }

    private TransactionHandler(Wiring wiring) {
        this(wiring.service());
        Priming.register(Priming.transactions(this, wiring.service(), wiring.store(), wiring.customers()));
    }

    TransactionHandler(TransactionService service) {
        this.service = Objects.requireNonNull(service);
    }

    /** What the Lambda constructor builds; the store and the customers table are kept for priming. */
    private record Wiring(TransactionService service, DynamoRetailStore store, CustomersTable customers) {}

    private static Wiring fromEnvironment() {
        DynamoDbClient dynamo = RetailClients.dynamoDb();
        String idempotencyTable = RetailClients.requiredEnv("IDEMPOTENCY_TABLE");
        DynamoRetailStore store = new DynamoRetailStore(dynamo,
                new InventoryTable(dynamo, RetailClients.requiredEnv("INVENTORY_TABLE")),
                new StateTable(dynamo, RetailClients.requiredEnv("STATE_TABLE")),
                new PurchasesTable(dynamo, RetailClients.requiredEnv("PURCHASES_TABLE")),
                new IdempotencyStore(dynamo, idempotencyTable));
        CustomersTable customers = new CustomersTable(dynamo, RetailClients.requiredEnv("CUSTOMERS_TABLE"),
                idempotencyTable);
        return new Wiring(new TransactionService(store, customers::preferences, Clock.systemUTC(), idle(),
                () -> UUID.randomUUID().toString(), new EmfSalesMetrics(EmfMetrics.fromEnvironment())), store,
                customers);
    }

    static Duration idle() {
        String value = System.getenv("TRANSACTION_IDLE_SECONDS");
        return value == null || value.isBlank() ? DEFAULT_IDLE : Duration.ofSeconds(Long.parseLong(value.strip()));
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Caller caller = Caller.of(event).orElse(null);
        if (caller == null) {
            return HttpResponses.problem(Problem.unauthorized());
        }
        byte[] body = Requests.body(event);
        if (body.length > Requests.MAX_BODY_BYTES) {
            return HttpResponses.problem(Problem.tooLarge(Requests.MAX_BODY_BYTES));
        }
        String route = event.getRouteKey() == null ? "" : event.getRouteKey();
        Reply reply;
        try {
            reply = route(route, event, caller, body);
        } catch (InvalidRequest e) {
            reply = e.reply();
        }
        logOutcome(context, event, route, caller, reply);
        return HttpResponses.reply(reply, false);
    }

    /**
     * One line per request with its outcome and correlation ids (the API request id, which the access log also
     * carries, the Lambda request id, store, device and Idempotency-Key); no customer data.
     */
    private static void logOutcome(Context context, APIGatewayV2HTTPEvent event, String route, Caller caller,
                                   Reply reply) {
        if (context == null || context.getLogger() == null) {
            return;
        }
        String apiRequestId = event.getRequestContext() == null ? null : event.getRequestContext().getRequestId();
        String key = event.getHeaders() == null ? null : event.getHeaders().entrySet().stream()
                .filter(h -> h.getKey().equalsIgnoreCase("idempotency-key")).map(Map.Entry::getValue).findFirst()
                .orElse(null);
        context.getLogger().log(route + " -> " + reply.status() + " apiRequestId=" + apiRequestId + " requestId="
                + context.getAwsRequestId() + " store=" + caller.storeId() + " device=" + caller.deviceId()
                + (key == null ? "" : " idempotencyKey=" + key),
                reply.status() >= 500 ? LogLevel.ERROR : reply.status() >= 400 && reply.status() != 409
                        ? LogLevel.WARN : LogLevel.INFO);
    }

    private Reply route(String route, APIGatewayV2HTTPEvent event, Caller caller, byte[] body) {
        switch (route) {
            case GET -> {
                String clientId = RequestValidator.clientId(param(event, "clientId"));
                return service.get(caller.storeId(), clientId, Requests.receivedAt(event));
            }
            case ADD -> {
                String clientId = RequestValidator.clientId(param(event, "clientId"));
                TransactionService.Request r = request(event, caller, body);
                return service.addItem(r, clientId, RequestValidator.addItem(body));
            }
            case REMOVE -> {
                String clientId = RequestValidator.clientId(param(event, "clientId"));
                String sku = RequestValidator.pathSku(param(event, "sku"));
                TransactionService.Request r = request(event, caller, body);
                RequestValidator.emptyBody(body);
                return service.removeItem(r, clientId, sku);
            }
            case CHECKOUT -> {
                String clientId = RequestValidator.clientId(param(event, "clientId"));
                TransactionService.Request r = request(event, caller, body);
                RequestValidator.emptyBody(body);
                return service.checkout(r, clientId);
            }
            case CANCEL -> {
                String clientId = RequestValidator.clientId(param(event, "clientId"));
                TransactionService.Request r = request(event, caller, body);
                RequestValidator.emptyBody(body);
                return service.cancel(r, clientId);
            }
            case SALE -> {
                TransactionService.Request r = request(event, caller, body);
                return service.sale(r, RequestValidator.sale(body));
            }
            default -> {
                return Reply.notFound("no route " + route, null);
            }
        }
    }

    private static String param(APIGatewayV2HTTPEvent event, String name) {
        return Requests.pathParameter(event, name).orElse(null);
    }

    /** The idempotent request's identity, once its path parameters are validated. */
    private static TransactionService.Request request(APIGatewayV2HTTPEvent event, Caller caller, byte[] body) {
        String key = RequestValidator.idempotencyKey(Requests.header(event, RequestValidator.IDEMPOTENCY_HEADER)
                .orElse(null));
        return new TransactionService.Request(caller.storeId(), caller.deviceId(), key,
                Requests.fingerprint(event, caller.storeId(), body), Requests.receivedAt(event));
    }

}
