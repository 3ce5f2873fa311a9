package com.edgeinventory.retail.handler;

import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.edgeinventory.inventory.store.StockView;
import com.edgeinventory.model.Json;
import com.edgeinventory.retail.adapter.CustomersTable;
import com.edgeinventory.retail.adapter.DynamoRetailStore;
import com.edgeinventory.retail.adapter.StateTable;
import com.edgeinventory.retail.handler.http.HttpResponses;
import com.edgeinventory.retail.service.Customer;
import com.edgeinventory.retail.service.CustomerService;
import com.edgeinventory.retail.service.CustomerUpdateParser;
import com.edgeinventory.devices.DeviceKeys;
import com.edgeinventory.retail.service.IdempotencyRecord;
import com.edgeinventory.retail.service.ProductInfo;
import com.edgeinventory.retail.service.RequestFingerprint;
import com.edgeinventory.retail.service.RetailStore.StateWrite;
import com.edgeinventory.retail.service.RetailStore.WriteSet;
import com.edgeinventory.retail.service.TransactionService;
import com.edgeinventory.retail.service.TransactionState;
import com.edgeinventory.retail.service.Transitions;
import com.edgeinventory.retail.service.Transitions.Change;
import com.edgeinventory.retail.service.Transitions.Decision;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * SnapStart priming for the retail handlers. Each public (Lambda) constructor registers one CRaC
 * {@link Resource}; the runtime calls it before it takes the snapshot and after every restore. Without SnapStart
 * (tests, {@code $LATEST}, {@code bin/edge-inventory invoke}) registering does nothing and the hooks never run.
 *
 * <p><b>Before the checkpoint</b> a hook runs what the first real request would otherwise pay for: the handler's
 * own route dispatch, caller check, validation, fingerprint and problem serialization, on synthetic API Gateway
 * events that cannot write (a GET, or a body that validation rejects); one GetItem per table the function reads,
 * of a key no route can ever create ({@link #NEVER}: {@code !} is outside every id and sku pattern), which its
 * IAM policy already allows; and the pure transitions, Jackson views and DynamoDB item layouts of a successful
 * request, built and not sent. Nothing is written: the TransactWriteItems request is built, never sent.
 *
 * <p><b>After the restore</b> a hook clears what must not outlive the snapshot, which may be restored into many
 * sandboxes, long after it was taken: the transaction state and price caches, and the authorizer's device cache
 * (a device disabled since the snapshot must not stay authorized). The url-connection HTTP client's keep-alive
 * connections from before the snapshot are dead after a restore; the JDK drops them on first use and the SDK
 * retries, so there is nothing to do about them here.
 *
 * <p>Priming must never fail init or a restore: every step catches and logs what it throws (the step and the
 * exception class, with the service's error code; never a header, key or message).
 */
final class Priming {

    /** The synthetic caller's store: no real device belongs to it. */
    static final String STORE = "PRIME-STORE";
    static final String DEVICE = "prime-device";
    /** A key no route can write: {@code !} is outside every id, idempotency key and sku pattern. */
    static final String NEVER = "prime!never";
    static final String CLIENT_ID = "prime-client";
    static final String SKU = "PRIME-SKU";
    static final String IDEMPOTENCY_KEY = "prime-idempotency-key";

    /** CRaC holds resources weakly; these strong references keep them alive for the container's life. */
    private static final List<Resource> REGISTERED = new CopyOnWriteArrayList<>();

    private Priming() {}

    /** One priming step: a name for the log and the work. */
    record Step(String name, Runnable work) {}

    /** The hook of one function: warm-up steps before the checkpoint, cache clearing around it. */
    static final class Hooks implements Resource {
        private final String function;
        private final List<Step> steps;
        private final Runnable clear;
        private volatile int failedSteps;

        Hooks(String function, List<Step> steps, Runnable clear) {
            this.function = Objects.requireNonNull(function);
            this.steps = List.copyOf(steps);
            this.clear = Objects.requireNonNull(clear);
        }

        /** Runs every step (a failing one is logged and skipped), then clears the caches the steps may have filled. */
        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) {
            long started = System.nanoTime();
            int failed = 0;
            for (Step step : steps) {
                failed += run(step) ? 0 : 1;
            }
            failed += run(new Step("clear caches", clear)) ? 0 : 1;
            failedSteps = failed;
            log("priming " + function + ": " + steps.size() + " steps, " + failed + " failed, "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");
        }

        /** Steps that failed in the last {@link #beforeCheckpoint}, for tests. */
        int failedSteps() {
            return failedSteps;
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) {
            run(new Step("clear caches after restore", clear));
        }

        private boolean run(Step step) {
            try {
                step.work().run();
                return true;
            } catch (Exception | LinkageError | AssertionError e) {
                log("priming " + function + ": step '" + step.name() + "' failed: " + describe(e));
                return false;
            }
        }
    }

    /** Registers {@code hooks} with CRaC and keeps it strongly reachable. Never throws. */
    static void register(Resource hooks) {
        try {
            REGISTERED.add(hooks);
            Core.getGlobalContext().register(hooks);
        } catch (Exception | LinkageError e) {
            log("priming: cannot register the SnapStart hook: " + describe(e));
        }
    }

    // ------------------------------------------------------------------ per function

    /** TransactionFunction: GET, rejected add and sale, inventory/idempotency/customers reads, add and checkout. */
    static Hooks transactions(TransactionHandler handler, TransactionService service, DynamoRetailStore store,
                              CustomersTable customers) {
        String clientPath = "/v1/transactions/" + CLIENT_ID;
        return new Hooks("TransactionFunction", List.of(
                new Step("GET transaction (none)", () -> expect(Set.of(404), handler.handleRequest(http(
                        TransactionHandler.GET, "GET", clientPath, Map.of("clientId", CLIENT_ID), null), null))),
                new Step("POST items (rejected: qty 0)", () -> expect(Set.of(400), handler.handleRequest(http(
                        TransactionHandler.ADD, "POST", clientPath + "/items", Map.of("clientId", CLIENT_ID),
                        "{\"sku\":\"" + SKU + "\",\"qty\":0}"), null))),
                new Step("POST sales (rejected: customerId)", () -> expect(Set.of(400), handler.handleRequest(http(
                        TransactionHandler.SALE, "POST", "/v1/sales", Map.of(),
                        "{\"lines\":[{\"sku\":\"" + SKU + "\",\"qty\":1}],\"customerId\":\"" + NEVER + "\"}"),
                        null))),
                new Step("inventory GetItem", () -> store.product(NEVER)),
                new Step("idempotency GetItem", () -> store.idempotencyRecord(STORE, NEVER)),
                new Step("customers GetItem", () -> customers.preferences(NEVER)),
                new Step("add item and checkout, built not sent", () -> addAndCheckout(store))),
                service::clearCaches);
    }

    /** CustomerFunction: a PUT that validation rejects last, the two reads of a save, and a 200 body. */
    static Hooks customers(CustomerHandler handler, CustomersTable customers) {
        String valid = "{\"profile\":{\"name\":\"Prime\",\"email\":\"prime@example.com\"},"
                + "\"preferences\":{\"sizes\":[\"42\"],\"colors\":[\"blue\"],\"categories\":[\"running-shoes\"]},"
                + "\"consent\":{\"marketing\":%s}}";
        return new Hooks("CustomerFunction", List.of(
                new Step("PUT customer (rejected: consent)", () -> expect(Set.of(400), handler.handleRequest(http(
                        CustomerHandler.ROUTE, "PUT", "/v1/customers/" + CLIENT_ID, Map.of("customerId", CLIENT_ID),
                        valid.formatted("\"yes\"")), null))),
                new Step("customers GetItem", () -> customers.find(NEVER)),
                new Step("idempotency GetItem", () -> customers.storedResponse(STORE, NEVER)),
                new Step("customer view", () -> {
                    byte[] body = valid.formatted("true").getBytes(StandardCharsets.UTF_8);
                    RequestFingerprint.of("PUT", STORE, "/v1/customers/" + CLIENT_ID, body);
                    if (CustomerUpdateParser.parse(body) instanceof CustomerUpdateParser.Valid(var update)) {
                        Json.write(CustomerService.view(Customer.apply(Optional.empty(), CLIENT_ID, STORE, update,
                                Instant.now())));
                    }
                })),
                () -> { });
    }

    /** StockFunction: a GET through the handler (the function only reads) and a 200 body. */
    static Hooks stock(StockHandler handler, String region) {
        return new Hooks("StockFunction", List.of(
                new Step("GET stock", () -> expect(Set.of(200, 404), handler.handleRequest(http(StockHandler.ROUTE,
                        "GET", "/v1/stock/" + SKU, Map.of("sku", SKU), null), null))),
                new Step("stock view", () -> HttpResponses.json(200, StockHandler.view(
                        new StockView(SKU, "Prime", 1, 0, 0, "1.00", "EUR", false, 1), region)))),
                () -> { });
    }

    /** DeviceAuthorizerFunction: an unknown device with a fresh random secret (read, hash, deny). */
    static Hooks deviceAuthorizer(DeviceAuthorizerHandler handler) {
        return new Hooks("DeviceAuthorizerFunction", List.of(
                new Step("authorize unknown device", () -> {
                    String secret = DeviceKeys.newSecret();
                    APIGatewayV2CustomAuthorizerEvent event = new APIGatewayV2CustomAuthorizerEvent();
                    event.setVersion("2.0");
                    event.setType("REQUEST");
                    String authorization = DeviceKeys.authorization(DEVICE, secret);
                    event.setHeaders(Map.of("authorization", authorization));
                    event.setIdentitySource(List.of(authorization));
                    if (!Boolean.FALSE.equals(handler.handleRequest(event, null).get("isAuthorized"))) {
                        throw new Unexpected("the priming device was authorized");
                    }
                    DeviceKeys.matches(secret, DeviceKeys.hash(secret));
                })),
                handler::clearCache);
    }

    /** TransactionSweeperFunction: one page of the sweep's scan, and an expiry built not sent. */
    static Hooks sweeper(DynamoRetailStore store, StateTable states) {
        return new Hooks("TransactionSweeperFunction", List.of(
                new Step("state Scan (one item)", states::prime),
                new Step("expire, built not sent", () -> {
                    Instant now = Instant.now();
                    TransactionState open = open(now.minusSeconds(TransactionHandler.DEFAULT_IDLE.toSeconds() + 1));
                    Transitions.expire(open, now).ifPresent(c -> build(store, c, Optional.empty(), now));
                })),
                () -> { });
    }

    // ------------------------------------------------------------------ helpers

    /** Add an item to a new transaction, then check it out: the views, the item layouts, the request model. */
    private static void addAndCheckout(DynamoRetailStore store) {
        TransactionState open = open(Instant.now());
        Instant now = Instant.now();
        Decision checkout = Transitions.checkout(Optional.of(open), "prime-purchase", DEVICE, now);
        if (checkout instanceof Change c) {
            IdempotencyRecord record = new IdempotencyRecord(STORE, NEVER, "0".repeat(64), c.reply().status(),
                    c.reply().contentType(), c.reply().body(), now);
            build(store, c, Optional.of(record), now);
        }
        StateTable.fromItem(StateTable.toItem(open));
    }

    /** An OPEN transaction with one line, as a first add item leaves it (built through the real transition). */
    private static TransactionState open(Instant at) {
        ProductInfo product = new ProductInfo(SKU, "Prime", new BigDecimal("1.00"), "EUR", "PRIME");
        Decision add = Transitions.addItem(Optional.empty(), STORE, CLIENT_ID, "prime-txn", product, 1, at,
                TransactionHandler.DEFAULT_IDLE);
        return ((Change) add).next().orElseThrow();
    }

    /** Builds (and does not send) the TransactWriteItems request {@code change} would commit. */
    private static void build(DynamoRetailStore store, Change change, Optional<IdempotencyRecord> record, Instant now) {
        WriteSet write = new WriteSet(change.next().map(n -> new StateWrite(n, change.expectedVersion())),
                change.moves(), change.purchase(), record, now);
        TransactWriteItemsRequest.builder().transactItems(store.transactItems(write)).build();
    }

    /** A synthetic HTTP API (payload 2.0) request from the priming store, with an Idempotency-Key. */
    static APIGatewayV2HTTPEvent http(String routeKey, String method, String path, Map<String, String> pathParameters,
                                      String body) {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(path)
                .withRawQueryString("")
                .withHeaders(Map.of("content-type", "application/json", "idempotency-key", IDEMPOTENCY_KEY))
                .withPathParameters(pathParameters)
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(RequestContext.builder()
                        .withRouteKey(routeKey)
                        .withStage("$default")
                        .withHttp(RequestContext.Http.builder().withMethod(method).withPath(path)
                                .withProtocol("HTTP/1.1").build())
                        .withAuthorizer(RequestContext.Authorizer.builder()
                                .withLambda(Map.of("storeId", STORE, "deviceId", DEVICE)).build())
                        .build())
                .build();
    }

    /** A synthetic request took another path than the one it is meant to warm. */
    private static final class Unexpected extends RuntimeException {
        Unexpected(String message) {
            super(message, null, false, false);
        }
    }

    private static void expect(Set<Integer> statuses, APIGatewayV2HTTPResponse response) {
        if (!statuses.contains(response.getStatusCode())) {
            throw new Unexpected("expected status " + statuses + ", got " + response.getStatusCode());
        }
    }

    private static String describe(Throwable e) {
        if (e instanceof Unexpected) {
            return e.getMessage();
        }
        String code = e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                ? " (" + aws.awsErrorDetails().errorCode() + ")" : "";
        return e.getClass().getName() + code;
    }

    private static void log(String line) {
        try {
            LambdaRuntime.getLogger().log(line, com.amazonaws.services.lambda.runtime.logging.LogLevel.INFO);
        } catch (RuntimeException | LinkageError ignored) {
            // Logging must not fail priming either.
        }
    }
}
