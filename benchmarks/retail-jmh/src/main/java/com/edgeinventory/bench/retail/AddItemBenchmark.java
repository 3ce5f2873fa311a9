package com.edgeinventory.bench.retail;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.edgeinventory.inventory.store.InventoryTable;
import com.edgeinventory.retail.adapter.CustomersTable;
import com.edgeinventory.retail.adapter.DynamoRetailStore;
import com.edgeinventory.retail.adapter.IdempotencyStore;
import com.edgeinventory.retail.adapter.PurchasesTable;
import com.edgeinventory.retail.adapter.StateTable;
import com.edgeinventory.retail.handler.BenchAccess;
import com.edgeinventory.retail.handler.TransactionHandler;
import com.edgeinventory.retail.service.TransactionService;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Warm overhead of one {@code POST /v1/transactions/{clientId}/items} in TransactionFunction, without the network.
 *
 * <p>{@link #handlerPath}: what the Lambda Java runtime and the function do per request once warm: deserialise
 * {@code events/http-add-item.json} with the runtime's serializer ({@code aws-lambda-java-serialization}),
 * {@code handleRequest} with warm state and price caches (so the only DynamoDB call is one TransactWriteItems, built,
 * marshalled, SigV4-signed and its response parsed by the real SDK, answered by {@link StubDynamoHttpClient}),
 * serialise the response. Each invocation has its own Idempotency-Key, so each is a real add (qty 2 more of the
 * same line; the stub keeps no state, the handler's cache does).
 *
 * <p>{@link #baseline}: the same event deserialised, and a response of the same size serialised; nothing else.
 * Both patch the same 16 digits of the key into a copy of the event bytes, so that cost is on both sides.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AddItemBenchmark {

    static final String INVENTORY = "edge-inventory-dev-inventory";
    static final String PRODUCT_ITEM = "{\"sku\":{\"S\":\"TR-RUN-42-BLU\"},\"name\":{\"S\":\"Trail Runner 42\"},"
            + "\"priceAmount\":{\"S\":\"89.90\"},\"currency\":{\"S\":\"EUR\"},\"styleId\":{\"S\":\"TR-RUN\"},"
            + "\"size\":{\"S\":\"42\"},\"color\":{\"S\":\"blue\"},\"category\":{\"S\":\"running-shoes\"},"
            + "\"available\":{\"N\":\"1000000000\"},\"deleted\":{\"BOOL\":false}}";
    private static final String KEY_IN_FILE = "\"add-0001-a\"";
    private static final String KEY_PREFIX = "bench-";
    private static final int DIGITS = 16;

    private PojoSerializer<APIGatewayV2HTTPEvent> events;
    private PojoSerializer<APIGatewayV2HTTPResponse> responses;
    private StubDynamoHttpClient http;
    private DynamoDbClient dynamo;
    private TransactionHandler handler;
    private byte[] template;
    private int digitsAt;
    private byte[] eventBytes;
    private long sequence;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    private APIGatewayV2HTTPResponse sameSizeResponse;
    private long invocations;
    private int lastStatus;

    @Setup(Level.Trial)
    public void setUp() {
        ClassLoader loader = AddItemBenchmark.class.getClassLoader();
        events = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, loader);
        responses = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPResponse.class, loader);

        String json = resource("/http-add-item.json");
        if (!json.contains(KEY_IN_FILE)) {
            throw new IllegalStateException("http-add-item.json no longer has the idempotency key " + KEY_IN_FILE);
        }
        String placeholder = KEY_PREFIX + "0".repeat(DIGITS);
        json = json.replace(KEY_IN_FILE, "\"" + placeholder + "\"");
        template = json.getBytes(StandardCharsets.UTF_8);
        digitsAt = json.indexOf(placeholder) + KEY_PREFIX.length();
        eventBytes = template.clone();
        // Per run a different key space (a real Lambda would never see a key twice either).
        sequence = (System.nanoTime() & 0xFFFFFFFFL) * 1_000_000L;

        http = new StubDynamoHttpClient(INVENTORY, PRODUCT_ITEM);
        // As TransactionHandler's Lambda constructor builds it, with the stub instead of url-connection.
        dynamo = DynamoDbClient.builder()
                .httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "secret")))
                .region(Region.EU_WEST_1)
                .build();
        String idempotencyTable = "edge-inventory-dev-idempotency";
        DynamoRetailStore store = new DynamoRetailStore(dynamo, new InventoryTable(dynamo, INVENTORY),
                new StateTable(dynamo, "edge-inventory-dev-retail-state"),
                new PurchasesTable(dynamo, "edge-inventory-dev-purchases"), new IdempotencyStore(dynamo, idempotencyTable));
        CustomersTable customers = new CustomersTable(dynamo, "edge-inventory-dev-customers", idempotencyTable);
        TransactionService service = new TransactionService(store, customers::preferences, Clock.systemUTC(),
                TransactionHandler.DEFAULT_IDLE, () -> UUID.randomUUID().toString());
        handler = BenchAccess.transactionHandler(service);

        // Cold call: product GetItem + state GetItem (none) + TransactWriteItems -> 201, caches filled.
        APIGatewayV2HTTPResponse first = invoke();
        check(first.getStatusCode() == 201, "first add: " + first.getStatusCode() + " " + first.getBody());
        check(http.getItems == 2 && http.transactWrites == 1, "first add requests: " + counts());
        // Warm call: exactly one TransactWriteItems, no read.
        APIGatewayV2HTTPResponse warm = invoke();
        check(warm.getStatusCode() == 200, "warm add: " + warm.getStatusCode() + " " + warm.getBody());
        check(http.getItems == 2 && http.transactWrites == 2, "warm add requests: " + counts());
        sameSizeResponse = APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                .withHeaders(Map.copyOf(warm.getHeaders())).withBody(warm.getBody()).build();
        out.reset();
        responses.toJson(warm, out);
        System.out.println("\n[setup] event " + template.length + " B, response JSON " + out.size()
                + " B, warm add requests: " + counts());
        http.getItems = 0;
        http.transactWrites = 0;
        http.others = 0;
        invocations = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println("\n[teardown] handler invocations " + invocations + ", stub saw " + counts()
                + ", last status " + lastStatus);
        if (invocations > 0) {
            check(http.transactWrites == invocations, "not one TransactWriteItems per add: " + counts());
            check(http.getItems <= 2 + invocations / 1000, "the warm path read: " + counts());
            check(lastStatus == 200, "last status " + lastStatus);
        }
        dynamo.close();
    }

    /** The runtime's full per-request path: event JSON in, handleRequest, response JSON out. */
    @Benchmark
    public int handlerPath() {
        APIGatewayV2HTTPResponse response = invoke();
        lastStatus = response.getStatusCode();
        invocations++;
        out.reset();
        responses.toJson(response, out);
        return out.size();
    }

    /** The runtime's share only: the same event JSON in, a response of the same size out. */
    @Benchmark
    public int baseline() {
        APIGatewayV2HTTPEvent event = events.fromJson(nextEvent());
        out.reset();
        responses.toJson(sameSizeResponse, out);
        return out.size() + (event.getBody() == null ? 0 : 1);
    }

    private APIGatewayV2HTTPResponse invoke() {
        APIGatewayV2HTTPEvent event = events.fromJson(nextEvent());
        return handler.handleRequest(event, null);
    }

    /** A copy of the event bytes with the next idempotency key (16 decimal digits) patched in. */
    private InputStream nextEvent() {
        System.arraycopy(template, 0, eventBytes, 0, template.length);
        long v = ++sequence;
        for (int i = digitsAt + DIGITS - 1; i >= digitsAt; i--) {
            eventBytes[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        return new ByteArrayInputStream(eventBytes);
    }

    private String counts() {
        return "GetItem=" + http.getItems + " TransactWriteItems=" + http.transactWrites + " other=" + http.others;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    private static String resource(String name) {
        try (InputStream in = AddItemBenchmark.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
