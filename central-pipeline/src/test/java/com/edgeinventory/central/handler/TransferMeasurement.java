package com.edgeinventory.central.handler;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import com.edgeinventory.central.adapter.FreshnessItems;
import com.edgeinventory.central.adapter.KinesisSink;
import com.edgeinventory.central.adapter.LevelsTable;
import com.edgeinventory.central.adapter.SalesTable;
import com.edgeinventory.central.handler.StreamFixture.Raw;
import com.edgeinventory.central.service.Aggregation;
import com.edgeinventory.central.service.StreamChanges;
import com.edgeinventory.inventory.store.InventoryTable;
import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.moto.MotoServer;
import com.edgeinventory.local.provision.StackResources;
import com.edgeinventory.local.template.EventSource;
import com.edgeinventory.model.Json;
import com.edgeinventory.model.central.CentralCodec;
import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.TestLambdaContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * The transfer measurement (a test fixture, not a test): what crosses to the central region for one generated
 * workload, ours (coalesced compact records) against naive forwarding (one Kinesis record per raw stream record,
 * holding its NEW_AND_OLD_IMAGES JSON), in the same run, with identical central aggregates required.
 * {@link TransferRatioIT} runs a small workload through it; the benchmark's entry point,
 * {@code benchmarks/central-transfer/TransferBenchmark.java}, runs the full one.
 *
 * <ul>
 *   <li>Two edge regions ({@value #EU}, {@value #US}, {@code DeploymentRole=edge}, {@code CentralStreamArn} = ours)
 *       and one central region per variant ({@code DeploymentRole=central}): ours {@value #OURS_CENTRAL}, naive
 *       {@value #NAIVE_CENTRAL}, ours with one stream record per batch {@value #SINGLE_CENTRAL}.</li>
 *   <li>Ours: each table's DynamoDB stream in batches of the forwarder's event source mapping's {@code BatchSize}
 *       (read from template.yaml) through {@link InventoryStreamForwarder} and its {@link KinesisSink}; the central
 *       stream read back per shard in batches of the aggregator's {@code BatchSize} through
 *       {@link CentralAggregator}.</li>
 *   <li>Naive: each raw stream record as one Kinesis record (partition key {@code {region}#{table hash key}},
 *       data {@link Raw#naiveJson()}), put with the same {@link KinesisSink} (PutRecords, at most 500 records /
 *       5 MiB per call) per forwarder batch; read back, each JSON turned back into the Lambda stream record and
 *       mapped one record at a time by the forwarder's own mapping ({@link ChangeRecords}, {@link StreamChanges}),
 *       and applied by the same {@link CentralAggregator}.</li>
 *   <li>Measured on each variant's Kinesis client ({@link WireMeter}): records, payload bytes (data + partition
 *       key: what Kinesis bills), PUT payload units (per record, started 25 KiB), PutRecords calls, HTTP request
 *       and response bytes (JSON with base64 data: CBOR is off for moto).</li>
 * </ul>
 */
public final class TransferMeasurement {

    static final String EU = "eu-west-1";
    static final String US = "us-east-1";
    static final String OURS_CENTRAL = "us-east-2";
    static final String NAIVE_CENTRAL = "us-west-2";
    static final String SINGLE_CENTRAL = "us-west-1";
    static final long PUT_PAYLOAD_UNIT = 25 * 1024;
    /** Inter-region data transfer, USD per GB (GB = 2^30 bytes here). */
    static final BigDecimal USD_PER_GB = new BigDecimal("0.02");
    static final double TARGET_RATIO = 20;

    /**
     * @param singleRecordBatches also run ours with one stream record per forwarder invocation (no coalescing: a
     *                            quiet store, where every batch holds one change)
     */
    record Options(TransferWorkload.Config workload, boolean singleRecordBatches) {}

    /** What one variant put on its Kinesis client. */
    record Traffic(long calls, long records, long payloadBytes, long putUnits, long requestBodyBytes,
                   long requestHeaderBytes, long responseBodyBytes, long responseHeaderBytes) {
        long allHttpBytes() {
            return requestBodyBytes + requestHeaderBytes + responseBodyBytes + responseHeaderBytes;
        }
    }

    record Result(Options options, TransferWorkload.Summary workload, int forwarderBatchSize, int aggregatorBatchSize,
                  Map<String, Integer> streamRecords, Traffic ours, Traffic naive, Traffic single,
                  List<String> problems, Map<String, Duration> phases) {
        double payloadRatio() {
            return (double) naive.payloadBytes() / ours.payloadBytes();
        }

        double wireRatio() {
            return (double) naive.requestBodyBytes() / ours.requestBodyBytes();
        }

        boolean passed() {
            return problems.isEmpty() && payloadRatio() >= TARGET_RATIO && wireRatio() >= TARGET_RATIO;
        }
    }

    /** One central region: its stack's tables and stream, and a Kinesis client with a meter. */
    private record Central(String name, String region, String stream, String levels, String sales, String dedup,
                           DynamoDbClient dynamo, KinesisClient metered, WireMeter meter, CentralAggregator aggregator) {}

    /** One edge region's stack. */
    private record EdgeStack(TransferWorkload.Edge edge, String inventoryTable) {}

    private final LocalAws aws;
    private final PrintStream log;
    private final Map<String, Duration> phases = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private Instant phaseStart = Instant.now();

    TransferMeasurement(LocalAws aws, PrintStream log) {
        this.aws = Objects.requireNonNull(aws);
        this.log = Objects.requireNonNull(log);
    }

    // ------------------------------------------------------------------ the run

    Result run(Options options) {
        TransferWorkload.Config config = options.workload();
        log.printf("[transfer] seed %d: %d skus x 2 regions, %d adjustments, %d purchases%n", config.seed(),
                config.skus(), config.adjustments(), config.purchases());
        Central ours = central("ours", OURS_CENTRAL);
        Central naive = central("naive", NAIVE_CENTRAL);
        Central single = options.singleRecordBatches() ? central("ours, 1 record per batch", SINGLE_CENTRAL) : null;
        Map<String, String> edgeParameters = Map.of("DeploymentRole", "edge",
                "CentralStreamArn", ours.metered().describeStreamSummary(b -> b.streamName(ours.stream()))
                        .streamDescriptionSummary().streamARN());
        var forwarderDef = aws.resolveTemplate(EU, edgeParameters).function("InventoryStreamForwarder");
        int inventoryBatch = batchSize(forwarderDef.event("InventoryChanges").orElseThrow());
        int purchasesBatch = batchSize(forwarderDef.event("Purchases").orElseThrow());
        if (inventoryBatch != purchasesBatch) {
            throw new IllegalStateException("the two forwarder mappings differ in BatchSize: " + inventoryBatch
                    + " / " + purchasesBatch + "; this harness assumes one");
        }
        int aggregatorBatch = batchSize(aws.resolveTemplate(OURS_CENTRAL, Map.of("DeploymentRole", "central"))
                .function("CentralAggregatorFunction").event("CentralStream").orElseThrow());
        List<EdgeStack> edges = List.of(edge(EU, "EUR", "DUB", edgeParameters), edge(US, "USD", "NYC", edgeParameters));
        phase("provision");

        TransferWorkload.Summary workload = new TransferWorkload(config, edges.stream().map(EdgeStack::edge).toList())
                .run();
        phase("workload");

        // every table's stream, read once: region -> (inventory, purchases)
        Map<String, List<List<Raw>>> streams = new LinkedHashMap<>();
        Map<String, Integer> streamRecords = new TreeMap<>();
        for (EdgeStack e : edges) {
            var clients = aws.clients(e.edge().region());
            List<Raw> inventory = StreamFixture.readTableStream(clients.dynamoDb(), clients.dynamoDbStreams(),
                    e.inventoryTable());
            List<Raw> purchases = StreamFixture.readTableStream(clients.dynamoDb(), clients.dynamoDbStreams(),
                    e.edge().purchasesTable());
            streams.put(e.edge().region(), List.of(inventory, purchases));
            streamRecords.put(e.edge().region() + " inventory", inventory.size());
            streamRecords.put(e.edge().region() + " purchases", purchases.size());
        }
        log.printf("[transfer] stream records: %s%n", streamRecords);
        phase("read streams");

        forwardOurs(ours, streams, inventoryBatch);
        phase("ours: forward");
        aggregate(ours, aggregatorBatch, (record, region) -> List.of(record));
        phase("ours: aggregate");

        forwardNaive(naive, streams, inventoryBatch);
        phase("naive: forward");
        aggregate(naive, aggregatorBatch, this::naiveToCompact);
        phase("naive: aggregate");

        if (single != null) {
            forwardOurs(single, streams, 1);
            phase("ours, 1 per batch: forward");
            aggregate(single, aggregatorBatch, (record, region) -> List.of(record));
            phase("ours, 1 per batch: aggregate");
        }

        compareCentral(ours, naive);
        if (single != null) {
            compareCentral(ours, single);
        }
        compareWithEdges(ours, edges, workload);
        phase("compare");
        return new Result(options, workload, inventoryBatch, aggregatorBatch, streamRecords, ours.meter().traffic(),
                naive.meter().traffic(), single == null ? null : single.meter().traffic(), List.copyOf(problems),
                new LinkedHashMap<>(phases));
    }

    private void phase(String name) {
        Instant now = Instant.now();
        phases.put(name, Duration.between(phaseStart, now));
        log.printf("[transfer] %s: %d ms%n", name, Duration.between(phaseStart, now).toMillis());
        phaseStart = now;
    }

    private static int batchSize(EventSource event) {
        if (!(event instanceof EventSource.Generic g) || !(g.properties().get("BatchSize") instanceof Object size)) {
            throw new IllegalStateException("no BatchSize on event " + event.name());
        }
        return Integer.parseInt(size.toString());
    }

    // ------------------------------------------------------------------ provisioning

    private Central central(String name, String region) {
        StackResources stack = aws.provision(region, Map.of("DeploymentRole", "central"));
        DynamoDbClient dynamo = aws.clients(region).dynamoDb();
        aws.clients(region).kinesis(); // sets aws.cborEnabled=false: moto speaks JSON only
        WireMeter meter = new WireMeter();
        KinesisClient metered = KinesisClient.builder().endpointOverride(aws.endpoint()).region(Region.of(region))
                .credentialsProvider(AwsClients.credentials()).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(meter)).build();
        String stream = stack.physicalId("CentralStream");
        for (int i = 0; i < 100 && metered.describeStreamSummary(b -> b.streamName(stream))
                .streamDescriptionSummary().streamStatus() != StreamStatus.ACTIVE; i++) {
            sleep(100);
        }
        String levels = stack.physicalId("CentralLevelsTable");
        String sales = stack.physicalId("CentralSalesTable");
        String dedup = stack.physicalId("CentralSalesDedupTable");
        CentralAggregator aggregator = new CentralAggregator(new Aggregation(new LevelsTable(dynamo, levels),
                new SalesTable(dynamo, sales, dedup, Clock.systemUTC()), new FreshnessItems(dynamo, sales)));
        return new Central(name, region, stream, levels, sales, dedup, dynamo, metered, meter, aggregator);
    }

    private EdgeStack edge(String region, String currency, String city, Map<String, String> parameters) {
        StackResources stack = aws.provision(region, parameters);
        DynamoDbClient dynamo = aws.clients(region).dynamoDb();
        String inventoryTable = stack.physicalId("InventoryTable");
        return new EdgeStack(new TransferWorkload.Edge(region, currency, city, dynamo,
                new InventoryTable(dynamo, inventoryTable), stack.physicalId("PurchasesTable")), inventoryTable);
    }

    // ------------------------------------------------------------------ edge side

    private void forwardOurs(Central central, Map<String, List<List<Raw>>> streams, int batchSize) {
        streams.forEach((region, tables) -> {
            InventoryStreamForwarder forwarder = new InventoryStreamForwarder(region,
                    new KinesisSink(central.metered(), central.stream()));
            for (List<Raw> table : tables) {
                for (List<Raw> batch : chunks(table, batchSize)) {
                    TestLambdaContext context = new TestLambdaContext();
                    StreamsEventResponse response = forwarder.handleRequest(StreamFixture.event(batch), context);
                    if (!response.getBatchItemFailures().isEmpty()) {
                        problems.add(central.name() + ": forwarder reported " + response.getBatchItemFailures().size()
                                + " failures in " + region + ": " + context.logLines);
                    }
                }
            }
        });
    }

    private void forwardNaive(Central central, Map<String, List<List<Raw>>> streams, int batchSize) {
        KinesisSink sink = new KinesisSink(central.metered(), central.stream());
        streams.forEach((region, tables) -> {
            for (List<Raw> table : tables) {
                for (List<Raw> batch : chunks(table, batchSize)) {
                    List<KinesisSink.Entry> entries = batch.stream()
                            .map(r -> new KinesisSink.Entry(region + "#" + hashKey(r), r.naiveJson())).toList();
                    Set<Integer> failed = sink.send(entries, line -> problems.add(central.name() + ": " + line));
                    if (!failed.isEmpty()) {
                        problems.add(central.name() + ": " + failed.size() + " naive records not written");
                    }
                }
            }
        });
    }

    /** The table's partition (hash) key value: {@code pk} of the inventory table, {@code purchaseId}. */
    private static String hashKey(Raw raw) {
        Map<String, AttributeValue> keys = raw.sdk().dynamodb().keys();
        AttributeValue v = keys.containsKey("pk") ? keys.get("pk") : keys.get("purchaseId");
        return v.s();
    }

    // ------------------------------------------------------------------ central side

    /** A record read back from a central stream. */
    private record Received(String partitionKey, String sequenceNumber, byte[] data) {}

    private interface ToCompact {
        /** The compact records the aggregator gets for one record read from the stream. */
        List<Received> apply(Received record, String region);
    }

    private void aggregate(Central central, int batchSize, ToCompact toCompact) {
        KinesisClient reader = aws.clients(central.region()).kinesis();
        for (List<Received> shard : readShards(reader, central.stream())) {
            for (List<Received> batch : chunks(shard, batchSize)) {
                List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
                for (Received r : batch) {
                    String region = r.partitionKey().substring(0, r.partitionKey().indexOf('#'));
                    toCompact.apply(r, region).forEach(c -> records.add(kinesisRecord(central, c)));
                }
                KinesisEvent event = new KinesisEvent();
                event.setRecords(records);
                TestLambdaContext context = new TestLambdaContext();
                StreamsEventResponse response = central.aggregator().handleRequest(event, context);
                if (!response.getBatchItemFailures().isEmpty()) {
                    problems.add(central.name() + ": aggregator reported " + response.getBatchItemFailures().size()
                            + " failures: " + context.logLines);
                }
            }
        }
    }

    /**
     * Naive central side: the JSON back into the Lambda stream record, through the forwarder's mapping on its own,
     * to the same compact deltas the aggregator reads (in memory: this part does not cross).
     */
    private List<Received> naiveToCompact(Received record, String region) {
        DynamodbEvent.DynamodbStreamRecord lambda = lambdaRecord(record.data(), record.sequenceNumber());
        StreamChanges.Result result = StreamChanges.coalesce(region, List.of(ChangeRecords.of(lambda)));
        result.malformed().forEach(m -> problems.add("naive: malformed " + m));
        List<Received> compact = new ArrayList<>();
        int i = 0;
        for (StreamChanges.Forward f : result.forwards()) {
            compact.add(new Received(f.delta().partitionKey(), record.sequenceNumber() + String.format("%03d", i++),
                    CentralCodec.encode(f.delta())));
        }
        return compact;
    }

    static DynamodbEvent.DynamodbStreamRecord lambdaRecord(byte[] naiveJson, String sequenceNumber) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(naiveJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StreamRecord s = new StreamRecord();
        s.setSequenceNumber(sequenceNumber);
        s.setKeys(lambdaItem(root.get("Keys")));
        if (root.has("NewImage")) {
            s.setNewImage(lambdaItem(root.get("NewImage")));
        }
        if (root.has("OldImage")) {
            s.setOldImage(lambdaItem(root.get("OldImage")));
        }
        s.setStreamViewType(StreamViewType.NEW_AND_OLD_IMAGES);
        DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
        record.setEventName(root.get("eventName").asText());
        record.setEventSource("aws:dynamodb");
        record.setDynamodb(s);
        return record;
    }

    private static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> lambdaItem(
            JsonNode item) {
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), lambdaValue(e.getValue()));
        }
        return m;
    }

    private static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue lambdaValue(JsonNode v) {
        var out = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
        if (v.has("S")) {
            out.setS(v.get("S").asText());
        } else if (v.has("N")) {
            out.setN(v.get("N").asText());
        } else if (v.has("BOOL")) {
            out.setBOOL(v.get("BOOL").asBoolean());
        } else if (v.has("M")) {
            out.setM(lambdaItem(v.get("M")));
        } else if (v.has("L")) {
            List<com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> list = new ArrayList<>();
            v.get("L").forEach(e -> list.add(lambdaValue(e)));
            out.setL(list);
        } else {
            out.setNULL(true);
        }
        return out;
    }

    private static KinesisEvent.KinesisEventRecord kinesisRecord(Central central, Received r) {
        KinesisEvent.Record kinesis = new KinesisEvent.Record();
        kinesis.setPartitionKey(r.partitionKey());
        kinesis.setSequenceNumber(r.sequenceNumber());
        kinesis.setData(ByteBuffer.wrap(r.data()));
        kinesis.setApproximateArrivalTimestamp(Date.from(Instant.now()));
        KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
        record.setKinesis(kinesis);
        record.setEventSource("aws:kinesis");
        record.setEventSourceARN("arn:aws:kinesis:" + central.region() + ":123456789012:stream/" + central.stream());
        return record;
    }

    /** Every shard's records, TRIM_HORIZON to the end, in order. */
    private static List<List<Received>> readShards(KinesisClient kinesis, String stream) {
        List<List<Received>> shards = new ArrayList<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            List<Received> records = new ArrayList<>();
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String it = iterator;
                var page = kinesis.getRecords(b -> b.shardIterator(it).limit(10_000));
                if (page.records().isEmpty()) {
                    break;
                }
                page.records().forEach(r -> records.add(new Received(r.partitionKey(), r.sequenceNumber(),
                        r.data().asByteArray())));
                iterator = page.nextShardIterator();
            }
            shards.add(records);
        }
        return shards;
    }

    // ------------------------------------------------------------------ comparison

    /** Both central regions' aggregate items must be identical (dedup markers: same ids, TTLs ignored). */
    private void compareCentral(Central a, Central b) {
        compareItems(a.name() + " vs " + b.name() + " levels", flatten(scan(a.dynamo(), a.levels(), this::levelsKey)),
                flatten(scan(b.dynamo(), b.levels(), this::levelsKey)));
        compareItems(a.name() + " vs " + b.name() + " sales", flatten(scan(a.dynamo(), a.sales(), this::salesKey)),
                flatten(scan(b.dynamo(), b.sales(), this::salesKey)));
        Set<String> idsA = scan(a.dynamo(), a.dedup(), item -> item.get("id").s()).keySet();
        Set<String> idsB = scan(b.dynamo(), b.dedup(), item -> item.get("id").s()).keySet();
        if (!idsA.equals(idsB)) {
            problems.add(a.name() + " vs " + b.name() + " dedup markers differ: " + idsA.size() + " / " + idsB.size());
        }
    }

    /**
     * Ours must also equal what the edge tables hold: each region's levels (product items), their sum per sku,
     * the sales written (per region, day and sku; revenue per region and day), the newest edge time per region.
     */
    private void compareWithEdges(Central central, List<EdgeStack> edges, TransferWorkload.Summary workload) {
        Map<String, Map<String, String>> levels = new TreeMap<>();
        Map<String, long[]> totals = new TreeMap<>();
        Map<String, Map<String, String>> sales = new TreeMap<>();
        for (EdgeStack e : edges) {
            String region = e.edge().region();
            long newest = 0;
            for (Map<String, AttributeValue> item : scan(e.edge().dynamo(), e.inventoryTable(),
                    i -> i.get("pk").s() + "|" + i.get("sk").s()).values()) {
                if (!"PRODUCT".equals(item.get("sk").s())) {
                    continue;
                }
                String sku = item.get("sku").s();
                long atMillis = Instant.parse(item.get("updatedAt").s()).toEpochMilli();
                newest = Math.max(newest, atMillis);
                long available = num(item, "available");
                long reserved = num(item, "reserved");
                long sold = num(item, "sold");
                levels.put(sku + "|" + region, Map.of("available", Long.toString(available),
                        "reserved", Long.toString(reserved), "sold", Long.toString(sold),
                        "version", Long.toString(num(item, "version")), "atMillis", Long.toString(atMillis),
                        "deleted", "false"));
                long[] t = totals.computeIfAbsent(sku, k -> new long[3]);
                t[0] += available;
                t[1] += reserved;
                t[2] += sold;
            }
            sales.put("FRESHNESS|" + region, Map.of("atMillis", Long.toString(newest)));
        }
        totals.forEach((sku, t) -> levels.put(sku + "|" + LevelsTable.ALL, Map.of("available", Long.toString(t[0]),
                "reserved", Long.toString(t[1]), "sold", Long.toString(t[2]))));

        Map<String, long[]> counts = new TreeMap<>(); // key -> {qty, lines}
        Map<String, Map<String, BigDecimal>> amounts = new TreeMap<>();
        Map<String, Map<String, BigDecimal>> mix = new TreeMap<>(); // revenue key -> baskets, category:X, size:Y
        Map<String, Map<String, BigDecimal>> stores = new TreeMap<>(); // STORES key -> baskets, units, lines, amount:C
        for (TransferWorkload.Purchase p : workload.written()) {
            String revenue = "REVENUE#" + p.region() + "#" + p.day() + "|#";
            String store = "STORES#" + p.region() + "#" + p.day() + "|" + p.storeId();
            mix.computeIfAbsent(revenue, k -> new TreeMap<>()).merge("baskets", BigDecimal.ONE, BigDecimal::add);
            stores.computeIfAbsent(store, k -> new TreeMap<>()).merge("baskets", BigDecimal.ONE, BigDecimal::add);
            for (TransferWorkload.Line l : p.lines()) {
                String[] kind = workload.kindOf(l.sku());
                BigDecimal qty = BigDecimal.valueOf(l.qty());
                mix.get(revenue).merge("category:" + kind[0], qty, BigDecimal::add);
                mix.get(revenue).merge("size:" + kind[1], qty, BigDecimal::add);
                stores.get(store).merge("units", qty, BigDecimal::add);
                stores.get(store).merge("lines", BigDecimal.ONE, BigDecimal::add);
                stores.get(store).merge("amount:" + l.currency(), l.amount(), BigDecimal::add);
                String counter = "SALES#" + p.region() + "#" + p.day() + "|" + l.sku();
                long[] c = counts.computeIfAbsent(counter, k -> new long[2]);
                c[0] += l.qty();
                c[1] += 1;
                counts.computeIfAbsent(revenue, k -> new long[2])[1] += 1;
                amounts.computeIfAbsent(counter, k -> new TreeMap<>()).merge(l.currency(), l.amount(), BigDecimal::add);
                amounts.computeIfAbsent(revenue, k -> new TreeMap<>()).merge(l.currency(), l.amount(), BigDecimal::add);
            }
        }
        counts.forEach((key, c) -> {
            Map<String, String> item = new TreeMap<>();
            if (key.startsWith("SALES#")) {
                item.put("qty", Long.toString(c[0]));
            }
            item.put("lines", Long.toString(c[1]));
            amounts.get(key).forEach((currency, amount) -> item.put("amounts." + currency, normalize(amount)));
            if (mix.containsKey(key)) {
                mix.get(key).forEach((name, n) -> item.put(name, normalize(n)));
            }
            sales.put(key, item);
        });
        stores.forEach((key, sums) -> {
            Map<String, String> item = new TreeMap<>();
            sums.forEach((name, n) -> item.put(name, normalize(n)));
            sales.put(key, item);
        });

        Map<String, Map<String, String>> centralLevels = flatten(scan(central.dynamo(), central.levels(),
                this::levelsKey));
        Map<String, Map<String, String>> centralSales = basketsSummed(flatten(scan(central.dynamo(), central.sales(),
                this::salesKey)));
        compareItems("edge levels vs " + central.name(), stringify(levels), centralLevels);
        compareItems("edge sales vs " + central.name(), stringify(sales), centralSales);
        Set<String> expectedIds = new TreeSet<>();
        workload.written().forEach(p -> p.lines().forEach(l ->
                expectedIds.add(p.region() + "#" + p.purchaseId() + "#" + l.sku())));
        Set<String> ids = scan(central.dynamo(), central.dedup(), item -> item.get("id").s()).keySet();
        log.printf("[transfer] compared with the edges: %d levels items, %d sales items, %d dedup ids%n",
                centralLevels.size(), centralSales.size(), ids.size());
        if (!ids.equals(expectedIds)) {
            problems.add("edge purchases vs " + central.name() + " dedup markers differ: " + expectedIds.size()
                    + " expected, " + ids.size() + " stored");
        }
    }

    private String levelsKey(Map<String, AttributeValue> item) {
        return item.get("sku").s() + "|" + item.get("region").s();
    }

    /**
     * A revenue item's baskets by who bought ({@code basket:NEW}, ...) summed into {@code baskets}: whether a buyer
     * is new or returning is the edge's lookup, which this harness does not run (its customers read as unknown).
     */
    private static Map<String, Map<String, String>> basketsSummed(Map<String, Map<String, String>> items) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        items.forEach((key, item) -> {
            Map<String, String> copy = new TreeMap<>();
            BigDecimal baskets = BigDecimal.ZERO;
            boolean any = false;
            for (var e : item.entrySet()) {
                if (e.getKey().startsWith("basket:")) {
                    baskets = baskets.add(new BigDecimal(e.getValue()));
                    any = true;
                } else {
                    copy.put(e.getKey(), e.getValue());
                }
            }
            if (any) {
                copy.put("baskets", normalize(baskets));
            }
            out.put(key, copy);
        });
        return out;
    }

    private String salesKey(Map<String, AttributeValue> item) {
        return item.get("pk").s() + "|" + item.get("sk").s();
    }

    private void compareItems(String what, Map<String, Map<String, String>> expected,
                              Map<String, Map<String, String>> actual) {
        if (expected.equals(actual)) {
            return;
        }
        List<String> diffs = new ArrayList<>();
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String k : keys) {
            if (!Objects.equals(expected.get(k), actual.get(k))) {
                diffs.add(k + ": " + expected.get(k) + " != " + actual.get(k));
            }
        }
        problems.add(what + ": " + diffs.size() + " items differ, e.g. " + diffs.subList(0, Math.min(5, diffs.size())));
    }

    private static Map<String, Map<String, String>> stringify(Map<String, Map<String, String>> items) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        items.forEach((k, v) -> out.put(k, new TreeMap<>(v)));
        return out;
    }

    private static Map<String, Map<String, String>> flatten(Map<String, Map<String, AttributeValue>> items) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        items.forEach((k, v) -> out.put(k, flattenItem(v)));
        return out;
    }

    /** Non-key attributes as name -> text, maps flattened to {@code name.key}, numbers normalized. */
    private static Map<String, String> flattenItem(Map<String, AttributeValue> item) {
        Map<String, String> out = new TreeMap<>();
        item.forEach((name, v) -> {
            if (Set.of("sku", "region", "pk", "sk").contains(name)) {
                return;
            }
            if (v.hasM()) {
                v.m().forEach((k, inner) -> out.put(name + "." + k, text(inner)));
            } else {
                out.put(name, text(v));
            }
        });
        return out;
    }

    private static String text(AttributeValue v) {
        if (v.n() != null) {
            return normalize(new BigDecimal(v.n()));
        }
        if (v.bool() != null) {
            return v.bool().toString();
        }
        return v.s() != null ? v.s() : v.toString();
    }

    private static String normalize(BigDecimal d) {
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }

    private static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? 0 : Long.parseLong(v.n());
    }

    private static Map<String, Map<String, AttributeValue>> scan(DynamoDbClient dynamo, String table,
                                                                 Function<Map<String, AttributeValue>, String> key) {
        Map<String, Map<String, AttributeValue>> items = new TreeMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamo.scan(b -> b.tableName(table).consistentRead(true).exclusiveStartKey(from));
            page.items().forEach(i -> items.put(key.apply(i), i));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    // ------------------------------------------------------------------ measuring

    /**
     * Counts what each PutRecords HTTP attempt carries: entries, payload (data + partition key), PUT payload
     * units, request body and headers as signed, response body and headers.
     */
    static final class WireMeter implements ExecutionInterceptor {
        private final AtomicLong calls = new AtomicLong();
        private final AtomicLong records = new AtomicLong();
        private final AtomicLong payload = new AtomicLong();
        private final AtomicLong units = new AtomicLong();
        private final AtomicLong requestBody = new AtomicLong();
        private final AtomicLong requestHeaders = new AtomicLong();
        private final AtomicLong responseBody = new AtomicLong();
        private final AtomicLong responseHeaders = new AtomicLong();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (!(context.request() instanceof PutRecordsRequest request)) {
                return;
            }
            calls.incrementAndGet();
            for (PutRecordsRequestEntry e : request.records()) {
                long size = e.data().asByteArrayUnsafe().length + e.partitionKey().getBytes(StandardCharsets.UTF_8).length;
                records.incrementAndGet();
                payload.addAndGet(size);
                units.addAndGet((size + PUT_PAYLOAD_UNIT - 1) / PUT_PAYLOAD_UNIT);
            }
            requestBody.addAndGet(context.requestBody().map(WireMeter::length).orElse(0L));
            requestHeaders.addAndGet(headerBytes(context.httpRequest()));
        }

        @Override
        public java.util.Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                                         ExecutionAttributes attributes) {
            if (!(context.request() instanceof PutRecordsRequest) || context.responseBody().isEmpty()) {
                return context.responseBody();
            }
            try {
                byte[] body = context.responseBody().get().readAllBytes();
                responseBody.addAndGet(body.length);
                responseHeaders.addAndGet(headerBytes(context.httpResponse()));
                return java.util.Optional.of(new ByteArrayInputStream(body));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Traffic traffic() {
            return new Traffic(calls.get(), records.get(), payload.get(), units.get(), requestBody.get(),
                    requestHeaders.get(), responseBody.get(), responseHeaders.get());
        }

        private static long length(RequestBody body) {
            return body.optionalContentLength().orElseGet(() -> {
                try (InputStream in = body.contentStreamProvider().newStream()) {
                    return (long) in.readAllBytes().length;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        /** Request line and headers as HTTP/1.1 writes them (Host included). */
        private static long headerBytes(SdkHttpRequest request) {
            long bytes = (request.method().name() + " " + request.encodedPath() + " HTTP/1.1\r\n").length();
            bytes += ("Host: " + request.host() + (request.port() == 80 || request.port() == 443 ? ""
                    : ":" + request.port()) + "\r\n").length();
            bytes += headers(request.headers());
            return bytes + 2;
        }

        private static long headerBytes(SdkHttpResponse response) {
            return ("HTTP/1.1 " + response.statusCode() + " " + response.statusText().orElse("") + "\r\n").length()
                    + headers(response.headers()) + 2;
        }

        private static long headers(Map<String, List<String>> headers) {
            long bytes = 0;
            for (var h : headers.entrySet()) {
                if (h.getKey() == null || h.getKey().equalsIgnoreCase("Host")) {
                    continue;
                }
                for (String value : h.getValue()) {
                    bytes += (h.getKey() + ": " + value + "\r\n").getBytes(StandardCharsets.UTF_8).length;
                }
            }
            return bytes;
        }
    }

    // ------------------------------------------------------------------ report

    static String report(Result r, Duration elapsed) {
        TransferWorkload.Summary w = r.workload();
        StringBuilder out = new StringBuilder();
        out.append(String.format("%n### Cross-region transfer: ours vs naive forwarding (seed %d)%n%n",
                r.options().workload().seed()));
        out.append(String.format("Machine: %d cores, %s; Java %s%n", Runtime.getRuntime().availableProcessors(),
                memory(), System.getProperty("java.runtime.version")));
        out.append(String.format("Workload: %d skus x 2 regions (%d products), %d stock adjustments, %d purchases "
                        + "(%s) = %d one-shot sales + %d cart checkouts, %d lines, %d units; %d abandoned carts; "
                        + "%s .. %s%n", r.options().workload().skus(), w.products(), w.adjustments(), w.purchases(),
                w.purchasesByRegion(), w.oneShotSales(), w.cartCheckouts(), w.lines(), w.units(), w.abandonedCarts(),
                w.first(), w.last()));
        out.append(r.options().workload().splitTransactions()
                ? "Retail transactions written as their individual UpdateItem/PutItem requests (same items, same stream "
                        + "records; moto deep-copies whole tables, streams included, on every TransactWriteItems)\n"
                : "Retail transactions written as TransactWriteItems\n");
        int raw = r.streamRecords().values().stream().mapToInt(Integer::intValue).sum();
        out.append(String.format("DynamoDB stream records: %d %s; forwarder BatchSize %d, aggregator BatchSize %d "
                + "(template.yaml)%n%n", raw, r.streamRecords(), r.forwarderBatchSize(), r.aggregatorBatchSize()));
        out.append("| Variant | Kinesis records | payload bytes | PUT payload units | PutRecords calls | wire bytes "
                + "(request bodies) | wire bytes / purchase | USD per million purchases | naive / this (payload) "
                + "| naive / this (wire) |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        row(out, "ours (forwarder batches of " + r.forwarderBatchSize() + ")", r.ours(), r, w);
        if (r.single() != null) {
            row(out, "ours, 1 stream record per batch (no coalescing)", r.single(), r, w);
        }
        row(out, "naive (1 record per stream record, NEW_AND_OLD_IMAGES JSON)", r.naive(), r, w);
        out.append(String.format("%nEverything on the wire, both directions (request and response, bodies and "
                + "HTTP/1.1 headers as sent to / received from moto; no TLS):%n%n"));
        out.append("| Variant | request headers | response bodies | response headers | all HTTP bytes | "
                + "all / purchase | USD per million purchases |\n|---|---:|---:|---:|---:|---:|---:|\n");
        allRow(out, "ours", r.ours(), w);
        if (r.single() != null) {
            allRow(out, "ours, 1 per batch", r.single(), w);
        }
        allRow(out, "naive", r.naive(), w);
        out.append(String.format("%nCost: bytes x $%s per GB (GB = 2^30 bytes), inter-region data transfer "
                + "(AWS EC2 On-Demand pricing, \"Data Transfer OUT From Amazon EC2 To another AWS region\", "
                + "https://aws.amazon.com/ec2/pricing/on-demand/).%n", USD_PER_GB));
        out.append(String.format("Target: naive / ours >= %.0fx on payload and wire bytes: payload %.1fx, wire "
                + "%.1fx: %s%n", TARGET_RATIO, r.payloadRatio(), r.wireRatio(), r.payloadRatio() >= TARGET_RATIO
                && r.wireRatio() >= TARGET_RATIO ? "MET" : "MISSED"));
        out.append(r.problems().isEmpty()
                ? "Central aggregates: identical in every central region (levels, totals, sales counters, revenue, "
                        + "freshness, dedup ids) and equal to the edge tables and the purchases written.\n"
                : "PROBLEMS:\n  " + String.join("\n  ", r.problems()) + "\n");
        out.append("Phases (ms):");
        r.phases().forEach((k, v) -> out.append(String.format(" %s %d;", k, v.toMillis())));
        out.append(String.format("%nTotal: %.1f s%n", elapsed.toMillis() / 1000.0));
        return out.toString();
    }

    private static void row(StringBuilder out, String name, Traffic t, Result r, TransferWorkload.Summary w) {
        out.append(String.format("| %s | %,d | %,d | %,d | %,d | %,d | %.1f | %s | %.1f | %.1f |%n", name, t.records(),
                t.payloadBytes(), t.putUnits(), t.calls(), t.requestBodyBytes(),
                (double) t.requestBodyBytes() / w.purchases(), perMillion(t.requestBodyBytes(), w.purchases()),
                (double) r.naive().payloadBytes() / t.payloadBytes(),
                (double) r.naive().requestBodyBytes() / t.requestBodyBytes()));
    }

    private static void allRow(StringBuilder out, String name, Traffic t, TransferWorkload.Summary w) {
        out.append(String.format("| %s | %,d | %,d | %,d | %,d | %.1f | %s |%n", name, t.requestHeaderBytes(),
                t.responseBodyBytes(), t.responseHeaderBytes(), t.allHttpBytes(),
                (double) t.allHttpBytes() / w.purchases(), perMillion(t.allHttpBytes(), w.purchases())));
    }

    /** USD for one million purchases' worth of {@code bytes} (measured for {@code purchases}). */
    static String perMillion(long bytes, int purchases) {
        BigDecimal gb = new BigDecimal(BigInteger.valueOf(bytes).multiply(BigInteger.valueOf(1_000_000)))
                .divide(BigDecimal.valueOf(purchases), 6, java.math.RoundingMode.HALF_UP)
                .divide(BigDecimal.valueOf(1L << 30), 9, java.math.RoundingMode.HALF_UP);
        return "$" + gb.multiply(USD_PER_GB).setScale(4, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    private static String memory() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return Math.round(kb / 1048576.0) + " GiB";
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "memory unknown";
    }

    // ------------------------------------------------------------------ helpers

    static <T> List<List<T>> chunks(List<T> list, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int from = 0; from < list.size(); from += size) {
            out.add(list.subList(from, Math.min(list.size(), from + size)));
        }
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
