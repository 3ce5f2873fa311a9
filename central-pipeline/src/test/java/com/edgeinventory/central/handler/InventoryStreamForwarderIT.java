package com.edgeinventory.central.handler;

import java.util.Optional;

import com.edgeinventory.model.central.SkuDelta;

import com.edgeinventory.central.adapter.CustomerVisitsTable;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.edgeinventory.central.adapter.InventoryLevels;
import com.edgeinventory.central.adapter.KinesisSink;
import com.edgeinventory.central.adapter.OutboxQueue;
import com.edgeinventory.central.service.CentralOutbox;
import com.edgeinventory.central.handler.StreamFixture.Central;
import com.edgeinventory.central.handler.StreamFixture.Raw;
import com.edgeinventory.inventory.store.InventoryTable;
import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.provision.StackResources;
import com.edgeinventory.model.AdjustmentReason;
import com.edgeinventory.model.Money;
import com.edgeinventory.model.Product;
import com.edgeinventory.model.Sequencer;
import com.edgeinventory.model.StockAdjustment;
import com.edgeinventory.model.central.LevelChange;
import com.edgeinventory.model.central.OutboxCodec;
import com.edgeinventory.model.central.SaleLine;
import com.edgeinventory.model.metrics.EmfMetrics;
import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.LocalAwsExtension;
import com.edgeinventory.testing.TestLambdaContext;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

@ExtendWith(LocalAwsExtension.class)
class InventoryStreamForwarderIT {

    static final String EDGE = "eu-west-1";
    static final String CENTRAL = "us-east-1";
    static final String STREAM = "edge-inventory-dev-central";
    static final String A = "TR-RUN-42-BLU";
    static final String B = "TR-RUN-43-RED";
    static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");
    static final String STORE = "STORE-MUC-01";
    static final String CUSTOMER = "CUST-ANNA-7781";
    static final String EMAIL = "anna.example@mail.test";
    static final String DESCRIPTION = "Lightweight trail running shoe with a grippy outsole.";

    LocalAws aws;
    DynamoDbClient dynamo;
    InventoryTable inventory;
    String inventoryTable;
    String purchasesTable;
    String customersTable;
    String visitsTable;
    KinesisClient central;
    List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp(LocalAws aws) throws InterruptedException {
        this.aws = aws;
        aws.reset();
        StackResources stack = aws.provision(Map.of());
        visitsTable = stack.physicalId("CustomerVisitsTable");
        inventoryTable = stack.physicalId("InventoryTable");
        purchasesTable = stack.physicalId("PurchasesTable");
        customersTable = stack.physicalId("CustomersTable");
        dynamo = aws.dynamoDb();
        inventory = new InventoryTable(dynamo, inventoryTable);
        central = aws.clients(CENTRAL).kinesis();
        central.createStream(b -> b.streamName(STREAM).shardCount(2));
        for (int i = 0; i < 50 && central.describeStreamSummary(b -> b.streamName(STREAM))
                .streamDescriptionSummary().streamStatus() != StreamStatus.ACTIVE; i++) {
            Thread.sleep(100);
        }
    }

    @AfterEach
    void tearDown() {
        sleeps.clear();
    }

    InventoryStreamForwarder forwarder(KinesisClient kinesis) {
        return new InventoryStreamForwarder(EDGE, new KinesisSink(kinesis, STREAM, sleeps::add));
    }

    // ------------------------------------------------------------------ seeding through the real layouts

    void product(String sku, long stock) {
        inventory.upsertProduct(new Product(sku, "Trail Runner " + sku.substring(7), DESCRIPTION, "running-shoes",
                new Money(new BigDecimal("89.90"), "EUR"), "42", "blue", stock, "WH-MUC-1", "TR-RUN"),
                Sequencer.of("01"), T0);
    }

    /** A purchase item in the shape PurchasesTable writes (retail-functions' adapter is package-private). */
    String purchase(String storeId, Instant at, Map<String, Long> qtyBySku) {
        String id = UUID.randomUUID().toString();
        List<AttributeValue> lines = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (var e : qtyBySku.entrySet()) {
            BigDecimal price = e.getKey().equals(A) ? new BigDecimal("89.90") : new BigDecimal("49.95");
            lines.add(AttributeValue.fromM(Map.of("sku", AttributeValue.fromS(e.getKey()),
                    "qty", AttributeValue.fromN(Long.toString(e.getValue())),
                    "unitPrice", AttributeValue.fromS(price.toPlainString()),
                    "currency", AttributeValue.fromS("EUR"),
                    "name", AttributeValue.fromS("Trail Runner line name"))));
            total = total.add(price.multiply(BigDecimal.valueOf(e.getValue())));
            dynamo.transactWriteItems(b -> b.transactItems(inventory.sell(e.getKey(), e.getValue(), at)));
        }
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("purchaseId", AttributeValue.fromS(id));
        item.put("kind", AttributeValue.fromS("sale"));
        item.put("storeId", AttributeValue.fromS(storeId));
        item.put("deviceId", AttributeValue.fromS("DEVICE-TILL-3"));
        item.put("customerId", AttributeValue.fromS(CUSTOMER));
        item.put("lines", AttributeValue.fromL(lines));
        item.put("total", AttributeValue.fromS(total.toPlainString()));
        item.put("currency", AttributeValue.fromS("EUR"));
        item.put("purchasedAt", AttributeValue.fromS(at.toString()));
        dynamo.putItem(b -> b.tableName(purchasesTable).item(item));
        return id;
    }

    List<Raw> inventoryStream() {
        return StreamFixture.readTableStream(dynamo, aws.dynamoDbStreams(), inventoryTable);
    }

    List<Raw> purchasesStream() {
        return StreamFixture.readTableStream(dynamo, aws.dynamoDbStreams(), purchasesTable);
    }

    static List<String> failures(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .toList();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void aHotSkuSpreadOverShardsCrossesAsOneSkuWithItsSummedLevel() {
        String hot = "TR-DROP-44-RED";
        inventory.upsertProduct(new Product(hot, "Drop 44", DESCRIPTION, "running-shoes",
                new Money(new BigDecimal("199.00"), "EUR"), "44", "red", 800, "WH-MUC-1", "TR-DROP", 8),
                Sequencer.of("01"), T0);
        for (int shard = 0; shard < 8; shard++) {
            int k = shard;
            dynamo.transactWriteItems(b -> b.transactItems(inventory.moveStock(hot, k, -(k + 1), 0, k + 1,
                    T0.plusSeconds(60))));
        }
        inventory.applyAdjustment("WH-MUC-1", "b1", "stock/WH-MUC-1/b1.jsonl",
                new StockAdjustment(1, hot, 16, AdjustmentReason.RESTOCK), T0.plusSeconds(90));
        List<Raw> raw = inventoryStream();
        InventoryStreamForwarder forwarder = new InventoryStreamForwarder(EDGE, new KinesisSink(central, STREAM,
                sleeps::add), CentralOutbox.NONE, new EmfMetrics("test",
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream())), new InventoryLevels(inventory));

        StreamsEventResponse response = forwarder.handleRequest(StreamFixture.event(raw), new TestLambdaContext());

        assertThat(failures(response)).isEmpty();
        List<Central> sent = StreamFixture.readKinesis(central, STREAM);
        assertThat(sent).extracting(Central::partitionKey).containsExactly(EDGE + "#" + hot);
        LevelChange level = sent.getFirst().delta().level().orElseThrow();
        // 800 over 8 shards, 36 sold one shard at a time, 16 restocked: one sku as central sees it.
        assertThat(level.available()).isEqualTo(800 - 36 + 16);
        assertThat(level.sold()).isEqualTo(36);
        assertThat(level.reserved()).isZero();
        assertThat(inventory.shardLevels(hot)).hasSize(8);
        assertThat(level.version()).isEqualTo(Long.parseLong(inventory.getProductItem(hot).orElseThrow()
                .get("version").n()) + inventory.shardLevels(hot).stream().mapToLong(l -> l.version()).sum());
    }

    @Test
    void forwardsOneCompactRecordPerSkuAndBatchWithNothingPersonal() {
        product(A, 25);
        product(B, 10);
        inventory.applyAdjustment("WH-MUC-1", "b1", "stock/WH-MUC-1/b1.jsonl",
                new StockAdjustment(1, A, 5, AdjustmentReason.RESTOCK), T0.plusSeconds(60));
        dynamo.putItem(b -> b.tableName(customersTable).item(Map.of("customerId", AttributeValue.fromS(CUSTOMER),
                "email", AttributeValue.fromS(EMAIL))));
        String p1 = purchase(STORE, T0.plusSeconds(120), Map.of(A, 2L, B, 1L));
        String p2 = purchase(STORE, T0.plusSeconds(180), Map.of(A, 1L));
        List<Raw> inventoryRaw = inventoryStream();
        List<Raw> purchaseRaw = purchasesStream();
        List<Raw> customerRaw = StreamFixture.readTableStream(dynamo, aws.dynamoDbStreams(), customersTable);

        StreamsEventResponse r1 = forwarder(central).handleRequest(StreamFixture.event(inventoryRaw), new TestLambdaContext());
        StreamsEventResponse r2 = forwarder(central).handleRequest(StreamFixture.event(purchaseRaw), new TestLambdaContext());

        assertThat(failures(r1)).isEmpty();
        assertThat(failures(r2)).isEmpty();
        List<Central> sent = StreamFixture.readKinesis(central, STREAM);
        // inventory: A has INSERT, adjustment, 2 sells (+ a ledger item, ignored); B has INSERT and 1 sell
        assertThat(inventoryRaw).hasSizeGreaterThanOrEqualTo(7);
        List<Central> levels = sent.stream().filter(c -> c.delta().level().isPresent()).toList();
        assertThat(levels).extracting(Central::partitionKey).containsExactlyInAnyOrder(EDGE + "#" + A, EDGE + "#" + B);
        LevelChange a = level(levels, A);
        assertThat(a).isEqualTo(new LevelChange(A, 27, 0, 3, 4, T0.plusSeconds(180).toEpochMilli(), false));
        assertThat(level(levels, B)).isEqualTo(new LevelChange(B, 9, 0, 1, 2, T0.plusSeconds(120).toEpochMilli(), false));

        List<Central> sales = sent.stream().filter(c -> !c.delta().sales().isEmpty()).toList();
        assertThat(sales).hasSize(2);
        LocalDate day = LocalDate.of(2026, 11, 27);
        assertThat(salesOf(sales, A)).containsExactlyInAnyOrder(
                new SaleLine(p1, day, STORE, 2, new BigDecimal("179.80"), "EUR"),
                new SaleLine(p2, day, STORE, 1, new BigDecimal("89.90"), "EUR"));
        assertThat(salesOf(sales, B)).containsExactly(new SaleLine(p1, day, STORE, 1, new BigDecimal("49.95"), "EUR"));

        // residency, on the raw bytes that crossed
        for (Central c : sent) {
            String raw = new String(c.data(), StandardCharsets.ISO_8859_1);
            for (String personal : List.of(CUSTOMER, EMAIL, "Trail Runner", DESCRIPTION, "DEVICE-TILL-3",
                    "running-shoes", "WH-MUC-1", "blue")) {
                assertThat(raw).as("record %s", c.partitionKey()).doesNotContain(personal);
            }
        }
        // the customers table's stream, if ever wired to the forwarder, is refused record by record
        StreamsEventResponse r3 = forwarder(central).handleRequest(StreamFixture.event(customerRaw), new TestLambdaContext());
        assertThat(failures(r3)).containsExactlyElementsOf(customerRaw.stream().map(Raw::sequenceNumber).toList());
        assertThat(StreamFixture.readKinesis(central, STREAM)).hasSize(sent.size());

        long naiveBytes = 0;
        for (Raw raw : inventoryRaw) {
            naiveBytes += raw.naiveJson().length;
        }
        for (Raw raw : purchaseRaw) {
            naiveBytes += raw.naiveJson().length;
        }
        long compactBytes = sent.stream().mapToLong(c -> c.data().length + c.partitionKey().length()).sum();
        System.out.printf("[central-forwarder] naive: %d records, %d bytes; compact: %d records, %d bytes (%.1fx smaller)%n",
                inventoryRaw.size() + purchaseRaw.size(), naiveBytes, sent.size(), compactBytes,
                (double) naiveBytes / compactBytes);
        assertThat(sent.size()).isLessThan(inventoryRaw.size() + purchaseRaw.size());
        assertThat(compactBytes * 10).isLessThan(naiveBytes);
    }

    /**
     * What central learns of buyers: each basket once (on its first line), new or returning as the edge's own
     * visits table says (the same again when the batch is redelivered), anonymous without a customer, and what kind
     * of product sold; never who: no customer id, name, email, device id or device key in any byte that crosses.
     */
    @Test
    void basketsVisitsAndTheMixCrossButNoPersonalData() {
        product(A, 25);
        String deviceKey = "Device DEVICE-TILL-3:q83vEjRWeJq8JXq1bW9ZmD0s0gCqbJ3nLfyuQ0cOuVY";
        Instant d1 = T0;
        String first = purchaseOf(CUSTOMER, d1, Map.of(A, 2L), "running-shoes", "42");
        String again = purchaseOf(CUSTOMER, d1.plusSeconds(3600), Map.of(A, 1L), "running-shoes", "42");
        String anonymous = purchaseOf(null, d1.plusSeconds(7200), Map.of(A, 1L), "running-shoes", "42");
        List<Raw> purchaseRaw = purchasesStream();
        InventoryStreamForwarder forwarder = new InventoryStreamForwarder(EDGE, new KinesisSink(central, STREAM,
                sleeps::add), CentralOutbox.NONE, new EmfMetrics("test", new java.io.PrintStream(
                java.io.OutputStream.nullOutputStream())), (sku, at) -> Optional.empty(),
                new CustomerVisitsTable(dynamo, visitsTable));

        assertThat(failures(forwarder.handleRequest(StreamFixture.event(purchaseRaw), new TestLambdaContext())))
                .isEmpty();
        assertThat(failures(forwarder.handleRequest(StreamFixture.event(purchaseRaw), new TestLambdaContext())))
                .as("redelivered").isEmpty();

        List<Central> sent = StreamFixture.readKinesis(central, STREAM);
        assertThat(sent).hasSize(2);
        for (Central c : sent) {
            assertThat(c.delta().attributes()).contains(new SkuDelta.Attributes("running-shoes", "42"));
            assertThat(c.delta().sales()).extracting(l -> l.purchaseId() + " " + l.basketStart() + " " + l.visit())
                    .containsExactlyInAnyOrder(first + " true NEW", again + " true RETURNING",
                            anonymous + " true ANONYMOUS");
            String raw = new String(c.data(), StandardCharsets.ISO_8859_1);
            for (String personal : List.of(CUSTOMER, EMAIL, "Anna", "DEVICE-TILL-3", deviceKey,
                    deviceKey.substring(deviceKey.indexOf(':') + 1), "Trail Runner")) {
                assertThat(raw).as("record %s", c.partitionKey()).doesNotContain(personal);
            }
        }
        assertThat(dynamo.scan(b -> b.tableName(visitsTable)).items()).as("the customer stays in this region's table")
                .hasSize(1).first().satisfies(item -> assertThat(item.get("firstPurchaseId").s()).isEqualTo(first));
    }

    /** A purchase of one or more lines of known category and size; {@code customer} null: anonymous. */
    String purchaseOf(String customer, Instant at, Map<String, Long> qtyBySku, String category, String size) {
        String id = UUID.randomUUID().toString();
        List<AttributeValue> lines = new ArrayList<>();
        for (var e : qtyBySku.entrySet()) {
            lines.add(AttributeValue.fromM(Map.of("sku", AttributeValue.fromS(e.getKey()),
                    "qty", AttributeValue.fromN(Long.toString(e.getValue())),
                    "unitPrice", AttributeValue.fromS("89.90"), "currency", AttributeValue.fromS("EUR"),
                    "name", AttributeValue.fromS("Trail Runner line name"),
                    "category", AttributeValue.fromS(category), "size", AttributeValue.fromS(size))));
        }
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("purchaseId", AttributeValue.fromS(id));
        item.put("kind", AttributeValue.fromS("sale"));
        item.put("storeId", AttributeValue.fromS(STORE));
        item.put("deviceId", AttributeValue.fromS("DEVICE-TILL-3"));
        if (customer != null) {
            item.put("customerId", AttributeValue.fromS(customer));
        }
        item.put("lines", AttributeValue.fromL(lines));
        item.put("total", AttributeValue.fromS("89.90"));
        item.put("currency", AttributeValue.fromS("EUR"));
        item.put("purchasedAt", AttributeValue.fromS(at.toString()));
        dynamo.putItem(b -> b.tableName(purchasesTable).item(item));
        return id;
    }

    @Test
    void keepsOrderPerPartitionKeyAcrossBatches() {
        product(A, 25);
        product(B, 10);
        List<Raw> first = inventoryStream();
        forwarder(central).handleRequest(StreamFixture.event(first), new TestLambdaContext());
        for (int i = 1; i <= 3; i++) {
            inventory.applyAdjustment("WH-MUC-1", "b" + i, "stock/WH-MUC-1/b" + i + ".jsonl",
                    new StockAdjustment(1, A, i, AdjustmentReason.RESTOCK), T0.plusSeconds(i));
            List<Raw> next = inventoryStream().subList(first.size(), inventoryStream().size());
            first = inventoryStream();
            assertThat(failures(forwarder(central).handleRequest(StreamFixture.event(next), new TestLambdaContext())))
                    .isEmpty();
        }

        List<Central> sent = StreamFixture.readKinesis(central, STREAM);

        List<Central> ofA = sent.stream().filter(c -> c.partitionKey().equals(EDGE + "#" + A)).toList();
        assertThat(ofA).extracting(c -> c.delta().level().orElseThrow().version()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(ofA).extracting(c -> c.delta().level().orElseThrow().available()).containsExactly(25L, 26L, 28L, 31L);
        assertThat(sent.stream().filter(c -> c.partitionKey().equals(EDGE + "#" + B))).hasSize(1);
    }

    @Test
    void partialPutRecordsRetriesOnlyTheFailedEntries() {
        product(A, 25);
        product(B, 10);
        inventory.applyAdjustment("WH-MUC-1", "b1", "k", new StockAdjustment(1, B, 2, AdjustmentReason.RESTOCK), T0);
        FailingPutRecords failing = new FailingPutRecords(pk -> pk.endsWith(B), 1);
        List<Raw> raws = inventoryStream();

        StreamsEventResponse response = forwarder(kinesisWith(failing)).handleRequest(StreamFixture.event(raws),
                new TestLambdaContext());

        assertThat(failures(response)).isEmpty();
        assertThat(failing.calls).containsExactly(List.of(EDGE + "#" + A, EDGE + "#" + B), List.of(EDGE + "#" + B));
        assertThat(sleeps).containsExactly(Duration.ofMillis(50));
        assertThat(StreamFixture.readKinesis(central, STREAM)).extracting(Central::partitionKey)
                .contains(EDGE + "#" + A, EDGE + "#" + B);
    }

    @Test
    void entriesStillFailingAfterTheLastAttemptAreReportedAsTheirSourceRecords() {
        product(A, 25);
        product(B, 10);
        inventory.applyAdjustment("WH-MUC-1", "b1", "k", new StockAdjustment(1, B, 2, AdjustmentReason.RESTOCK), T0);
        FailingPutRecords failing = new FailingPutRecords(pk -> pk.endsWith(B), Integer.MAX_VALUE);
        List<Raw> raws = inventoryStream();
        // the records the mapping reads for B (moto also emits an image-less INSERT per new item: ignored)
        List<String> sourcesOfB = raws.stream()
                .filter(r -> r.sdk().dynamodb().keys().get("pk").s().equals("SKU#" + B)
                        && r.sdk().dynamodb().keys().get("sk").s().equals("PRODUCT")
                        && r.sdk().dynamodb().newImage().containsKey("available"))
                .map(Raw::sequenceNumber).toList();

        StreamsEventResponse response = forwarder(kinesisWith(failing)).handleRequest(StreamFixture.event(raws),
                new TestLambdaContext());

        assertThat(sourcesOfB).hasSizeGreaterThanOrEqualTo(2);
        assertThat(failures(response)).containsExactlyElementsOf(sourcesOfB);
        assertThat(failing.calls).hasSize(4);
        assertThat(failing.calls.subList(1, 4)).allSatisfy(call -> assertThat(call).containsExactly(EDGE + "#" + B));
        assertThat(sleeps).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void aPoisonRecordIsReportedAloneWhileEverythingElseIsForwarded() {
        product(A, 25);
        // an item that claims to be a product but has no sku: cannot be forwarded, ever
        dynamo.putItem(b -> b.tableName(inventoryTable).item(Map.of("pk", AttributeValue.fromS("SKU#GHOST"),
                "sk", AttributeValue.fromS("PRODUCT"), "available", AttributeValue.fromN("3"),
                "version", AttributeValue.fromN("1"))));
        product(B, 10);
        String p1 = purchase(STORE, T0, Map.of(A, 1L));
        dynamo.putItem(b -> b.tableName(purchasesTable).item(Map.of("purchaseId", AttributeValue.fromS("no-lines"),
                "storeId", AttributeValue.fromS(STORE), "purchasedAt", AttributeValue.fromS(T0.toString()),
                "lines", AttributeValue.fromL(List.of()))));
        String p3 = purchase(STORE, T0, Map.of(B, 2L));
        List<Raw> inventoryRaw = inventoryStream();
        List<Raw> purchaseRaw = purchasesStream();
        String ghost = inventoryRaw.stream().filter(r -> r.sdk().dynamodb().keys().get("pk").s().equals("SKU#GHOST"))
                .map(Raw::sequenceNumber).findFirst().orElseThrow();
        String noLines = purchaseRaw.get(1).sequenceNumber();

        StreamsEventResponse r1 = forwarder(central).handleRequest(StreamFixture.event(inventoryRaw), new TestLambdaContext());
        StreamsEventResponse r2 = forwarder(central).handleRequest(StreamFixture.event(purchaseRaw), new TestLambdaContext());

        assertThat(failures(r1)).containsExactly(ghost);
        assertThat(failures(r2)).containsExactly(noLines);
        List<Central> sent = StreamFixture.readKinesis(central, STREAM);
        assertThat(sent.stream().filter(c -> c.delta().level().isPresent())).extracting(Central::partitionKey)
                .containsExactlyInAnyOrder(EDGE + "#" + A, EDGE + "#" + B);
        assertThat(sent.stream().flatMap(c -> c.delta().sales().stream())).extracting(SaleLine::purchaseId)
                .containsExactlyInAnyOrder(p1, p3);
    }

    @Test
    void whatCentralRefusesIsKeptInTheOutboxTheBatchSucceedsAndTheDrainerDeliversIt() {
        product(A, 25);
        product(B, 10);
        String p1 = purchase(STORE, T0, Map.of(A, 2L));
        OutboxQueue outbox = outbox("edge-outbox");
        List<Raw> raws = new ArrayList<>(inventoryStream());
        CentralDown down = new CentralDown();

        StreamsEventResponse r1 = new InventoryStreamForwarder(EDGE, new KinesisSink(kinesisWith(down), STREAM,
                sleeps::add), outbox).handleRequest(StreamFixture.event(raws), new TestLambdaContext());
        StreamsEventResponse r2 = new InventoryStreamForwarder(EDGE, new KinesisSink(kinesisWith(down), STREAM,
                sleeps::add), outbox).handleRequest(StreamFixture.event(purchasesStream()), new TestLambdaContext());

        assertThat(failures(r1)).isEmpty();
        assertThat(failures(r2)).isEmpty();
        assertThat(down.calls.get()).isPositive();
        assertThat(StreamFixture.readKinesis(central, STREAM)).isEmpty();
        List<OutboxCodec.Entry> kept = new ArrayList<>();
        for (var m : aws.sqs().receiveMessage(b -> b.queueUrl(outbox.queueUrl()).maxNumberOfMessages(10)
                .visibilityTimeout(0)).messages()) {
            kept.addAll(OutboxCodec.unpack(m.body()));
        }
        assertThat(kept).extracting(OutboxCodec.Entry::partitionKey)
                .containsExactlyInAnyOrder(EDGE + "#" + A, EDGE + "#" + B, EDGE + "#" + A);

        String summary = new OutboxDrainer(outbox, new KinesisSink(central, STREAM, sleeps::add))
                .handleRequest(Map.of(), new TestLambdaContext());

        assertThat(summary).startsWith("outbox: 2 messages (3 records) delivered, 0 unreadable");
        List<Central> sent = StreamFixture.readKinesis(central, STREAM);
        assertThat(sent).extracting(Central::partitionKey)
                .containsExactlyInAnyOrder(EDGE + "#" + A, EDGE + "#" + B, EDGE + "#" + A);
        assertThat(level(sent, B).available()).isEqualTo(10);
        assertThat(sent.stream().flatMap(c -> c.delta().sales().stream())).extracting(SaleLine::purchaseId)
                .containsExactly(p1);
        assertThat(aws.sqs().getQueueAttributes(b -> b.queueUrl(outbox.queueUrl())
                .attributeNamesWithStrings("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
                .attributesAsStrings()).containsEntry("ApproximateNumberOfMessages", "0")
                .containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
    }

    @Test
    void recordsNeitherCentralNorTheOutboxTakeAreReportedAsTheirSourceRecords() {
        product(A, 25);
        List<Raw> raws = inventoryStream();
        List<String> sourcesOfA = raws.stream()
                .filter(r -> r.sdk().dynamodb().keys().get("sk").s().equals("PRODUCT")
                        && r.sdk().dynamodb().newImage().containsKey("available"))
                .map(Raw::sequenceNumber).toList();
        OutboxQueue missing = new OutboxQueue(aws.sqs(), aws.endpoint() + "/123456789012/no-such-outbox",
                aws.endpoint() + "/123456789012/no-such-dlq", Duration.ofSeconds(120));

        StreamsEventResponse response = new InventoryStreamForwarder(EDGE, new KinesisSink(kinesisWith(
                new CentralDown()), STREAM, sleeps::add), missing)
                .handleRequest(StreamFixture.event(raws), new TestLambdaContext());

        assertThat(sourcesOfA).isNotEmpty();
        assertThat(failures(response)).containsExactlyElementsOf(sourcesOfA);
    }

    @Test
    void aCentralThatAcceptsConnectionsAndHangsStillLeavesTheForwarderTimeToKeepTheRecords() throws Exception {
        product(A, 25);
        OutboxQueue outbox = outbox("edge-outbox-hang");
        List<Raw> raws = inventoryStream();
        try (java.net.ServerSocket hanging = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> held = Collections.synchronizedList(new ArrayList<>());
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(hanging.accept()); // never answers
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            KinesisClient hangs = Env.centralKinesisBuilder(Map.of("CENTRAL_REGION", CENTRAL, "CBOR_ENABLED", "false"))
                    .endpointOverride(java.net.URI.create("http://127.0.0.1:" + hanging.getLocalPort()))
                    .credentialsProvider(AwsClients.credentials()).build();
            long start = System.nanoTime();

            StreamsEventResponse response = new InventoryStreamForwarder(EDGE, new KinesisSink(hangs, STREAM,
                    sleeps::add), outbox).handleRequest(StreamFixture.event(raws), new TestLambdaContext());

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            acceptor.interrupt();
            held.forEach(s -> {
                try {
                    s.close();
                } catch (java.io.IOException ignored) {
                    // closing anyway
                }
            });
            assertThat(failures(response)).isEmpty();
            assertThat(took).as("within the forwarder's Timeout of 60 s").isLessThan(Duration.ofSeconds(55));
            assertThat(held).as("central was called").isNotEmpty();
        }
        assertThat(aws.sqs().receiveMessage(b -> b.queueUrl(outbox.queueUrl())).messages())
                .singleElement().satisfies(m -> assertThat(OutboxCodec.unpack(m.body()))
                        .extracting(OutboxCodec.Entry::partitionKey).containsExactly(EDGE + "#" + A));
    }

    OutboxQueue outbox(String name) {
        String url = aws.sqs().createQueue(b -> b.queueName(name)).queueUrl();
        String dlq = aws.sqs().createQueue(b -> b.queueName(name + "-dlq")).queueUrl();
        return new OutboxQueue(aws.sqs(), url, dlq, Duration.ofSeconds(120));
    }

    // ------------------------------------------------------------------ helpers

    static LevelChange level(List<Central> sent, String sku) {
        return sent.stream().filter(c -> c.delta().sku().equals(sku)).findFirst().orElseThrow()
                .delta().level().orElseThrow();
    }

    /** The sales of the sku's record, without their basket and visit marks (tested on their own). */
    static List<SaleLine> salesOf(List<Central> sent, String sku) {
        return sent.stream().filter(c -> c.delta().sku().equals(sku)).findFirst().orElseThrow().delta().sales()
                .stream().map(l -> new SaleLine(l.purchaseId(), l.day(), l.storeId(), l.qty(), l.amount(), l.currency()))
                .toList();
    }

    KinesisClient kinesisWith(ExecutionInterceptor interceptor) {
        aws.clients(CENTRAL).kinesis(); // sets aws.cborEnabled=false
        return KinesisClient.builder().endpointOverride(aws.endpoint()).region(Region.of(CENTRAL))
                .credentialsProvider(AwsClients.credentials()).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(interceptor)).build();
    }

    /** Central unreachable: every Kinesis call fails before it leaves the edge, as with a network outage. */
    static final class CentralDown implements ExecutionInterceptor {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            calls.incrementAndGet();
            throw software.amazon.awssdk.core.exception.SdkClientException.create(
                    "Unable to execute HTTP request: central unreachable (injected)");
        }
    }

    /**
     * Rewrites PutRecords responses so that entries whose partition key matches fail (as throttled) for the
     * first {@code failingCalls} calls, and records the partition keys of every call.
     */
    static final class FailingPutRecords implements ExecutionInterceptor {
        final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
        private final Predicate<String> fails;
        private final int failingCalls;
        private final AtomicInteger call = new AtomicInteger();

        FailingPutRecords(Predicate<String> fails, int failingCalls) {
            this.fails = fails;
            this.failingCalls = failingCalls;
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
            if (!(context.request() instanceof PutRecordsRequest request)
                    || !(context.response() instanceof PutRecordsResponse response)) {
                return context.response();
            }
            List<String> keys = request.records().stream().map(e -> e.partitionKey()).toList();
            calls.add(keys);
            if (call.getAndIncrement() >= failingCalls) {
                return response;
            }
            List<PutRecordsResultEntry> results = new ArrayList<>();
            int failed = 0;
            for (int i = 0; i < keys.size(); i++) {
                if (fails.test(keys.get(i))) {
                    failed++;
                    results.add(PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException")
                            .errorMessage("Rate exceeded for shard (injected)").build());
                } else {
                    results.add(response.records().get(i));
                }
            }
            return response.toBuilder().failedRecordCount(failed).records(results).build();
        }
    }
}
