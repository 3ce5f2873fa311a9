package com.edgeinventory.bench.retail;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.edgeinventory.inventory.store.InventoryTable;
import com.edgeinventory.model.Money;
import com.edgeinventory.model.Product;
import com.edgeinventory.model.Sequencer;
import com.edgeinventory.retail.adapter.CustomersTable;
import com.edgeinventory.retail.adapter.DynamoDbRequestCounter;
import com.edgeinventory.retail.adapter.DynamoRetailStore;
import com.edgeinventory.retail.adapter.IdempotencyStore;
import com.edgeinventory.retail.adapter.PurchasesTable;
import com.edgeinventory.retail.adapter.StateTable;
import com.edgeinventory.retail.handler.BenchAccess;
import com.edgeinventory.retail.handler.TransactionHandler;
import com.edgeinventory.retail.service.TransactionService;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * DynamoDB requests and capacity per retail operation, against a real endpoint (moto in budget.sh): the production
 * handler ({@code TransactionHandler} over {@code TransactionService} and the adapters) with a DynamoDB client that
 * carries the project's {@link DynamoDbRequestCounter} and a recorder of every request it sent.
 *
 * <p>For each operation it prints the requests per API, the reads, the capacity the endpoint reported (moto reports
 * it for reads, not for TransactWriteItems), and the capacity DynamoDB would charge by its documented rules: a
 * strongly consistent read 1 RCU per started 4 KB of the whole item (also when a projection returns less; 1 when
 * there is no item), an item in TransactWriteItems 2 WCU per started 1 KB of the larger of its before and after
 * image. Item sizes follow DynamoDB's rules (attribute names + values; numbers 1 byte per 2 significant digits + 1;
 * lists and maps 3 bytes + 1 per element), read back with a separate, uncounted client after every operation.
 *
 * <p>Environment: AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, INVENTORY_TABLE,
 * STATE_TABLE, IDEMPOTENCY_TABLE, PURCHASES_TABLE, CUSTOMERS_TABLE (the provisioned tables).
 */
public final class RequestBudget {

    private record Sent(SdkRequest request) {}

    /** Records every request (after the counter's modifyRequest) in order. */
    private static final class Recorder implements ExecutionInterceptor {
        final List<Sent> sent = new ArrayList<>();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            sent.add(new Sent(context.request()));
        }
    }

    private final DynamoDbRequestCounter counter = new DynamoDbRequestCounter();
    private final Recorder recorder = new Recorder();
    private final DynamoDbClient dynamo;
    private final DynamoDbClient observer;
    private final Map<String, List<String>> keySchemas = new HashMap<>();
    /** Last known full size of every item the operations touched, by table + key. */
    private final Map<String, Integer> sizes = new HashMap<>();
    private final StringBuilder table = new StringBuilder();
    private final Map<String, String> itemSizes = new LinkedHashMap<>();

    private RequestBudget() {
        Region region = Region.of(env("AWS_REGION"));
        dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).region(region)
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter).addExecutionInterceptor(recorder))
                .build();
        observer = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).region(region)
                .credentialsProvider(DefaultCredentialsProvider.builder().build()).build();
    }

    private TransactionHandler freshHandler() {
        String idempotencyTable = env("IDEMPOTENCY_TABLE");
        DynamoRetailStore store = new DynamoRetailStore(dynamo, new InventoryTable(dynamo, env("INVENTORY_TABLE")),
                new StateTable(dynamo, env("STATE_TABLE")), new PurchasesTable(dynamo, env("PURCHASES_TABLE")),
                new IdempotencyStore(dynamo, idempotencyTable));
        CustomersTable customers = new CustomersTable(dynamo, env("CUSTOMERS_TABLE"), idempotencyTable);
        return BenchAccess.transactionHandler(new TransactionService(store, customers::preferences, Clock.systemUTC(),
                TransactionHandler.DEFAULT_IDLE, () -> UUID.randomUUID().toString()));
    }

    public static void main(String[] args) {
        new RequestBudget().run();
        System.exit(0);
    }

    private void run() {
        String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36).toUpperCase();
        String[] skus = {"RB-" + run + "-1", "RB-" + run + "-2", "RB-" + run + "-3"};
        InventoryTable inventory = new InventoryTable(observer, env("INVENTORY_TABLE"));
        for (String sku : skus) {
            inventory.upsertProduct(new Product(sku, "Trail Runner 42", "Lightweight trail running shoe with a grippy outsole.",
                    "running-shoes", new Money(new BigDecimal("89.90"), "EUR"), "42", "blue", 100_000, "WH-MUC-1", "TR-RUN"),
                    Sequencer.of("01"), Instant.now());
            observe(env("INVENTORY_TABLE"), Map.of("pk", s("SKU#" + sku), "sk", s("PRODUCT")));
        }
        String c = "rb-" + run.toLowerCase();
        String line1 = "{\"sku\":\"" + skus[0] + "\",\"qty\":1}";

        table.append("| Operation | status | requests by API | reads | capacity reported by moto | capacity by DynamoDB's rules | target |\n");
        table.append("|---|---:|---|---:|---:|---:|---|\n");

        TransactionHandler cold = freshHandler();
        measure("add item (cold cache: new container, new transaction)", cold, add(c + "-1", line1), "1 TWI");
        measure("add item (warm cache, same transaction)", cold, add(c + "-1", line1), "1 request, 0 reads");
        measure("remove item (warm cache)", cold, event(DELETE, Map.of("clientId", c + "-1", "sku", skus[0]), null));
        unmeasured(cold, add(c + "-2", line1));
        measure("checkout, 1 line (warm cache)", cold, event(CHECKOUT, Map.of("clientId", c + "-2"), null), "1 request");
        for (String sku : skus) {
            unmeasured(cold, add(c + "-3", "{\"sku\":\"" + sku + "\",\"qty\":1}"));
        }
        measure("checkout, 3 lines (warm cache)", cold, event(CHECKOUT, Map.of("clientId", c + "-3"), null), "1 request");
        unmeasured(cold, add(c + "-4", line1));
        measure("cancel, 1 line (warm cache)", cold, event(CANCEL, Map.of("clientId", c + "-4"), null));
        String sale1 = "{\"lines\":[{\"sku\":\"" + skus[0] + "\",\"qty\":1}]}";
        String sale3 = "{\"lines\":[" + java.util.Arrays.stream(skus).map(s -> "{\"sku\":\"" + s + "\",\"qty\":1}")
                .collect(Collectors.joining(",")) + "]}";
        measure("one-shot sale, 1 line (warm price cache)", cold, event(SALE, Map.of(), sale1), "1 request");
        measure("one-shot sale, 3 lines (warm price cache)", cold, event(SALE, Map.of(), sale3), "1 request");
        measure("one-shot sale, 1 line (cold price cache: new container)", freshHandler(), event(SALE, Map.of(), sale1));
        unmeasured(cold, add(c + "-5", line1));
        measure("checkout, 1 line (cold cache: new container)", freshHandler(), event(CHECKOUT, Map.of("clientId", c + "-5"), null));
        measure("get (any cache)", cold, event(GET, Map.of("clientId", c + "-3"), null));

        System.out.println(table);
        System.out.println("Item sizes (DynamoDB rules, bytes, the larger of before/after where an item is replaced or updated):");
        itemSizes.forEach((k, v) -> System.out.println("- " + k + ": " + v));
    }

    static final String ADD = "POST /v1/transactions/{clientId}/items";
    static final String DELETE = "DELETE /v1/transactions/{clientId}/items/{sku}";
    static final String CHECKOUT = "POST /v1/transactions/{clientId}/checkout";
    static final String CANCEL = "POST /v1/transactions/{clientId}/cancel";
    static final String GET = "GET /v1/transactions/{clientId}";
    static final String SALE = "POST /v1/sales";

    private static APIGatewayV2HTTPEvent add(String clientId, String body) {
        return event(ADD, Map.of("clientId", clientId), body);
    }

    private static APIGatewayV2HTTPEvent event(String routeKey, Map<String, String> path, String body) {
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", "application/json");
        if (!routeKey.startsWith("GET")) {
            headers.put("idempotency-key", "rb-" + UUID.randomUUID());
        }
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey(routeKey).withPathParameters(path)
                .withHeaders(headers).withBody(body).withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRouteKey(routeKey)
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withLambda(Map.of("storeId", "STORE-MUC-01", "deviceId", "POS-01")).build())
                        .build())
                .build();
    }

    private void unmeasured(TransactionHandler h, APIGatewayV2HTTPEvent e) {
        APIGatewayV2HTTPResponse r = call(h, e);
        if (r.getStatusCode() >= 300) {
            throw new IllegalStateException("setup step failed: " + r.getStatusCode() + " " + r.getBody());
        }
        account(false, null);
    }

    private void measure(String name, TransactionHandler h, APIGatewayV2HTTPEvent e) {
        measure(name, h, e, "");
    }

    private void measure(String name, TransactionHandler h, APIGatewayV2HTTPEvent e, String target) {
        APIGatewayV2HTTPResponse r = call(h, e);
        if (r.getStatusCode() >= 300) {
            throw new IllegalStateException(name + " failed: " + r.getStatusCode() + " " + r.getBody());
        }
        Map<String, Long> byApi = counter.requests();
        double reported = counter.consumedCapacity();
        long reads = byApi.entrySet().stream().filter(x -> !x.getKey().startsWith("TransactWrite")
                && !x.getKey().equals("PutItem") && !x.getKey().equals("UpdateItem") && !x.getKey().equals("DeleteItem"))
                .mapToLong(Map.Entry::getValue).sum();
        String charged = account(true, name);
        String verdict = target.isEmpty() ? "" : switch (target) {
            case "1 request" -> counter.total() == 1 ? "1 request: **met**" : "1 request: **missed**";
            case "1 request, 0 reads" -> counter.total() == 1 && reads == 0 ? "1 request, 0 reads: **met**" : "1 request, 0 reads: **missed**";
            default -> byApi.getOrDefault("TransactWriteItems", 0L) == 1 ? "one TransactWriteItems" : "";
        };
        String apis = byApi.entrySet().stream().map(x -> x.getValue() + " " + x.getKey()).collect(Collectors.joining(" + "));
        table.append("| ").append(name).append(" | ").append(r.getStatusCode()).append(" | ").append(apis).append(" | ")
                .append(reads).append(" | ").append(reported == 0 ? "0 (none reported)" : String.format("%.1f RCU", reported))
                .append(" | ").append(charged).append(" | ").append(verdict).append(" |\n");
    }

    private APIGatewayV2HTTPResponse call(TransactionHandler h, APIGatewayV2HTTPEvent e) {
        counter.reset();
        recorder.sent.clear();
        return h.handleRequest(e, null);
    }

    /** Charges the recorded requests by DynamoDB's rules and refreshes the known item sizes. */
    private String account(boolean record, String op) {
        double rcu = 0;
        int wcu = 0;
        StringJoiner parts = new StringJoiner(", ");
        for (Sent sent : recorder.sent) {
            switch (sent.request()) {
                case GetItemRequest g -> {
                    int size = observe(g.tableName(), g.key());
                    double units = Math.max(1, Math.ceil(size / 4096.0)) * (Boolean.TRUE.equals(g.consistentRead()) ? 1 : 0.5);
                    rcu += units;
                    parts.add("GetItem " + shortName(g.tableName()) + " " + size + " B");
                }
                case TransactWriteItemsRequest t -> {
                    for (TransactWriteItem item : t.transactItems()) {
                        String tableName;
                        Map<String, AttributeValue> key;
                        if (item.put() != null) {
                            tableName = item.put().tableName();
                            key = keyOf(tableName, item.put().item());
                        } else if (item.update() != null) {
                            tableName = item.update().tableName();
                            key = item.update().key();
                        } else if (item.delete() != null) {
                            tableName = item.delete().tableName();
                            key = item.delete().key();
                        } else {
                            tableName = item.conditionCheck().tableName();
                            key = item.conditionCheck().key();
                        }
                        String id = tableName + new TreeMap<>(key);
                        int before = sizes.getOrDefault(id, 0);
                        int after = observe(tableName, key);
                        int size = Math.max(before, after);
                        wcu += 2 * Math.max(1, (int) Math.ceil(size / 1024.0));
                        if (record) {
                            itemSizes.putIfAbsent(shortName(tableName) + " item (" + (item.put() != null ? "put" : "update") + ")",
                                    size + " B (first seen in: " + op + ")");
                            itemSizes.merge(shortName(tableName) + " item, largest", size + " B",
                                    (a, b) -> Integer.parseInt(a.split(" ")[0]) >= Integer.parseInt(b.split(" ")[0]) ? a : b);
                        }
                    }
                }
                default -> parts.add(sent.request().getClass().getSimpleName());
            }
        }
        StringJoiner out = new StringJoiner(" + ");
        if (rcu > 0) {
            out.add(String.format("%.0f RCU", rcu));
        }
        if (wcu > 0) {
            out.add(wcu + " WCU");
        }
        return out.toString();
    }

    private Map<String, AttributeValue> keyOf(String tableName, Map<String, AttributeValue> item) {
        List<String> names = keySchemas.computeIfAbsent(tableName, t -> observer.describeTable(b -> b.tableName(t))
                .table().keySchema().stream().map(KeySchemaElement::attributeName).toList());
        Map<String, AttributeValue> key = new TreeMap<>();
        names.forEach(n -> key.put(n, item.get(n)));
        return key;
    }

    /** Reads the whole item (uncounted), remembers and returns its size (0 when absent). */
    private int observe(String tableName, Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = observer.getItem(b -> b.tableName(tableName).key(key).consistentRead(true)).item();
        int size = item == null || item.isEmpty() ? 0 : itemSize(item);
        sizes.put(tableName + new TreeMap<>(key), size);
        return size;
    }

    private static String shortName(String table) {
        return table.replace("edge-inventory-dev-", "");
    }

    /** DynamoDB's item size: attribute names plus values. */
    static int itemSize(Map<String, AttributeValue> item) {
        int size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += utf8(e.getKey()) + valueSize(e.getValue());
        }
        return size;
    }

    static int valueSize(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            return numberSize(v.n());
        }
        if (v.b() != null) {
            return v.b().asByteArray().length;
        }
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
            return 1;
        }
        if (v.hasL()) {
            return 3 + v.l().stream().mapToInt(x -> valueSize(x) + 1).sum();
        }
        if (v.hasM()) {
            return 3 + itemSize(v.m()) + v.m().size();
        }
        if (v.hasSs()) {
            return v.ss().stream().mapToInt(RequestBudget::utf8).sum();
        }
        if (v.hasNs()) {
            return v.ns().stream().mapToInt(RequestBudget::numberSize).sum();
        }
        return 1;
    }

    static int numberSize(String n) {
        String digits = n.replaceAll("[^0-9]", "").replaceAll("^0+", "").replaceAll("0+$", "");
        return (digits.length() + 1) / 2 + 1;
    }

    static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return v;
    }
}
