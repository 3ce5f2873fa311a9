package com.edgeinventory.retail.handler;

import static com.edgeinventory.retail.handler.TransactionFixture.STORE_A;
import static com.edgeinventory.retail.handler.TransactionFixture.STORE_B;
import static com.edgeinventory.retail.handler.TransactionFixture.json;
import static com.edgeinventory.retail.handler.TransactionFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.LocalAwsExtension;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(LocalAwsExtension.class)
class TransactionHandlerIT {

    static final String SKU = "TR-RUN-42-BLU";
    static final String OTHER = "TR-RUN-43-RED";

    TransactionFixture fx;

    @BeforeEach
    void setUp(LocalAws aws) {
        aws.reset();
        fx = new TransactionFixture(aws);
        fx.product(SKU, 25);
        fx.product(OTHER, 10, "TR-RUN", "43", "red", "running-shoes");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    // ------------------------------------------------------------------ lifecycle

    @Test
    void addAddMoreRemoveGetAndCheckoutMoveStockExactly() {
        JsonNode first = ok(fx.add(STORE_A, "basket-1", SKU, 2, "key-add-0001"), 201);
        assertThat(first.get("status").asText()).isEqualTo("OPEN");
        assertThat(first.get("version").asLong()).isEqualTo(1);
        assertThat(first.get("total").asText()).isEqualTo("179.80");
        assertThat(first.get("expiresAt").asLong())
                .isEqualTo(TransactionFixture.START.plus(TransactionFixture.IDLE).getEpochSecond());
        assertThat(fx.levels(SKU)).containsExactly(23, 2, 0);

        JsonNode more = ok(fx.add(STORE_A, "basket-1", SKU, 3, "key-add-0002"), 200);
        assertThat(more.get("txnId").asText()).isEqualTo(first.get("txnId").asText());
        assertThat(more.get("lines")).hasSize(1);
        assertThat(more.get("lines").get(0).get("qty").asLong()).isEqualTo(5);
        ok(fx.add(STORE_A, "basket-1", OTHER, 1, "key-add-0003"), 200);
        assertThat(fx.levels(SKU)).containsExactly(20, 5, 0);
        assertThat(fx.levels(OTHER)).containsExactly(9, 1, 0);

        JsonNode removed = ok(fx.remove(STORE_A, "basket-1", OTHER, "key-rem-0001"), 200);
        assertThat(removed.get("lines")).hasSize(1);
        assertThat(fx.levels(OTHER)).containsExactly(10, 0, 0);

        JsonNode got = ok(fx.get(STORE_A, "basket-1"), 200);
        assertThat(got.get("version").asLong()).isEqualTo(4);
        assertThat(got.get("lines").get(0).get("unitPrice").asText()).isEqualTo("89.90");
        assertThat(got.get("currency").asText()).isEqualTo("EUR");

        JsonNode purchase = ok(fx.checkout(STORE_A, "basket-1", "key-chk-0001"), 200);
        assertThat(purchase.get("total").asText()).isEqualTo("449.50");
        assertThat(purchase.get("purchasedAt").asText()).isEqualTo("2026-11-27T08:00:00Z");
        assertThat(fx.levels(SKU)).containsExactly(20, 0, 5);
        assertThat(fx.levels(OTHER)).containsExactly(10, 0, 0);
        List<Map<String, AttributeValue>> purchases = fx.scan(fx.purchasesTable);
        assertThat(purchases).hasSize(1);
        assertThat(purchases.getFirst().get("purchaseId").s()).isEqualTo(purchase.get("purchaseId").asText());
        assertThat(purchases.getFirst().get("storeId").s()).isEqualTo(STORE_A);
        assertThat(purchases.getFirst().get("total").s()).isEqualTo("449.50");
        assertThat(ok(fx.get(STORE_A, "basket-1"), 200).get("status").asText()).isEqualTo("CHECKED_OUT");
    }

    @Test
    void aRefusalIsNeverDecidedOnAStaleCacheOfAnotherEnvironmentsChange() {
        TransactionHandler second = fx.anotherEnvironment();
        ok(fx.add(STORE_A, "basket-1", SKU, 1, "key-add-0001"), 201);          // this environment caches v1
        ok(second.handleRequest(TransactionFixture.event(STORE_A, TransactionHandler.ADD,
                Map.of("clientId", "basket-1"), "key-add-0002", "{\"sku\":\"" + OTHER + "\",\"qty\":1}"), null),
                200);                                                           // the other one writes v2

        JsonNode removed = ok(fx.remove(STORE_A, "basket-1", OTHER, "key-rem-0001"), 200);

        assertThat(removed.get("lines")).hasSize(1);
        assertThat(removed.get("version").asLong()).isEqualTo(3);
        assertThat(fx.levels(OTHER)).containsExactly(10, 0, 0);
        assertThat(fx.levels(SKU)).containsExactly(24, 1, 0);
    }

    @Test
    void cancelReleasesEveryReservation() {
        ok(fx.add(STORE_A, "basket-1", SKU, 4, "key-add-0001"), 201);
        ok(fx.add(STORE_A, "basket-1", OTHER, 2, "key-add-0002"), 200);

        JsonNode cancelled = ok(fx.cancel(STORE_A, "basket-1", "key-can-0001"), 200);

        assertThat(cancelled.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(fx.levels(SKU)).containsExactly(25, 0, 0);
        assertThat(fx.levels(OTHER)).containsExactly(10, 0, 0);
        assertThat(fx.checkout(STORE_A, "basket-1", "key-chk-0001").getStatusCode()).isEqualTo(409);
        assertThat(fx.scan(fx.purchasesTable)).isEmpty();
    }

    @Test
    void aClosedTransactionIsReplacedByANewOneOnTheNextAdd() {
        JsonNode first = ok(fx.add(STORE_A, "basket-1", SKU, 1, "key-add-0001"), 201);
        ok(fx.checkout(STORE_A, "basket-1", "key-chk-0001"), 200);

        JsonNode second = ok(fx.add(STORE_A, "basket-1", SKU, 1, "key-add-0002"), 201);

        assertThat(second.get("txnId").asText()).isNotEqualTo(first.get("txnId").asText());
        assertThat(second.get("version").asLong()).isEqualTo(3);
        assertThat(fx.levels(SKU)).containsExactly(23, 1, 1);
    }

    // ------------------------------------------------------------------ idempotency

    @Test
    void theSameKeyAndBodyTwiceAnswersIdenticallyWithOneEffect() {
        APIGatewayV2HTTPResponse add1 = fx.add(STORE_A, "basket-1", SKU, 2, "key-add-0001");
        APIGatewayV2HTTPResponse add2 = fx.add(STORE_A, "basket-1", SKU, 2, "key-add-0001");
        assertThat(add2.getStatusCode()).isEqualTo(add1.getStatusCode()).isEqualTo(201);
        assertThat(add2.getBody()).isEqualTo(add1.getBody());
        assertThat(fx.levels(SKU)).containsExactly(23, 2, 0);

        APIGatewayV2HTTPResponse chk1 = fx.checkout(STORE_A, "basket-1", "key-chk-0001");
        APIGatewayV2HTTPResponse chk2 = fx.checkout(STORE_A, "basket-1", "key-chk-0001");
        assertThat(chk2.getStatusCode()).isEqualTo(chk1.getStatusCode()).isEqualTo(200);
        assertThat(chk2.getBody()).isEqualTo(chk1.getBody());
        assertThat(fx.levels(SKU)).containsExactly(23, 0, 2);
        assertThat(fx.scan(fx.purchasesTable)).hasSize(1);

        String body = "{\"lines\":[{\"sku\":\"" + SKU + "\",\"qty\":1}]}";
        APIGatewayV2HTTPResponse sale1 = fx.sale(STORE_A, body, "key-sale-0001");
        APIGatewayV2HTTPResponse sale2 = fx.sale(STORE_A, body, "key-sale-0001");
        assertThat(sale2.getStatusCode()).isEqualTo(sale1.getStatusCode()).isEqualTo(200);
        assertThat(sale2.getBody()).isEqualTo(sale1.getBody());
        assertThat(fx.levels(SKU)).containsExactly(22, 0, 3);
        assertThat(fx.scan(fx.purchasesTable)).hasSize(2);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndChangesNothing() {
        ok(fx.add(STORE_A, "basket-1", SKU, 2, "key-add-0001"), 201);
        var before = fx.everything();

        APIGatewayV2HTTPResponse reused = fx.add(STORE_A, "basket-1", SKU, 3, "key-add-0001");
        APIGatewayV2HTTPResponse otherCartRoute = fx.cancel(STORE_A, "basket-1", "key-add-0001");

        assertThat(reused.getStatusCode()).isEqualTo(422);
        assertThat(json(reused).get("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(otherCartRoute.getStatusCode()).isEqualTo(422);
        assertThat(fx.everything()).isEqualTo(before);

        // A purchase is its request's idempotency record: a key that made one, reused on the other purchase route
        // or with another body, is 422 too, and changes nothing.
        String sale = "{\"lines\":[{\"sku\":\"" + SKU + "\",\"qty\":1}]}";
        ok(fx.sale(STORE_A, sale, "key-sale-0001"), 200);
        var afterSale = fx.everything();
        APIGatewayV2HTTPResponse otherSale = fx.sale(STORE_A, sale.replace(":1}", ":2}"), "key-sale-0001");
        APIGatewayV2HTTPResponse checkout = fx.checkout(STORE_A, "basket-1", "key-sale-0001");
        assertThat(otherSale.getStatusCode()).isEqualTo(422);
        assertThat(checkout.getStatusCode()).isEqualTo(422);
        assertThat(json(checkout).get("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(fx.everything()).isEqualTo(afterSale);
    }

    /**
     * The purchase routes keep their keys in the purchases they make, the cart routes in the idempotency table: a
     * key is remembered per family (a documented scope, docs/retail-design.md), so a cart key reused for a sale is a
     * new sale; the retry of either still has one effect.
     */
    @Test
    void aCartKeyReusedForASaleIsANewRequest() {
        ok(fx.add(STORE_A, "basket-1", SKU, 2, "key-shared-02"), 201);

        APIGatewayV2HTTPResponse sale = fx.sale(STORE_A, "{\"lines\":[{\"sku\":\"" + SKU + "\",\"qty\":1}]}",
                "key-shared-02");

        assertThat(sale.getStatusCode()).isEqualTo(200);
        assertThat(fx.levels(SKU)).containsExactly(22, 2, 1);
    }

    @Test
    void aKeyIsScopedToItsStore() {
        fx.product("TR-RUN-44-GRN", 5, "TR-RUN", "44", "green", "running-shoes");
        ok(fx.add(STORE_A, "basket-1", SKU, 1, "key-shared-01"), 201);
        ok(fx.add(STORE_B, "basket-1", SKU, 1, "key-shared-01"), 201);
        assertThat(fx.levels(SKU)).containsExactly(23, 2, 0);
    }

    // ------------------------------------------------------------------ request budgets

    @Test
    void requestBudgets() {
        fx.add(STORE_A, "basket-1", SKU, 1, "key-warm-0001"); // warms the state and price caches

        fx.counter.reset();
        ok(fx.add(STORE_A, "basket-1", SKU, 1, "key-add-0002"), 200);
        Map<String, Long> add = fx.counter.requests();
        double addCapacity = fx.counter.consumedCapacity();

        fx.counter.reset();
        ok(fx.checkout(STORE_A, "basket-1", "key-chk-0001"), 200);
        Map<String, Long> checkout = fx.counter.requests();

        fx.counter.reset();
        ok(fx.sale(STORE_A, "{\"lines\":[{\"sku\":\"" + SKU + "\",\"qty\":1}]}", "key-sale-0001"), 200);
        Map<String, Long> sale = fx.counter.requests();

        System.out.println("[budget] add item (warm) " + add + " (" + addCapacity + " capacity units reported), checkout "
                + checkout + ", sale (warm) " + sale);
        assertThat(add).isEqualTo(Map.of("TransactWriteItems", 1L));
        assertThat(checkout).isEqualTo(Map.of("TransactWriteItems", 1L));
        assertThat(sale).isEqualTo(Map.of("TransactWriteItems", 1L));
    }

    @Test
    void aColdAddReadsTheStateAndThePriceOnce() {
        fx.counter.reset();
        ok(fx.add(STORE_A, "basket-1", SKU, 1, "key-add-0001"), 201);
        System.out.println("[budget] add item (cold) " + fx.counter.requests() + " ("
                + fx.counter.consumedCapacity() + " capacity units reported)");
        assertThat(fx.counter.requests()).isEqualTo(Map.of("GetItem", 2L, "TransactWriteItems", 1L));
        // The counter asked for ReturnConsumedCapacity=TOTAL: moto reports it for the reads (0.5 each).
        assertThat(fx.counter.consumedCapacity()).isGreaterThan(0);
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    void racersForTheLastHundredUnitsSellExactlyOneHundred() throws Exception {
        race("TR-RUN-45-HOT", 1);
    }

    /** The same race on a hot sku spread over 8 stock shards: dry shards are refilled, exactly the stock sells. */
    @Test
    void racersForTheLastHundredUnitsOfAShardedSkuSellExactlyOneHundred() throws Exception {
        race("TR-RUN-46-HOT", 8);
        assertThat(fx.inventory.shardLevels("TR-RUN-46-HOT")).hasSize(8)
                .allSatisfy(shard -> assertThat(shard.available()).isZero())
                .allSatisfy(shard -> assertThat(shard.reserved()).isZero());
    }

    void race(String hot, int shards) throws Exception {
        fx.product(hot, 100, "TR-RUN", "45", "black", "running-shoes", shards);
        long totalBefore = 100;
        AtomicBoolean negative = new AtomicBoolean();
        AtomicInteger sold = new AtomicInteger();
        Set<Integer> statuses = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
            final int thread = t;
            futures.add(pool.submit(() -> {
                for (int round = 0; round < 4; round++) {
                    int qty = 1;
                    String client = "racer-" + thread + "-" + round;
                    if ((thread + round) % 2 == 0) {
                        APIGatewayV2HTTPResponse r = fx.sale(STORE_A,
                                "{\"lines\":[{\"sku\":\"" + hot + "\",\"qty\":" + qty + "}]}", "sale-" + client);
                        statuses.add(r.getStatusCode());
                        if (r.getStatusCode() == 200) {
                            sold.addAndGet(qty);
                        }
                    } else {
                        APIGatewayV2HTTPResponse a = fx.add(STORE_A, client, hot, qty, "add-" + client);
                        statuses.add(a.getStatusCode());
                        if (a.getStatusCode() == 201) {
                            APIGatewayV2HTTPResponse c = fx.checkout(STORE_A, client, "chk-" + client);
                            statuses.add(c.getStatusCode());
                            if (c.getStatusCode() == 200) {
                                sold.addAndGet(qty);
                            }
                        }
                    }
                    if (fx.level(hot, "available") < 0) {
                        negative.set(true);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();

        long[] levels = fx.levels(hot);
        assertThat(statuses).isSubsetOf(200, 201, 409);
        assertThat(negative).isFalse();
        assertThat(levels[0]).isGreaterThanOrEqualTo(0);
        assertThat(levels[0] + levels[1] + levels[2]).isEqualTo(totalBefore);
        assertThat(levels[1]).isZero();
        assertThat(sold.get()).isEqualTo(levels[2]);
        // 32 threads x 4 rounds ask for 128 single units: the 100 units sell out exactly.
        assertThat(levels[2]).isEqualTo(100);
        assertThat(levels[0]).isZero();
    }

    @Test
    void twoRequestsOnOneClientNeverLoseAnUpdate() throws Exception {
        ok(fx.add(STORE_A, "basket-1", SKU, 1, "key-add-0000"), 201);
        // A second handler (another Lambda container) with its own caches, warmed on the same transaction.
        TransactionFixture other = new TransactionFixture(fx.aws);
        other.get(STORE_A, "basket-1");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<APIGatewayV2HTTPResponse> a = pool.submit(() -> fx.add(STORE_A, "basket-1", SKU, 2, "key-add-000a"));
        Future<APIGatewayV2HTTPResponse> b = pool.submit(() -> other.add(STORE_A, "basket-1", OTHER, 3, "key-add-000b"));
        int sa = a.get().getStatusCode();
        int sb = b.get().getStatusCode();
        pool.shutdown();
        other.close();

        JsonNode state = ok(fx.get(STORE_A, "basket-1"), 200);
        long reservedSku = fx.level(SKU, "reserved");
        long reservedOther = fx.level(OTHER, "reserved");
        assertThat(List.of(sa, sb)).allMatch(s -> s == 200 || s == 409);
        long linesSku = 0;
        long linesOther = 0;
        for (JsonNode line : state.get("lines")) {
            if (line.get("sku").asText().equals(SKU)) {
                linesSku = line.get("qty").asLong();
            } else {
                linesOther = line.get("qty").asLong();
            }
        }
        // The state and the stock agree: every reservation is in a line, and every line is reserved.
        assertThat(linesSku).isEqualTo(reservedSku).isEqualTo(sa == 200 ? 3 : 1);
        assertThat(linesOther).isEqualTo(reservedOther).isEqualTo(sb == 200 ? 3 : 0);
        assertThat(state.get("version").asLong()).isEqualTo(1 + (sa == 200 ? 1 : 0) + (sb == 200 ? 1 : 0));
    }

    @Test
    void aStaleCacheIsCaughtByTheVersionConditionAndRetried() {
        ok(fx.add(STORE_A, "basket-1", SKU, 1, "key-add-0001"), 201);
        TransactionFixture other = new TransactionFixture(fx.aws);
        ok(other.add(STORE_A, "basket-1", OTHER, 1, "key-add-0002"), 200);
        other.close();

        // fx's cache still holds version 1; its write fails the condition, reloads and succeeds.
        JsonNode third = ok(fx.add(STORE_A, "basket-1", SKU, 1, "key-add-0003"), 200);

        assertThat(third.get("version").asLong()).isEqualTo(3);
        assertThat(third.get("lines")).hasSize(2);
        assertThat(fx.levels(SKU)).containsExactly(23, 2, 0);
        assertThat(fx.levels(OTHER)).containsExactly(9, 1, 0);
    }

    // ------------------------------------------------------------------ the request's time

    /**
     * Purchases, refusals and the idle clock go by when API Gateway received the request
     * ({@code requestContext.timeEpoch}), not by the function's clock (which stays at START here): what lets the
     * local stack's simulated clock date the demo's weeks, and dates a request by its arrival in AWS.
     */
    @Test
    void purchasesRefusalsAndIdleGoByTheRequestsReceiptTime() {
        Instant monday = Instant.parse("2026-11-23T10:15:00Z");
        JsonNode sale = ok(fx.send(TransactionFixture.receivedAt(TransactionFixture.event(STORE_A,
                TransactionHandler.SALE, Map.of(), "key-sale-0001", "{\"lines\":[{\"sku\":\"" + SKU
                        + "\",\"qty\":1}]}"), monday)), 200);
        assertThat(sale.get("purchasedAt").asText()).isEqualTo("2026-11-23T10:15:00Z");
        assertThat(fx.scan(fx.purchasesTable).getFirst().get("purchasedAt").s()).isEqualTo("2026-11-23T10:15:00Z");

        APIGatewayV2HTTPResponse refused = fx.send(TransactionFixture.receivedAt(TransactionFixture.event(STORE_A,
                TransactionHandler.SALE, Map.of(), "key-sale-0002", "{\"lines\":[{\"sku\":\"" + SKU
                        + "\",\"qty\":40}]}"), monday));
        assertThat(refused.getStatusCode()).isEqualTo(409);
        assertThat(fx.lostDemand(SKU, STORE_A, java.time.LocalDate.parse("2026-11-23")))
                .containsEntry("refusedUnits", "40");
        assertThat(fx.lostDemand(SKU, STORE_A)).as("nothing on the function clock's day").isEmpty();

        ok(fx.send(TransactionFixture.receivedAt(TransactionFixture.event(STORE_A, TransactionHandler.ADD,
                Map.of("clientId", "basket-1"), "key-add-0001", "{\"sku\":\"" + SKU + "\",\"qty\":1}"), monday)),
                201);
        APIGatewayV2HTTPResponse late = fx.send(TransactionFixture.receivedAt(TransactionFixture.event(STORE_A,
                TransactionHandler.CHECKOUT, Map.of("clientId", "basket-1"), "key-chk-0001", null),
                monday.plus(TransactionFixture.IDLE).plusSeconds(1)));
        assertThat(late.getStatusCode()).as("idle past the limit by the requests' times").isEqualTo(409);
        assertThat(json(late).get("type").asText()).endsWith("transaction-expired");
    }

    // ------------------------------------------------------------------ expiry on read

    @Test
    void anExpiredTransactionReadsAsExpiredAndIsReleasedByTheNextRequest() {
        ok(fx.add(STORE_A, "basket-1", SKU, 4, "key-add-0001"), 201);
        fx.clock.advance(TransactionFixture.IDLE.plusSeconds(1));

        assertThat(ok(fx.get(STORE_A, "basket-1"), 200).get("status").asText()).isEqualTo("EXPIRED");
        assertThat(fx.levels(SKU)).as("a read never writes").containsExactly(21, 4, 0);

        APIGatewayV2HTTPResponse checkout = fx.checkout(STORE_A, "basket-1", "key-chk-0001");
        assertThat(checkout.getStatusCode()).isEqualTo(409);
        assertThat(json(checkout).get("type").asText()).endsWith("transaction-expired");
        assertThat(fx.levels(SKU)).containsExactly(25, 0, 0);
        assertThat(fx.scan(fx.purchasesTable)).isEmpty();
        assertThat(fx.sweeper().sweep().expired()).isZero();
    }

    @Test
    void anAddToAnExpiredTransactionReleasesItAndStartsANewOne() {
        JsonNode first = ok(fx.add(STORE_A, "basket-1", SKU, 4, "key-add-0001"), 201);
        fx.clock.advance(Duration.ofHours(1));

        JsonNode second = ok(fx.add(STORE_A, "basket-1", SKU, 1, "key-add-0002"), 201);

        assertThat(second.get("txnId").asText()).isNotEqualTo(first.get("txnId").asText());
        assertThat(second.get("lines").get(0).get("qty").asLong()).isEqualTo(1);
        assertThat(fx.levels(SKU)).containsExactly(24, 1, 0);
    }

    // ------------------------------------------------------------------ isolation

    @Test
    void anotherStoreCannotSeeOrTouchTheTransaction() {
        ok(fx.add(STORE_A, "basket-1", SKU, 2, "key-add-0001"), 201);
        var before = fx.everything();

        assertThat(fx.get(STORE_B, "basket-1").getStatusCode()).isEqualTo(404);
        assertThat(fx.remove(STORE_B, "basket-1", SKU, "key-b-rem-01").getStatusCode()).isEqualTo(404);
        assertThat(fx.checkout(STORE_B, "basket-1", "key-b-chk-01").getStatusCode()).isEqualTo(404);
        assertThat(fx.cancel(STORE_B, "basket-1", "key-b-can-01").getStatusCode()).isEqualTo(404);
        assertThat(json(fx.get(STORE_B, "basket-1")).get("type").asText()).endsWith("not-found");
        assertThat(fx.everything()).isEqualTo(before);

        // Store B's add opens B's own transaction under the same clientId; A's is untouched.
        ok(fx.add(STORE_B, "basket-1", SKU, 1, "key-b-add-01"), 201);
        assertThat(ok(fx.get(STORE_A, "basket-1"), 200).get("lines").get(0).get("qty").asLong()).isEqualTo(2);
        assertThat(ok(fx.get(STORE_B, "basket-1"), 200).get("lines").get(0).get("qty").asLong()).isEqualTo(1);
    }

    @Test
    void aRequestWithoutCallerIs401() {
        APIGatewayV2HTTPResponse r = fx.send(TransactionFixture.event(null, TransactionHandler.GET,
                Map.of("clientId", "basket-1"), null, null));
        assertThat(r.getStatusCode()).isEqualTo(401);
        assertThat(r.getHeaders().get("content-type")).isEqualTo("application/problem+json");
    }

    // ------------------------------------------------------------------ out of stock

    /**
     * The customer takes an alternative the refusal offered, in the same cart: the device adds it with
     * {@code alternativeFor}, and the checkout counts it on the refused sku's lost-demand counter in its own
     * transaction (a replayed checkout counts nothing more). Only a sku of the refused one's style is an
     * alternative; anything else is refused, with nothing written.
     */
    @Test
    void anAlternativeBoughtInTheSameCartIsCountedOnTheRefusedSkusDemand() {
        fx.product("TR-RUN-42-RED", 7, "TR-RUN", "42", "red", "running-shoes");
        fx.product("XX-OTHER-42", 9, "XX-OTHER", "42", "red", "running-shoes");
        APIGatewayV2HTTPResponse refused = fx.add(STORE_A, "basket-1", SKU, 30, "key-add-0001");
        assertThat(refused.getStatusCode()).isEqualTo(409);
        assertThat(json(refused).get("alternatives").get(0).get("sku").asText()).isEqualTo("TR-RUN-42-RED");

        var before = fx.everything();
        for (String body : List.of("{\"sku\":\"XX-OTHER-42\",\"qty\":1,\"alternativeFor\":\"" + SKU + "\"}",
                "{\"sku\":\"TR-RUN-42-RED\",\"qty\":1,\"alternativeFor\":\"TR-RUN-99-NONE\"}")) {
            APIGatewayV2HTTPResponse wrong = fx.send(TransactionFixture.event(STORE_A, TransactionHandler.ADD,
                    Map.of("clientId", "basket-1"), "key-add-0002", body));
            assertThat(wrong.getStatusCode()).as(body).isEqualTo(400);
            assertThat(json(wrong).get("field").asText()).isEqualTo("/alternativeFor");
            assertThat(json(wrong).get("detail").asText()).contains("same style");
        }
        assertThat(fx.everything()).isEqualTo(before);

        ok(fx.send(TransactionFixture.event(STORE_A, TransactionHandler.ADD, Map.of("clientId", "basket-1"),
                "key-add-0003", "{\"sku\":\"TR-RUN-42-RED\",\"qty\":2,\"alternativeFor\":\"" + SKU + "\"}")), 201);
        ok(fx.add(STORE_A, "basket-1", OTHER, 1, "key-add-0004"), 200);
        ok(fx.checkout(STORE_A, "basket-1", "key-chk-0001"), 200);
        ok(fx.checkout(STORE_A, "basket-1", "key-chk-0001"), 200);

        assertThat(fx.lostDemand(SKU, STORE_A)).isEqualTo(Map.of("refusedUnits", "30", "refusals", "1",
                "offered", "1", "alternativesBought", "1"));
        assertThat(fx.lostDemand("TR-RUN-42-RED", STORE_A)).as("only the refused sku's counter").isEmpty();
        var lines = fx.scan(fx.purchasesTable).getFirst().get("lines").l();
        assertThat(lines).extracting(l -> l.m().containsKey("alternativeFor") ? l.m().get("alternativeFor").s() : "-")
                .containsExactly(SKU, "-");
    }

    @Test
    void outOfStockOffersInStockAlternativesRankedByPreferences() {
        fx.product("TR-RUN-44-GRN", 0, "TR-RUN", "44", "green", "running-shoes"); // same style, none left
        fx.product("TR-RUN-42-RED", 7, "TR-RUN", "42", "red", "running-shoes");
        fx.product("TR-RUN-46-BLU", 3, "TR-RUN", "46", "blue", "running-shoes");
        fx.product("XX-OTHER-42", 9, "XX-OTHER", "42", "red", "running-shoes"); // other style
        fx.customer("cust-4711", List.of("42"), List.of("red"), List.of());
        var before = fx.everything();

        APIGatewayV2HTTPResponse r = fx.sale(STORE_A,
                "{\"lines\":[{\"sku\":\"" + SKU + "\",\"qty\":30}],\"customerId\":\"cust-4711\"}", "key-sale-0001");

        assertThat(r.getStatusCode()).isEqualTo(409);
        JsonNode problem = json(r);
        assertThat(problem.get("type").asText()).endsWith("out-of-stock");
        assertThat(problem.get("available").asLong()).isEqualTo(25);
        assertThat(problem.get("field").asText()).isEqualTo("/lines/0/sku");
        List<String> skus = new ArrayList<>();
        problem.get("alternatives").forEach(a -> skus.add(a.get("sku").asText()));
        // 42/red matches size and color; 43/red (seeded in setUp) the color; 46/blue nothing.
        assertThat(skus).containsExactly("TR-RUN-42-RED", "TR-RUN-43-RED", "TR-RUN-46-BLU");
        assertThat(fx.everything()).isEqualTo(before);

        // Without preferences: sku order.
        APIGatewayV2HTTPResponse plain = fx.add(STORE_A, "basket-1", SKU, 50, "key-add-0001");
        assertThat(plain.getStatusCode()).isEqualTo(409);
        List<String> plainSkus = new ArrayList<>();
        json(plain).get("alternatives").forEach(a -> plainSkus.add(a.get("sku").asText()));
        assertThat(plainSkus).containsExactly("TR-RUN-42-RED", "TR-RUN-43-RED", "TR-RUN-46-BLU");
        assertThat(json(plain).get("field").asText()).isEqualTo("/sku");
        // The demand the store could not serve is counted for the analysts (and only that was written).
        assertThat(fx.lostDemand(SKU, STORE_A)).isEqualTo(Map.of("refusedUnits", "80", "refusals", "2",
                "offered", "2"));
        assertThat(fx.lostDemand(SKU, STORE_B)).isEmpty();
        // The device lost the answer and sends the same request again: refused again, not counted again.
        assertThat(fx.add(STORE_A, "basket-1", SKU, 50, "key-add-0001").getStatusCode()).isEqualTo(409);
        assertThat(fx.lostDemand(SKU, STORE_A)).isEqualTo(Map.of("refusedUnits", "80", "refusals", "2",
                "offered", "2"));
    }

    @Test
    void aCustomerNamedWhenAddingRanksAlternativesAndIsKeptOnThePurchase() {
        fx.product("TR-RUN-42-RED", 7, "TR-RUN", "42", "red", "running-shoes");
        fx.product("TR-RUN-46-BLU", 3, "TR-RUN", "46", "blue", "running-shoes");
        fx.customer("cust-4711", List.of("46"), List.of("blue"), List.of());

        APIGatewayV2HTTPResponse short_ = fx.addForCustomer(STORE_A, "basket-9", SKU, 30, "cust-4711", "key-cust-0001");
        APIGatewayV2HTTPResponse added = fx.addForCustomer(STORE_A, "basket-9", SKU, 1, "cust-4711", "key-cust-0002");
        APIGatewayV2HTTPResponse other = fx.addForCustomer(STORE_A, "basket-9", SKU, 1, "cust-0815", "key-cust-0003");
        APIGatewayV2HTTPResponse checkout = fx.checkout(STORE_A, "basket-9", "key-cust-0004");

        assertThat(short_.getStatusCode()).isEqualTo(409);
        List<String> skus = new ArrayList<>();
        json(short_).get("alternatives").forEach(a -> skus.add(a.get("sku").asText()));
        assertThat(skus.getFirst()).as("46/blue matches both preferences").isEqualTo("TR-RUN-46-BLU");
        assertThat(ok(added, 201).get("customerId").asText()).isEqualTo("cust-4711");
        assertThat(other.getStatusCode()).isEqualTo(409);
        assertThat(json(other).get("type").asText()).endsWith("customer-mismatch");
        assertThat(ok(checkout, 200).get("purchaseId").asText()).isNotBlank();
        assertThat(fx.scan(fx.purchasesTable)).singleElement()
                .satisfies(p -> assertThat(p.get("customerId").s()).isEqualTo("cust-4711"));
    }
}
