package com.edgeinventory.retail.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.edgeinventory.inventory.store.InventoryTable;
import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.provision.StackResources;
import com.edgeinventory.model.Json;
import com.edgeinventory.model.Money;
import com.edgeinventory.model.Product;
import com.edgeinventory.model.Sequencer;
import com.edgeinventory.retail.adapter.CustomersTable;
import com.edgeinventory.retail.adapter.DynamoDbRequestCounter;
import com.edgeinventory.retail.adapter.DynamoRetailStore;
import com.edgeinventory.retail.adapter.IdempotencyStore;
import com.edgeinventory.retail.adapter.PurchasesTable;
import com.edgeinventory.retail.adapter.StateTable;
import com.edgeinventory.retail.service.TransactionService;
import com.edgeinventory.retail.service.TransactionSweeper;
import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.TestClock;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The transaction function against moto: the template's tables, a DynamoDB client that counts its requests,
 * a clock the test moves, seeded products, and helpers to build API Gateway events.
 */
final class TransactionFixture {

    static final Instant START = Instant.parse("2026-11-27T08:00:00Z");
    static final Duration IDLE = Duration.ofMinutes(15);
    static final String STORE_A = "STORE-MUC-01";
    static final String STORE_B = "STORE-BER-02";

    /** A clock the test moves. */
    final LocalAws aws;
    final DynamoDbRequestCounter counter = new DynamoDbRequestCounter();
    final DynamoDbClient dynamo;
    final TestClock clock = new TestClock(START);
    final String inventoryTable;
    final String stateTable;
    final String idempotencyTable;
    final String purchasesTable;
    final String customersTable;
    final InventoryTable inventory;
    final DynamoRetailStore store;
    final TransactionService service;
    final TransactionHandler handler;

    TransactionFixture(LocalAws aws) {
        this.aws = aws;
        StackResources stack = aws.provision(Map.of());
        inventoryTable = stack.physicalId("InventoryTable");
        stateTable = stack.physicalId("RetailStateTable");
        idempotencyTable = stack.physicalId("IdempotencyTable");
        purchasesTable = stack.physicalId("PurchasesTable");
        customersTable = stack.physicalId("CustomersTable");
        dynamo = DynamoDbClient.builder().endpointOverride(aws.endpoint()).region(Region.of(aws.region()))
                .credentialsProvider(AwsClients.credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                .build();
        inventory = new InventoryTable(dynamo, inventoryTable);
        store = new DynamoRetailStore(dynamo, inventory, new StateTable(dynamo, stateTable),
                new PurchasesTable(dynamo, purchasesTable), new IdempotencyStore(dynamo, idempotencyTable));
        CustomersTable customers = new CustomersTable(dynamo, customersTable, idempotencyTable);
        service = new TransactionService(store, customers::preferences, clock, IDLE, () -> UUID.randomUUID().toString());
        handler = new TransactionHandler(service);
    }

    /** The same function in a second execution environment: its own warm caches, the same tables. */
    TransactionHandler anotherEnvironment() {
        CustomersTable customers = new CustomersTable(dynamo, customersTable, idempotencyTable);
        return new TransactionHandler(new TransactionService(store, customers::preferences, clock, IDLE,
                () -> UUID.randomUUID().toString()));
    }

    TransactionSweeper sweeper() {
        return new TransactionSweeper(store, clock);
    }

    void close() {
        dynamo.close();
    }

    // ------------------------------------------------------------------ products and levels

    void product(String sku, long stock, String styleId, String size, String color, String category) {
        product(sku, stock, styleId, size, color, category, 1);
    }

    /** @param stockShards more than 1: a hot sku whose stock is spread over that many items */
    void product(String sku, long stock, String styleId, String size, String color, String category,
                 int stockShards) {
        inventory.upsertProduct(new Product(sku, "Trail Runner " + size, "A shoe.", category,
                new Money(new BigDecimal("89.90"), "EUR"), size, color, stock, "WH-MUC-1", styleId, stockShards),
                Sequencer.of("01"), START);
    }

    void product(String sku, long stock) {
        product(sku, stock, "TR-RUN", "42", "blue", "running-shoes");
    }

    /** A level of the sku: the product item's, summed over its shards for a sharded sku. */
    long level(String sku, String name) {
        Map<String, AttributeValue> item = inventory.levels(sku).orElseThrow();
        return Long.parseLong(item.get(name).n());
    }

    /** available, reserved, sold. */
    long[] levels(String sku) {
        Map<String, AttributeValue> item = inventory.levels(sku).orElseThrow();
        return new long[] {Long.parseLong(item.get("available").n()), Long.parseLong(item.get("reserved").n()),
                Long.parseLong(item.get("sold").n())};
    }

    void customer(String customerId, List<String> sizes, List<String> colors, List<String> categories) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("customerId", AttributeValue.fromS(customerId));
        item.put("storeId", AttributeValue.fromS(STORE_A));
        item.put("preferences", AttributeValue.fromM(Map.of(
                "sizes", strings(sizes), "colors", strings(colors), "categories", strings(categories))));
        item.put("consent", AttributeValue.fromM(Map.of("marketing", AttributeValue.fromBool(false),
                "at", AttributeValue.fromS(START.toString()))));
        item.put("profile", AttributeValue.fromM(Map.of()));
        item.put("updatedAt", AttributeValue.fromS(START.toString()));
        item.put("version", AttributeValue.fromN("1"));
        dynamo.putItem(b -> b.tableName(customersTable).item(item));
    }

    private static AttributeValue strings(List<String> values) {
        return AttributeValue.fromL(values.stream().map(AttributeValue::fromS).toList());
    }

    List<Map<String, AttributeValue>> scan(String table) {
        return dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().stream().toList();
    }

    /**
     * Every item of every retail table and the inventory table, for "nothing was written" checks; without the
     * lost-demand counters, the one write an out-of-stock refusal makes on purpose ({@link #lostDemand}).
     */
    Map<String, List<Map<String, AttributeValue>>> everything() {
        Map<String, List<Map<String, AttributeValue>>> all = new TreeMap<>();
        for (String t : List.of(inventoryTable, stateTable, idempotencyTable, purchasesTable, customersTable)) {
            all.put(t, scan(t).stream()
                    .filter(i -> !(i.containsKey("sk") && i.get("sk").s().startsWith(InventoryTable.DEMAND_SK)))
                    .map(i -> (Map<String, AttributeValue>) new TreeMap<>(i))
                    .sorted((a, b) -> a.toString().compareTo(b.toString())).toList());
        }
        return all;
    }

    /** A store's lost-demand counter of a sku today (refusedUnits, refusals, offered); empty map when none. */
    Map<String, String> lostDemand(String sku, String store) {
        return lostDemand(sku, store, java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC));
    }

    /** A store's lost-demand counter of a sku on a day. */
    Map<String, String> lostDemand(String sku, String store, java.time.LocalDate day) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(inventoryTable).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("SKU#" + sku), "sk", AttributeValue.fromS(InventoryTable.DEMAND_SK
                        + day + "#" + store))))
                .item();
        Map<String, String> counters = new TreeMap<>();
        if (item != null) {
            for (String name : List.of("refusedUnits", "refusals", "offered", "alternativesBought")) {
                if (item.containsKey(name)) {
                    counters.put(name, item.get(name).n());
                }
            }
        }
        return counters;
    }

    // ------------------------------------------------------------------ requests

    static APIGatewayV2HTTPEvent event(String store, String routeKey, Map<String, String> path, String key, String body) {
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", "application/json");
        if (key != null) {
            headers.put("idempotency-key", key);
        }
        APIGatewayV2HTTPEvent.RequestContext.RequestContextBuilder context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRouteKey(routeKey);
        if (store != null) {
            context.withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                    .withLambda(Map.of("storeId", store, "deviceId", "POS-01")).build());
        }
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey(routeKey).withPathParameters(path)
                .withHeaders(headers).withBody(body).withIsBase64Encoded(false)
                .withRequestContext(context.build()).build();
    }

    /** The event as API Gateway would have received it at {@code at} ({@code requestContext.timeEpoch}). */
    static APIGatewayV2HTTPEvent receivedAt(APIGatewayV2HTTPEvent event, Instant at) {
        event.getRequestContext().setTimeEpoch(at.toEpochMilli());
        return event;
    }

    APIGatewayV2HTTPResponse send(APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, null);
    }

    APIGatewayV2HTTPResponse add(String store, String clientId, String sku, int qty, String key) {
        return send(event(store, TransactionHandler.ADD, Map.of("clientId", clientId), key,
                "{\"sku\":\"" + sku + "\",\"qty\":" + qty + "}"));
    }

    APIGatewayV2HTTPResponse addForCustomer(String store, String clientId, String sku, int qty, String customerId,
                                            String key) {
        return send(event(store, TransactionHandler.ADD, Map.of("clientId", clientId), key,
                "{\"sku\":\"" + sku + "\",\"qty\":" + qty + ",\"customerId\":\"" + customerId + "\"}"));
    }

    APIGatewayV2HTTPResponse remove(String store, String clientId, String sku, String key) {
        return send(event(store, TransactionHandler.REMOVE, Map.of("clientId", clientId, "sku", sku), key, null));
    }

    APIGatewayV2HTTPResponse checkout(String store, String clientId, String key) {
        return send(event(store, TransactionHandler.CHECKOUT, Map.of("clientId", clientId), key, null));
    }

    APIGatewayV2HTTPResponse cancel(String store, String clientId, String key) {
        return send(event(store, TransactionHandler.CANCEL, Map.of("clientId", clientId), key, null));
    }

    APIGatewayV2HTTPResponse get(String store, String clientId) {
        return send(event(store, TransactionHandler.GET, Map.of("clientId", clientId), null, null));
    }

    APIGatewayV2HTTPResponse sale(String store, String body, String key) {
        return send(event(store, TransactionHandler.SALE, Map.of(), key, body));
    }

    static JsonNode json(APIGatewayV2HTTPResponse response) {
        try {
            return Json.mapper().readTree(response.getBody());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + response.getBody(), e);
        }
    }

    static JsonNode ok(APIGatewayV2HTTPResponse response, int status) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        return json(response);
    }
}
