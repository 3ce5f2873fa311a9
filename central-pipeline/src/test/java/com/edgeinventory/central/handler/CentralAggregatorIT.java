package com.edgeinventory.central.handler;

import com.edgeinventory.central.service.AnalyticsStore;

import com.edgeinventory.central.service.AnalyticsResult;

import com.edgeinventory.central.service.AnalyticsRequest;

import com.edgeinventory.central.service.Analytics;

import com.edgeinventory.central.adapter.AnalyticsReads;

import com.edgeinventory.model.central.Visit;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.edgeinventory.central.adapter.FreshnessItems;
import com.edgeinventory.central.adapter.KinesisSink;
import com.edgeinventory.central.adapter.LevelsTable;
import com.edgeinventory.central.adapter.SalesTable;
import com.edgeinventory.central.service.Aggregation;
import com.edgeinventory.central.service.LevelMerge;
import com.edgeinventory.central.service.Levels;
import com.edgeinventory.central.service.RegionalLevel;
import com.edgeinventory.local.provision.StackResources;
import com.edgeinventory.model.central.CentralCodec;
import com.edgeinventory.model.central.LevelChange;
import com.edgeinventory.model.central.SaleLine;
import com.edgeinventory.model.central.SkuDelta;
import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.LocalAwsExtension;
import com.edgeinventory.testing.TestLambdaContext;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

@ExtendWith(LocalAwsExtension.class)
class CentralAggregatorIT {

    static final String EU = "eu-west-1";
    static final String US = "us-east-2";
    static final String SOURCE = "arn:aws:kinesis:us-east-1:123456789012:stream/edge-inventory-dev-central";
    static final Instant NOW = Instant.parse("2026-11-27T09:00:00Z");
    static final LocalDate D1 = LocalDate.parse("2026-11-26");
    static final LocalDate D2 = LocalDate.parse("2026-11-27");

    StackResources stack;
    DynamoDbClient dynamo;
    KinesisClient kinesis;
    LevelsTable levels;
    SalesTable sales;
    FreshnessItems freshness;
    CentralAggregator aggregator;
    final AtomicLong sequence = new AtomicLong(49_000_000_000L);

    @BeforeEach
    void setUp(LocalAws aws) {
        aws.reset();
        dynamo = aws.dynamoDb();
        stack = aws.provision(Map.of("DeploymentRole", "central"));
        kinesis = aws.kinesis();
        levels = new LevelsTable(dynamo, stack.physicalId("CentralLevelsTable"));
        sales = new SalesTable(dynamo, stack.physicalId("CentralSalesTable"), stack.physicalId("CentralSalesDedupTable"),
                Clock.fixed(NOW, ZoneOffset.UTC));
        freshness = new FreshnessItems(dynamo, stack.physicalId("CentralSalesTable"));
        aggregator = new CentralAggregator(new Aggregation(levels, sales, freshness));
    }

    // ------------------------------------------------------------------ records and delivery

    record Sent(String sequenceNumber, SkuDelta delta) {}

    KinesisEvent.KinesisEventRecord record(String partitionKey, byte[] data) {
        KinesisEvent.Record kinesis = new KinesisEvent.Record();
        kinesis.setPartitionKey(partitionKey);
        kinesis.setSequenceNumber(Long.toString(sequence.incrementAndGet()));
        kinesis.setData(ByteBuffer.wrap(data));
        kinesis.setApproximateArrivalTimestamp(java.util.Date.from(NOW));
        KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
        record.setKinesis(kinesis);
        record.setEventSource("aws:kinesis");
        record.setEventSourceARN(SOURCE);
        return record;
    }

    KinesisEvent.KinesisEventRecord record(SkuDelta delta) {
        return record(delta.partitionKey(), CentralCodec.encode(delta));
    }

    static KinesisEvent event(List<KinesisEvent.KinesisEventRecord> records) {
        KinesisEvent event = new KinesisEvent();
        event.setRecords(records);
        return event;
    }

    List<String> handle(List<KinesisEvent.KinesisEventRecord> records) {
        StreamsEventResponse response = aggregator.handleRequest(event(records), new TestLambdaContext());
        return response.getBatchItemFailures().stream()
                .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    /** Every delta twice, shuffled, in batches of {@code batchSize}; asserts no batch reports a failure. */
    void deliverTwiceShuffled(List<SkuDelta> deltas, long seed, int batchSize) {
        List<SkuDelta> deliveries = new ArrayList<>(deltas);
        deliveries.addAll(deltas);
        Collections.shuffle(deliveries, new Random(seed));
        for (int from = 0; from < deliveries.size(); from += batchSize) {
            List<KinesisEvent.KinesisEventRecord> batch = deliveries
                    .subList(from, Math.min(deliveries.size(), from + batchSize)).stream().map(this::record).toList();
            assertThat(handle(batch)).isEmpty();
        }
    }

    static SkuDelta level(String region, String sku, long available, long reserved, long sold, long version,
                          boolean deleted) {
        return new SkuDelta(region, sku,
                Optional.of(new LevelChange(sku, available, reserved, sold, version, 1_000L * version, deleted)),
                List.of());
    }

    // ------------------------------------------------------------------ levels

    @Test
    void levelsConvergeToTheNewestVersionUnderShuffledAndDuplicatedDeliveries() {
        String sku = "TR-RUN-42-BLU";
        List<SkuDelta> deltas = new ArrayList<>();
        Random random = new Random(7);
        for (long v = 1; v <= 12; v++) {
            deltas.add(level(EU, sku, random.nextInt(100), random.nextInt(10), random.nextInt(50), v, false));
        }

        deliverTwiceShuffled(deltas, 42, 5);

        LevelChange newest = deltas.getLast().level().orElseThrow();
        assertThat(levels.read(sku, EU)).contains(RegionalLevel.of(newest));
        assertThat(levels.totals(sku)).isEqualTo(new Levels(newest.available(), newest.reserved(), newest.sold()));
    }

    @Test
    void globalTotalsEqualTheSumOfRegionalLevelsAfterAShuffledDuplicatedRun() {
        List<String> skus = List.of("SKU-A", "SKU-B", "SKU-C", "SKU-D");
        List<String> regions = List.of(EU, US);
        Random random = new Random(11);
        List<SkuDelta> deltas = new ArrayList<>();
        Map<String, SkuDelta> newest = new HashMap<>();
        for (String region : regions) {
            for (String sku : skus) {
                for (long v = 1; v <= 6; v++) {
                    // SKU-D ends deleted in eu-west-1: its last levels leave the totals
                    boolean deleted = sku.equals("SKU-D") && region.equals(EU) && v == 6;
                    SkuDelta d = level(region, sku, random.nextInt(200), random.nextInt(20), random.nextInt(80), v,
                            deleted);
                    deltas.add(d);
                    newest.put(region + "#" + sku, d);
                }
            }
        }

        deliverTwiceShuffled(deltas, 3, 7);

        for (String sku : skus) {
            Levels sum = Levels.ZERO;
            for (String region : regions) {
                RegionalLevel expected = RegionalLevel.of(newest.get(region + "#" + sku).level().orElseThrow());
                assertThat(levels.read(sku, region)).contains(expected);
                sum = sum.minus(Levels.ZERO.minus(expected.contribution()));
            }
            assertThat(levels.totals(sku)).as("totals of %s", sku).isEqualTo(sum);
        }
        assertThat(levels.read("SKU-D", EU).orElseThrow().deleted()).isTrue();
    }

    @Test
    void totalsStayExactWhenAnotherWriterChangesTheRegionBetweenReadAndWrite() {
        String sku = "SKU-RACE";
        assertThat(handle(List.of(record(level(EU, sku, 10, 0, 0, 1, false))))).isEmpty();
        // a competing writer applies version 2 right after this aggregator has read version 1
        Aggregation.LevelStore racing = new Aggregation.LevelStore() {
            boolean raced;

            @Override
            public Optional<RegionalLevel> read(String s, String region) {
                Optional<RegionalLevel> read = levels.read(s, region);
                if (!raced) {
                    raced = true;
                    LevelMerge.Write w = (LevelMerge.Write) LevelMerge.merge(read,
                            level(EU, sku, 25, 1, 0, 2, false).level().orElseThrow());
                    assertThat(levels.write(s, region, w)).isTrue();
                }
                return read;
            }

            @Override
            public boolean write(String s, String region, LevelMerge.Write write) {
                return levels.write(s, region, write);
            }
        };
        CentralAggregator raced = new CentralAggregator(new Aggregation(racing, sales, freshness));

        StreamsEventResponse response = raced.handleRequest(event(List.of(record(level(EU, sku, 7, 3, 3, 3, false)))),
                new TestLambdaContext());

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(levels.read(sku, EU).orElseThrow().version()).isEqualTo(3);
        assertThat(levels.totals(sku)).isEqualTo(new Levels(7, 3, 3));
    }

    // ------------------------------------------------------------------ sales

    static SaleLine sale(LocalDate day, long qty, String amount, String currency) {
        return new SaleLine(UUID.randomUUID().toString(), day, "STORE-MUC-01", qty, new BigDecimal(amount), currency);
    }

    @Test
    void salesCountersAndRevenuePerCurrencyAreExactWhenEveryBatchIsDeliveredTwiceShuffled() {
        Random random = new Random(5);
        List<String> currencies = List.of("EUR", "USD", "CHF");
        List<String> skus = List.of("SKU-A", "SKU-B");
        List<SkuDelta> deltas = new ArrayList<>();
        for (String region : List.of(EU, US)) {
            for (String sku : skus) {
                for (int k = 0; k < 3; k++) {
                    List<SaleLine> lines = new ArrayList<>();
                    int n = k == 0 ? 35 : 1 + random.nextInt(6); // 35 lines: more than one transaction's worth
                    for (int i = 0; i < n; i++) {
                        lines.add(sale(random.nextBoolean() ? D1 : D2, 1 + random.nextInt(3),
                                (1 + random.nextInt(9999)) / 100 + "." + String.format("%02d", random.nextInt(100)),
                                currencies.get(random.nextInt(currencies.size()))));
                    }
                    deltas.add(new SkuDelta(region, sku, Optional.empty(), lines));
                }
            }
        }
        // a redelivery that overlaps an applied delta: part counted, part new; the counted lines must not repeat
        SkuDelta first = deltas.getFirst();
        List<SaleLine> overlap = new ArrayList<>(first.sales().subList(0, 3));
        overlap.add(sale(D1, 4, "12.34", "EUR"));
        SkuDelta overlapping = new SkuDelta(first.region(), first.sku(), Optional.empty(), overlap);

        deliverTwiceShuffled(deltas, 9, 4);
        assertThat(handle(List.of(record(overlapping)))).isEmpty();

        Map<String, Long> qty = new TreeMap<>();
        Map<String, Map<String, BigDecimal>> amounts = new TreeMap<>();
        Map<String, Map<String, BigDecimal>> revenue = new TreeMap<>();
        List<SkuDelta> all = new ArrayList<>(deltas);
        all.add(new SkuDelta(first.region(), first.sku(), Optional.empty(), List.of(overlap.getLast())));
        for (SkuDelta d : all) {
            for (SaleLine l : d.sales()) {
                String counter = d.region() + "|" + l.day() + "|" + d.sku();
                qty.merge(counter, l.qty(), Long::sum);
                amounts.computeIfAbsent(counter, c -> new TreeMap<>()).merge(l.currency(), l.amount(), BigDecimal::add);
                revenue.computeIfAbsent(d.region() + "|" + l.day(), c -> new TreeMap<>())
                        .merge(l.currency(), l.amount(), BigDecimal::add);
            }
        }
        qty.forEach((counter, expectedQty) -> {
            String[] p = counter.split("\\|");
            SalesTable.Counter stored = sales.counter(p[0], LocalDate.parse(p[1]), p[2]);
            assertThat(stored.qty()).as("qty of %s", counter).isEqualTo(expectedQty);
            assertThat(normalized(stored.amounts())).as("amounts of %s", counter)
                    .isEqualTo(normalized(amounts.get(counter)));
        });
        revenue.forEach((key, expected) -> {
            String[] p = key.split("\\|");
            assertThat(normalized(sales.revenue(p[0], LocalDate.parse(p[1])).amounts())).as("revenue of %s", key)
                    .isEqualTo(normalized(expected));
        });
        long lines = all.stream().mapToLong(d -> d.sales().size()).sum();
        long storedLines = revenue.keySet().stream().map(k -> k.split("\\|"))
                .mapToLong(p -> sales.revenue(p[0], LocalDate.parse(p[1])).lines()).sum();
        assertThat(storedLines).isEqualTo(lines);
    }

    /**
     * A purchase's lines arrive in the deltas of its skus, each basket marked on its first line only: the stores'
     * baskets, units and revenue and the region's buyers and mix are counted once however the deltas are shuffled
     * and redelivered, and the two new queries read them back.
     */
    @Test
    void storesBuyersAndTheMixAreExactWhenEveryDeltaIsDeliveredTwiceShuffled() {
        List<SkuDelta> deltas = new ArrayList<>();
        Map<String, List<SaleLine>> bySku = new java.util.TreeMap<>();
        // 30 purchases in 3 stores: purchase i buys 1 + i % 2 of SHOE-42 (running-shoes, 42) and, when i % 3 == 0,
        // one JACKET-M (jackets, M); buyers cycle new, returning, anonymous.
        long baskets = 0;
        for (int i = 0; i < 30; i++) {
            String id = UUID.randomUUID().toString();
            String store = "STORE-" + (i % 3);
            Visit visit = List.of(Visit.NEW, Visit.RETURNING, Visit.ANONYMOUS).get(i % 3);
            bySku.computeIfAbsent("SHOE-42", k -> new ArrayList<>()).add(new SaleLine(id, D2, store, 1 + i % 2,
                    new BigDecimal("89.90").multiply(BigDecimal.valueOf(1 + i % 2)), "EUR", true, visit));
            if (i % 3 == 0) {
                bySku.computeIfAbsent("JACKET-M", k -> new ArrayList<>()).add(new SaleLine(id, D2, store, 1,
                        new BigDecimal("120.00"), "EUR", false, Visit.UNKNOWN));
            }
            baskets++;
        }
        Map<String, SkuDelta.Attributes> kinds = Map.of("SHOE-42", new SkuDelta.Attributes("running-shoes", "42"),
                "JACKET-M", new SkuDelta.Attributes("jackets", "M"));
        bySku.forEach((sku, lines) -> {
            for (int from = 0; from < lines.size(); from += 7) {
                deltas.add(new SkuDelta(EU, sku, Optional.empty(), lines.subList(from, Math.min(lines.size(), from + 7)),
                        Optional.of(kinds.get(sku))));
            }
        });

        deliverTwiceShuffled(deltas, 7, 4);

        assertThat(sales.storesOfDay(EU, D2)).extracting(st -> st.storeId() + " " + st.baskets() + " " + st.units()
                + " " + st.lines() + " " + normalized(st.amounts())).containsExactly(
                // STORE-0: i = 0,3,...,27 (10 baskets): shoes 1+0,1+1,... = 15 units, jackets 10 (every i % 3 == 0)
                "STORE-0 10 25 20 {EUR=2548.5}",
                "STORE-1 10 15 10 {EUR=1348.5}",
                "STORE-2 10 15 10 {EUR=1348.5}");
        var mix = sales.mixOfDay(EU, D2);
        assertThat(mix.baskets()).isEqualTo(Map.of(Visit.NEW, 10L, Visit.RETURNING, 10L, Visit.ANONYMOUS, 10L));
        assertThat(mix.categories()).isEqualTo(Map.of("running-shoes", 45L, "jackets", 10L));
        assertThat(mix.sizes()).isEqualTo(Map.of("42", 45L, "M", 10L));
        assertThat(baskets).isEqualTo(30);

        Analytics analytics = new Analytics(new AnalyticsReads(levels, sales,
                freshness), Clock.fixed(NOW, ZoneOffset.UTC));
        AnalyticsResult performance = analytics.run(new AnalyticsRequest.RegionalPerformance(Optional.of(EU), D2, D2));
        assertThat(performance.totals().orElseThrow()).containsEntry("baskets", 30L).containsEntry("units", 55L)
                .containsEntry("unitsPerBasket", new BigDecimal("1.83"));
        AnalyticsResult behaviour = analytics.run(new AnalyticsRequest.CustomerBehaviour(Optional.of(EU), D1, D2));
        assertThat(behaviour.items().getFirst()).containsEntry("returningShare", new BigDecimal("0.500"))
                .containsEntry("baskets", 30L);
    }

    /** Counters only grow: whatever the order and however often they arrive, central keeps the largest. */
    @Test
    void lostDemandKeepsTheLargestCountersUnderReorderingAndRedelivery() {
        List<SkuDelta> deltas = new ArrayList<>();
        for (long n = 1; n <= 6; n++) {
            deltas.add(new SkuDelta(EU, "DROP-44", Optional.empty(), List.of(), Optional.empty(),
                    List.of(new com.edgeinventory.model.central.LostDemand(D2, "STORE-1", 2 * n, n, n / 2))));
        }
        // After the last refusal, alternatives bought: the refusals stand, the alternatives grow.
        for (long a = 1; a <= 3; a++) {
            deltas.add(new SkuDelta(EU, "DROP-44", Optional.empty(), List.of(), Optional.empty(),
                    List.of(new com.edgeinventory.model.central.LostDemand(D2, "STORE-1", 12, 6, 3, a))));
        }
        deltas.add(new SkuDelta(EU, "SOCK", Optional.empty(), List.of(), Optional.empty(),
                List.of(new com.edgeinventory.model.central.LostDemand(D2, "STORE-2", 1, 1, 0))));

        deliverTwiceShuffled(deltas, 11, 3);

        assertThat(sales.lostDemandOfDay(EU, D2)).containsExactlyInAnyOrder(
                new AnalyticsStore.LostDay("DROP-44", "STORE-1", 12, 6, 3, 3),
                new AnalyticsStore.LostDay("SOCK", "STORE-2", 1, 1, 0));
        AnalyticsResult top = new Analytics(new AnalyticsReads(levels, sales, freshness), Clock.fixed(NOW,
                ZoneOffset.UTC)).run(new AnalyticsRequest.LostDemand(Optional.of(EU), D2, D2, 1));
        assertThat(top.items()).extracting(r -> r.get("sku") + " " + r.get("refusedUnits") + " "
                + r.get("alternativesBought")).containsExactly("DROP-44 12 3");
        assertThat(top.totals().orElseThrow()).containsEntry("alternativesBought", 3L);
    }

    /**
     * The forecast on known data through the real aggregator: four weeks of a weekly pattern sold and refused
     * (Saturdays sell out at 20), levels of 20 available: the forecast repeats the week, with the refused units.
     */
    @Test
    void theForecastReadsWhatTheAggregatorCountedSoldAndRefused() {
        double[] week = {10, 10, 12, 14, 20, 30, 8};
        List<SkuDelta> deltas = new ArrayList<>();
        deltas.add(level(EU, "DROP-44", 20, 0, 0, 1, false));
        for (int i = 0; i < 28; i++) {
            LocalDate day = D2.minusDays(27 - i);
            long demand = (long) week[i % 7];
            long sold = Math.min(demand, 20);
            List<SaleLine> lines = new ArrayList<>();
            for (long u = 0; u < sold; u++) {
                lines.add(new SaleLine(UUID.randomUUID().toString(), day, "STORE-1", 1, new BigDecimal("199.00"), "EUR",
                        true, Visit.ANONYMOUS));
            }
            List<com.edgeinventory.model.central.LostDemand> lost = demand > sold
                    ? List.of(new com.edgeinventory.model.central.LostDemand(day, "STORE-1", demand - sold, 1, 0))
                    : List.of();
            deltas.add(new SkuDelta(EU, "DROP-44", Optional.empty(), lines, Optional.empty(), lost));
        }
        deliverTwiceShuffled(deltas, 3, 5);

        AnalyticsResult r = new Analytics(new AnalyticsReads(levels, sales, freshness), Clock.fixed(NOW,
                ZoneOffset.UTC)).run(new AnalyticsRequest.Forecast("DROP-44", Optional.of(EU), 7, 28, 7, D2));

        Map<String, Object> row = r.items().getFirst();
        assertThat(row).containsEntry("method", "holt-winters").containsEntry("historyUnits", 416L)
                .containsEntry("available", 20L);
        @SuppressWarnings("unchecked")
        List<BigDecimal> perDay = (List<BigDecimal>) row.get("demandPerDay");
        for (int h = 0; h < 7; h++) {
            assertThat(perDay.get(h).doubleValue()).as("day %d", h).isCloseTo(week[(28 + h) % 7],
                    org.assertj.core.data.Offset.offset(1.0));
        }
        assertThat((long) row.get("reorderUnits")).isBetween(81L, 87L);
    }

    static Map<String, BigDecimal> normalized(Map<String, BigDecimal> amounts) {
        Map<String, BigDecimal> n = new TreeMap<>();
        amounts.forEach((c, a) -> n.put(c, a.stripTrailingZeros()));
        return n;
    }

    // ------------------------------------------------------------------ partial failures

    @Test
    void aPoisonRecordIsReportedAloneWhileTheRestOfTheBatchIsApplied() {
        SkuDelta a1 = level(EU, "SKU-A", 5, 0, 0, 1, false);
        SkuDelta b1 = level(EU, "SKU-B", 8, 1, 0, 1, false);
        SkuDelta a2 = level(EU, "SKU-A", 4, 0, 1, 2, false);
        byte[] valid = CentralCodec.encode(level(EU, "SKU-A", 1, 1, 1, 3, false));
        KinesisEvent.KinesisEventRecord garbage = record(a1.partitionKey(), new byte[] {9, 9, 9});
        KinesisEvent.KinesisEventRecord truncated = record(a1.partitionKey(), Arrays.copyOf(valid, valid.length - 2));
        List<KinesisEvent.KinesisEventRecord> batch = List.of(record(a1), garbage, record(b1), truncated, record(a2));

        List<String> failures = handle(batch);

        assertThat(failures).containsExactly(garbage.getKinesis().getSequenceNumber(),
                truncated.getKinesis().getSequenceNumber());
        assertThat(levels.read("SKU-A", EU).orElseThrow().version()).isEqualTo(2);
        assertThat(levels.read("SKU-B", EU).orElseThrow().available()).isEqualTo(8);
    }

    @Test
    void aTransientErrorReportsTheRecordAndEveryLaterRecordOfItsKeyAndTheRedeliveryCatchesUp() {
        Set<String> failOnce = new HashSet<>(Set.of("SKU-X"));
        Aggregation.LevelStore flaky = new Aggregation.LevelStore() {
            @Override
            public Optional<RegionalLevel> read(String sku, String region) {
                if (failOnce.remove(sku)) {
                    throw SdkClientException.create("connection reset (simulated)");
                }
                return levels.read(sku, region);
            }

            @Override
            public boolean write(String sku, String region, LevelMerge.Write write) {
                return levels.write(sku, region, write);
            }
        };
        CentralAggregator aggregatorWithFlakyStore = new CentralAggregator(new Aggregation(flaky, sales, freshness));
        List<KinesisEvent.KinesisEventRecord> batch = List.of(record(level(EU, "SKU-A", 1, 0, 0, 1, false)),
                record(level(EU, "SKU-X", 10, 0, 0, 1, false)), record(level(EU, "SKU-B", 2, 0, 0, 1, false)),
                record(level(EU, "SKU-X", 9, 0, 1, 2, false)), record(level(EU, "SKU-A", 3, 0, 0, 2, false)));

        List<String> failures = aggregatorWithFlakyStore.handleRequest(event(batch), new TestLambdaContext())
                .getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();

        assertThat(failures).containsExactly(batch.get(1).getKinesis().getSequenceNumber(),
                batch.get(3).getKinesis().getSequenceNumber());
        assertThat(levels.read("SKU-X", EU)).isEmpty();
        assertThat(levels.read("SKU-A", EU).orElseThrow().version()).isEqualTo(2);

        // Lambda redelivers from the lowest reported sequence number
        List<String> again = aggregatorWithFlakyStore.handleRequest(event(batch.subList(1, batch.size())),
                new TestLambdaContext()).getBatchItemFailures().stream()
                .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();

        assertThat(again).isEmpty();
        assertThat(levels.read("SKU-X", EU).orElseThrow().version()).isEqualTo(2);
        assertThat(levels.totals("SKU-X")).isEqualTo(new Levels(9, 0, 1));
        assertThat(levels.totals("SKU-A")).isEqualTo(new Levels(3, 0, 0));
    }

    // ------------------------------------------------------------------ freshness

    @Test
    void freshnessKeepsTheNewestEdgeTimePerRegion() {
        List<SkuDelta> deltas = new ArrayList<>();
        for (long v = 1; v <= 5; v++) {
            deltas.add(level(EU, "SKU-A", v, 0, 0, v, false));
            deltas.add(level(US, "SKU-A", v, 0, 0, v * 2, false));
        }
        deltas.add(new SkuDelta(EU, "SKU-S", Optional.empty(), List.of(sale(D1, 1, "1.00", "EUR"))));

        deliverTwiceShuffled(deltas, 1, 3);

        assertThat(freshness.read(EU)).hasValue(5_000L);
        assertThat(freshness.read(US)).hasValue(10_000L);
        assertThat(freshness.read("ap-south-1")).isEmpty();
    }

    // ------------------------------------------------------------------ through the central stream

    /** What the forwarder's sink wrote to the provisioned central stream, as Lambda would hand it over. */
    List<KinesisEvent.KinesisEventRecord> readCentralStream(String stream) {
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            List<Record> page;
            do {
                String it = iterator;
                var response = kinesis.getRecords(b -> b.shardIterator(it));
                page = response.records();
                for (Record r : page) {
                    KinesisEvent.KinesisEventRecord record = record(r.partitionKey(), r.data().asByteArray());
                    record.getKinesis().setSequenceNumber(r.sequenceNumber());
                    records.add(record);
                }
                iterator = response.nextShardIterator();
            } while (!page.isEmpty() && iterator != null);
        }
        return records;
    }

    @Test
    void deltasSentByTheForwardersSinkThroughTheCentralStreamAreAggregatedOnceWhenReadTwice() {
        String stream = stack.physicalId("CentralStream");
        SaleLine eur = sale(D2, 2, "179.80", "EUR");
        SaleLine usd = sale(D2, 1, "49.95", "USD");
        List<SkuDelta> deltas = List.of(
                new SkuDelta(EU, "SKU-A", Optional.of(new LevelChange("SKU-A", 8, 1, 2, 3, 3_000, false)),
                        List.of(eur, usd)),
                new SkuDelta(US, "SKU-A", Optional.of(new LevelChange("SKU-A", 5, 0, 0, 9, 4_000, false)), List.of()),
                level(EU, "SKU-A", 99, 0, 0, 2, false));
        KinesisSink sink = new KinesisSink(kinesis, stream, d -> { });
        assertThat(sink.send(deltas.stream()
                .map(d -> new KinesisSink.Entry(d.partitionKey(), CentralCodec.encode(d))).toList(),
                line -> { throw new AssertionError("unexpected sink warning: " + line); })).isEmpty();

        List<KinesisEvent.KinesisEventRecord> records = readCentralStream(stream);
        assertThat(records).hasSize(3);
        assertThat(handle(records)).isEmpty();
        assertThat(handle(records)).isEmpty();

        assertThat(levels.read("SKU-A", EU).orElseThrow().version()).isEqualTo(3);
        assertThat(levels.totals("SKU-A")).isEqualTo(new Levels(13, 1, 2));
        SalesTable.Counter counter = sales.counter(EU, D2, "SKU-A");
        assertThat(counter.qty()).isEqualTo(3);
        assertThat(normalized(counter.amounts()))
                .isEqualTo(Map.of("EUR", new BigDecimal("179.8"), "USD", new BigDecimal("49.95")));
        assertThat(freshness.read(US)).hasValue(4_000L);
    }
}
