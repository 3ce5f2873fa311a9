package com.edgeinventory.central.handler;

import static com.edgeinventory.central.handler.AnalyticsEvents.body;
import static com.edgeinventory.central.handler.AnalyticsEvents.event;
import static com.edgeinventory.central.handler.AnalyticsEvents.get;
import static com.edgeinventory.central.handler.AnalyticsEvents.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.edgeinventory.central.adapter.FreshnessItems;
import com.edgeinventory.central.adapter.LevelsTable;
import com.edgeinventory.central.adapter.SalesTable;
import com.edgeinventory.central.service.Aggregation;
import com.edgeinventory.local.provision.StackResources;
import com.edgeinventory.model.central.CentralCodec;
import com.edgeinventory.model.central.LevelChange;
import com.edgeinventory.model.central.SaleLine;
import com.edgeinventory.model.central.SkuDelta;
import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.LocalAwsExtension;
import com.edgeinventory.testing.TestLambdaContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The analytics API end to end against moto: the central tables provisioned from template.yaml, seeded through the
 * central aggregator's handler (Kinesis records of edge deltas), then queried through the handler with the
 * events/http-analytics-*.json fixtures and with generated requests.
 */
@ExtendWith(LocalAwsExtension.class)
class AnalyticsQueryIT {

    static final String EU = "eu-west-1";
    static final String US = "us-east-2";
    static final String AP = "ap-south-1";
    static final String SKU = "TR-RUN-42-BLU";
    static final Instant NOW = Instant.parse("2026-11-27T09:00:00Z");
    static final LocalDate D1 = LocalDate.parse("2026-11-26");
    static final LocalDate D2 = LocalDate.parse("2026-11-27");

    LevelsTable levels;
    SalesTable sales;
    FreshnessItems freshness;
    CentralAggregator aggregator;
    AnalyticsQuery handler;
    final AtomicLong sequence = new AtomicLong(49_100_000_000L);

    @BeforeEach
    void setUp(LocalAws aws) {
        aws.reset();
        DynamoDbClient dynamo = aws.dynamoDb();
        StackResources stack = aws.provision(Map.of("DeploymentRole", "central"));
        String salesTable = stack.physicalId("CentralSalesTable");
        levels = new LevelsTable(dynamo, stack.physicalId("CentralLevelsTable"));
        sales = new SalesTable(dynamo, salesTable, stack.physicalId("CentralSalesDedupTable"),
                Clock.fixed(NOW, ZoneOffset.UTC));
        freshness = new FreshnessItems(dynamo, salesTable);
        aggregator = new CentralAggregator(new Aggregation(levels, sales, freshness));
        // the handler reads through its own read-only SalesTable, as the deployed function does
        handler = new AnalyticsQuery(levels, SalesTable.reader(dynamo, salesTable), freshness,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    // ------------------------------------------------------------------ seeding through the aggregator

    static SkuDelta level(String region, String sku, long available, long reserved, long sold, long version,
                          String at, boolean deleted) {
        return new SkuDelta(region, sku, Optional.of(new LevelChange(sku, available, reserved, sold, version,
                Instant.parse(at).toEpochMilli(), deleted)), List.of());
    }

    static SaleLine line(LocalDate day, long qty, String amount, String currency) {
        return new SaleLine(UUID.randomUUID().toString(), day, "STORE-01", qty, new BigDecimal(amount), currency);
    }

    static SkuDelta sold(String region, String sku, SaleLine... lines) {
        return new SkuDelta(region, sku, Optional.empty(), List.of(lines));
    }

    void aggregate(List<SkuDelta> deltas) {
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        for (SkuDelta delta : deltas) {
            KinesisEvent.Record kinesis = new KinesisEvent.Record();
            kinesis.setPartitionKey(delta.partitionKey());
            kinesis.setSequenceNumber(Long.toString(sequence.incrementAndGet()));
            kinesis.setData(ByteBuffer.wrap(CentralCodec.encode(delta)));
            KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
            record.setKinesis(kinesis);
            record.setEventSourceARN("arn:aws:kinesis:eu-west-1:123456789012:stream/edge-inventory-dev-central");
            records.add(record);
        }
        KinesisEvent event = new KinesisEvent();
        event.setRecords(records);
        StreamsEventResponse response = aggregator.handleRequest(event, new TestLambdaContext());
        assertThat(response.getBatchItemFailures()).isEmpty();
    }

    /** The world the fixtures ask about. */
    void seed() {
        aggregate(List.of(
                level(EU, SKU, 8, 1, 12, 3, "2026-11-27T08:59:30Z", false),
                level(US, SKU, 40, 2, 5, 2, "2026-11-27T08:00:00Z", false),
                level(AP, SKU, 7, 0, 0, 1, "2026-11-26T11:00:00Z", false),
                level(AP, SKU, 7, 0, 0, 2, "2026-11-26T12:00:00Z", true),
                level(EU, "SKU-LOW-B", 2, 0, 1, 1, "2026-11-27T08:30:00Z", false),
                level(EU, "SKU-LOW-A", 2, 1, 0, 4, "2026-11-27T08:30:00.250Z", false),
                level(EU, "SKU-LOW-C", 9, 0, 0, 1, "2026-11-27T08:30:00Z", false),
                level(EU, "SKU-OK", 10, 0, 0, 1, "2026-11-27T08:30:00Z", false),
                level(EU, "SKU-GONE", 1, 0, 0, 2, "2026-11-27T08:30:00Z", true),
                level(US, "SKU-LOW-A", 0, 0, 3, 1, "2026-11-27T07:00:00Z", false),
                sold(EU, SKU, line(D1, 1, "89.90", "EUR"), line(D1, 1, "89.90", "EUR"), line(D2, 4, "359.60", "EUR"),
                        line(D2.minusDays(7), 100, "8990.00", "EUR")),
                sold(EU, "SKU-LOW-A", line(D2, 5, "50.00", "EUR")),
                sold(EU, "SKU-LOW-B", line(D1, 3, "27.30", "EUR"), line(D1, 2, "20.00", "USD")),
                sold(US, SKU, line(D2, 4, "400.00", "USD"), line(D2.minusDays(6), 1, "100.00", "USD"))));
    }

    APIGatewayV2HTTPResponse send(APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, new TestLambdaContext());
    }

    JsonNode ok(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse response = send(event);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/json");
        return body(response);
    }

    JsonNode fixture(String name) {
        return ok(EventLoader.loadApiGatewayHttpEvent(name));
    }

    // ------------------------------------------------------------------ the fixtures

    @Test
    void availabilityFixtureListsTheLiveRegionsAndTheGlobalTotals() {
        seed();

        assertThat(fixture("http-analytics-availability.json")).isEqualTo(json("""
                {"query":"availability","params":{"sku":"TR-RUN-42-BLU"},
                 "columns":["region","available","reserved","sold","version","updatedAt"],
                 "items":[
                   {"region":"eu-west-1","available":8,"reserved":1,"sold":12,"version":3,"updatedAt":"2026-11-27T08:59:30Z"},
                   {"region":"us-east-2","available":40,"reserved":2,"sold":5,"version":2,"updatedAt":"2026-11-27T08:00:00Z"}],
                 "totals":{"region":"ALL","available":48,"reserved":3,"sold":17}}
                """));
    }

    @Test
    void lowStockFixtureListsTheRegionsLiveLevelsStrictlyBelowTheThreshold() {
        seed();

        assertThat(fixture("http-analytics-low-stock.json")).isEqualTo(json("""
                {"query":"low-stock","params":{"region":"eu-west-1","threshold":10,"limit":50},
                 "columns":["sku","available","reserved","sold","updatedAt"],
                 "items":[
                   {"sku":"SKU-LOW-A","available":2,"reserved":1,"sold":0,"updatedAt":"2026-11-27T08:30:00.250Z"},
                   {"sku":"SKU-LOW-B","available":2,"reserved":0,"sold":1,"updatedAt":"2026-11-27T08:30:00Z"},
                   {"sku":"TR-RUN-42-BLU","available":8,"reserved":1,"sold":12,"updatedAt":"2026-11-27T08:59:30Z"},
                   {"sku":"SKU-LOW-C","available":9,"reserved":0,"sold":0,"updatedAt":"2026-11-27T08:30:00Z"}]}
                """));
    }

    @Test
    void topSellersFixtureRanksTheRangesSalesByUnitsThenSku() {
        seed();

        assertThat(fixture("http-analytics-top-sellers.json")).isEqualTo(json("""
                {"query":"top-sellers","params":{"region":"eu-west-1","from":"2026-11-26","to":"2026-11-27","limit":5},
                 "columns":["rank","sku","qty","lines","amounts"],
                 "items":[
                   {"rank":1,"sku":"TR-RUN-42-BLU","qty":6,"lines":3,"amounts":{"EUR":"539.40"}},
                   {"rank":2,"sku":"SKU-LOW-A","qty":5,"lines":1,"amounts":{"EUR":"50.00"}},
                   {"rank":3,"sku":"SKU-LOW-B","qty":5,"lines":2,"amounts":{"EUR":"27.30","USD":"20.00"}}]}
                """));
    }

    @Test
    void velocityFixtureCoversEveryKnownRegionOverTheSevenDaysEndingAtTo() {
        seed();

        assertThat(fixture("http-analytics-velocity.json")).isEqualTo(json("""
                {"query":"velocity","params":{"sku":"TR-RUN-42-BLU","days":7,"to":"2026-11-27","region":null},
                 "columns":["region","units","days","unitsPerDay"],
                 "items":[
                   {"region":"ap-south-1","units":0,"days":7,"unitsPerDay":0.00},
                   {"region":"eu-west-1","units":6,"days":7,"unitsPerDay":0.86},
                   {"region":"us-east-2","units":5,"days":7,"unitsPerDay":0.71}],
                 "totals":{"region":"ALL","units":11,"days":7,"unitsPerDay":1.57}}
                """));
    }

    @Test
    void freshnessFixtureGivesEachRegionsNewestEventAndItsLag() {
        seed();

        assertThat(fixture("http-analytics-freshness.json")).isEqualTo(json("""
                {"query":"freshness","params":{},
                 "columns":["region","newestEventAt","lagSeconds"],
                 "items":[
                   {"region":"ap-south-1","newestEventAt":"2026-11-26T12:00:00Z","lagSeconds":75600},
                   {"region":"eu-west-1","newestEventAt":"2026-11-27T08:59:30Z","lagSeconds":30},
                   {"region":"us-east-2","newestEventAt":"2026-11-27T08:00:00Z","lagSeconds":3600}]}
                """));
    }

    @Test
    void anEmptyCentralRegionAnswersEveryFixtureWithNoRows() {
        for (String name : AnalyticsEvents.FIXTURES) {
            JsonNode body = fixture(name);
            assertThat(body.path("items").isArray()).isTrue();
            assertThat(body.path("items")).as(name).isEmpty();
        }
        assertThat(fixture("http-analytics-availability.json").path("totals"))
                .isEqualTo(json("{\"region\":\"ALL\",\"available\":0,\"reserved\":0,\"sold\":0}"));
        assertThat(fixture("http-analytics-velocity.json").path("totals"))
                .isEqualTo(json("{\"region\":\"ALL\",\"units\":0,\"days\":7,\"unitsPerDay\":0.00}"));
    }

    // ------------------------------------------------------------------ generated requests

    @Test
    void defaultsApplyAndAreEchoed() {
        seed();

        JsonNode lowStock = ok(get("/analytics/low-stock", "region=eu-west-1"));
        JsonNode topSellers = ok(get("/analytics/top-sellers", "region=eu-west-1"));
        JsonNode velocity = ok(get("/analytics/velocity/TR-RUN-42-BLU", "region=us-east-2"));

        assertThat(lowStock.path("params")).isEqualTo(json("{\"region\":\"eu-west-1\",\"threshold\":10,\"limit\":100}"));
        assertThat(lowStock.path("items")).hasSize(4);
        assertThat(topSellers.path("params")).isEqualTo(json(
                "{\"region\":\"eu-west-1\",\"from\":\"2026-11-27\",\"to\":\"2026-11-27\",\"limit\":10}"));
        assertThat(topSellers.path("items").findValuesAsText("sku")).containsExactly("SKU-LOW-A", "TR-RUN-42-BLU");
        assertThat(velocity.path("params")).isEqualTo(json(
                "{\"sku\":\"TR-RUN-42-BLU\",\"days\":7,\"to\":\"2026-11-27\",\"region\":\"us-east-2\"}"));
        assertThat(velocity.path("items")).isEqualTo(json(
                "[{\"region\":\"us-east-2\",\"units\":5,\"days\":7,\"unitsPerDay\":0.71}]"));
        assertThat(velocity.path("totals")).isEqualTo(json(
                "{\"region\":\"ALL\",\"units\":5,\"days\":7,\"unitsPerDay\":0.71}"));
    }

    @Test
    void lowStockLimitKeepsTheFirstSkusOfATieAcrossIndexPages() {
        List<SkuDelta> deltas = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            deltas.add(level(EU, String.format("TIE-%02d", 11 - i), 3, 0, 0, 1, "2026-11-27T08:00:00Z", i % 5 == 0));
        }
        deltas.add(level(EU, "ZERO-1", 0, 0, 0, 1, "2026-11-27T08:00:00Z", false));
        aggregate(deltas);

        JsonNode body = ok(get("/analytics/low-stock", "region=eu-west-1&threshold=4&limit=4"));

        // TIE-11, TIE-06 and TIE-01 are deleted
        assertThat(body.path("items").findValuesAsText("sku")).containsExactly("ZERO-1", "TIE-00", "TIE-02", "TIE-03");
        assertThat(ok(get("/analytics/low-stock", "region=eu-west-1&threshold=3")).path("items")
                .findValuesAsText("sku")).containsExactly("ZERO-1");
        assertThat(ok(get("/analytics/low-stock", "region=eu-west-1&threshold=0")).path("items")).isEmpty();
    }

    @Test
    void topSellersOverAFullYearCountBothEndsAndNothingOutside() {
        LocalDate from = D2.minusDays(365);
        aggregate(List.of(
                sold(EU, "SKU-FIRST-DAY", line(from, 2, "20.00", "EUR")),
                sold(EU, "SKU-LAST-DAY", line(D2, 1, "10", "EUR")),
                sold(EU, "SKU-OUTSIDE", line(from.minusDays(1), 50, "1.00", "EUR"), line(D2.plusDays(1), 50, "1.00", "EUR"))));

        JsonNode body = ok(get("/analytics/top-sellers", "region=eu-west-1&from=" + from + "&to=" + D2));

        assertThat(body.path("items")).isEqualTo(json("""
                [{"rank":1,"sku":"SKU-FIRST-DAY","qty":2,"lines":1,"amounts":{"EUR":"20.00"}},
                 {"rank":2,"sku":"SKU-LAST-DAY","qty":1,"lines":1,"amounts":{"EUR":"10.00"}}]"""));
    }

    @Test
    void velocityOverManyRegionsAndAFullYearGoesThroughSeveralBatchGets() {
        List<SkuDelta> deltas = new ArrayList<>();
        List<String> regions = List.of("eu-west-1", "eu-central-1", "us-east-2", "ap-south-1");
        for (String region : regions) {
            deltas.add(level(region, SKU, 1, 0, 0, 1, "2026-11-27T08:00:00Z", false));
            deltas.add(sold(region, SKU, line(D2.minusDays(365), 3, "3.00", "EUR"), line(D2, 1, "1.00", "EUR"),
                    line(D2.minusDays(366), 1000, "1.00", "EUR")));
        }
        aggregate(deltas);

        JsonNode body = ok(get("/analytics/velocity/TR-RUN-42-BLU", "days=366"));

        assertThat(body.path("items").findValuesAsText("region"))
                .containsExactly("ap-south-1", "eu-central-1", "eu-west-1", "us-east-2");
        assertThat(body.path("items").findValuesAsText("units")).containsOnly("4");
        assertThat(body.path("totals")).isEqualTo(json(
                "{\"region\":\"ALL\",\"units\":16,\"days\":366,\"unitsPerDay\":0.04}"));
    }

    @Test
    void anUnknownSkuHasNoRegionsAndZeroTotals() {
        seed();

        JsonNode body = ok(get("/analytics/availability/NO-SUCH-SKU", ""));

        assertThat(body.path("items")).isEmpty();
        assertThat(body.path("totals")).isEqualTo(json("{\"region\":\"ALL\",\"available\":0,\"reserved\":0,\"sold\":0}"));
    }

    // ------------------------------------------------------------------ bad input never crashes

    record Bad(String method, String path, String query, int status, String field) {}

    @Test
    void badInputIsAProblemNamingTheParameterNeverA5xx() {
        seed();
        List<Bad> table = List.of(
                new Bad("GET", "/analytics/availability/tr-run-42-blu", "", 400, "sku"),
                new Bad("GET", "/analytics/availability/A%2FB", "", 400, "sku"),
                new Bad("GET", "/analytics/availability/TR-RUN-42-BLU", "region=eu-west-1", 400, "region"),
                new Bad("GET", "/analytics/low-stock", "", 400, "region"),
                new Bad("GET", "/analytics/low-stock", "region=%23ALL", 400, "region"),
                new Bad("GET", "/analytics/low-stock", "region=eu-west-1&threshold=-1", 400, "threshold"),
                new Bad("GET", "/analytics/low-stock", "region=eu-west-1&threshold=1000000001", 400, "threshold"),
                new Bad("GET", "/analytics/low-stock", "region=eu-west-1&limit=0", 400, "limit"),
                new Bad("GET", "/analytics/low-stock", "region=eu-west-1&limit=1001", 400, "limit"),
                new Bad("GET", "/analytics/low-stock", "region=eu-west-1&region=us-east-2", 400, "region"),
                new Bad("GET", "/analytics/low-stock", "region=eu-west-1&sort=sku", 400, "sort"),
                new Bad("GET", "/analytics/low-stock", "region=eu-west-1&limit=%FF", 400, null),
                new Bad("GET", "/analytics/top-sellers", "region=eu-west-1&from=2026-02-30", 400, "from"),
                new Bad("GET", "/analytics/top-sellers", "region=eu-west-1&to=tomorrow", 400, "to"),
                new Bad("GET", "/analytics/top-sellers", "region=eu-west-1&from=2026-11-28&to=2026-11-27", 400, null),
                new Bad("GET", "/analytics/top-sellers", "region=eu-west-1&from=2025-01-01&to=2026-11-27", 400, null),
                new Bad("GET", "/analytics/top-sellers", "region=eu-west-1&limit=101", 400, "limit"),
                new Bad("GET", "/analytics/velocity/TR-RUN-42-BLU", "days=0", 400, "days"),
                new Bad("GET", "/analytics/velocity/TR-RUN-42-BLU", "days=367", 400, "days"),
                new Bad("GET", "/analytics/velocity/TR-RUN-42-BLU", "to=2026-11-27T00:00Z", 400, "to"),
                new Bad("GET", "/analytics/velocity/TR-RUN-42-BLU", "region=mars", 400, "region"),
                new Bad("GET", "/analytics/freshness", "now=1", 400, "now"),
                new Bad("GET", "/analytics/nothing", "", 404, null),
                new Bad("GET", "/analytics/availability", "", 404, null),
                new Bad("GET", "/analytics/availability/%ZZ", "", 404, null),
                new Bad("POST", "/analytics/freshness", "", 405, null),
                new Bad("DELETE", "/analytics/availability/TR-RUN-42-BLU", "", 405, null));

        for (Bad bad : table) {
            // as API Gateway's $default route would hand it over: routing by the path alone
            APIGatewayV2HTTPResponse response = send(event(bad.method(), "$default", bad.path(), bad.query(), null));

            assertThat(response.getStatusCode()).as("%s", bad).isEqualTo(bad.status());
            assertThat(response.getHeaders()).as("%s", bad).containsEntry("content-type", "application/problem+json");
            JsonNode problem = body(response);
            assertThat(problem.path("status").asInt()).as("%s", bad).isEqualTo(bad.status());
            assertThat(problem.path("type").asText()).as("%s", bad).startsWith("https://edge-inventory.example/problems/");
            assertThat(problem.path("detail").asText()).as("%s", bad).isNotBlank();
            assertThat(problem.has("field") ? problem.path("field").asText() : null).as("%s", bad).isEqualTo(bad.field());
        }
    }

    @Test
    void randomRequestsNeverGetA5xx() {
        seed();
        Random random = new Random(20261127);
        List<String> paths = List.of("/analytics/availability/", "/analytics/velocity/", "/analytics/low-stock",
                "/analytics/top-sellers", "/analytics/freshness", "/analytics/", "/");
        List<String> names = List.of("region", "threshold", "limit", "from", "to", "days", "sku", "x", "");
        List<String> values = List.of("eu-west-1", "us-east-2", "0", "1", "10", "366", "367", "-1", "2026-11-27",
                "2026-02-29", "2025-11-27", "%00", "%", "+", "%2B1", "9999999999999999999999", "TR-RUN-42-BLU", "",
                "%E2%82%AC", "1e3", " 5");
        for (int i = 0; i < 300; i++) {
            String path = paths.get(random.nextInt(paths.size()));
            if (path.endsWith("/") && path.length() > 12) {
                path += random.nextBoolean() ? SKU : values.get(random.nextInt(values.size()));
            }
            StringBuilder query = new StringBuilder();
            for (int p = random.nextInt(4); p > 0; p--) {
                query.append(query.isEmpty() ? "" : "&").append(names.get(random.nextInt(names.size())))
                        .append('=').append(values.get(random.nextInt(values.size())));
            }
            String method = random.nextInt(10) == 0 ? "PUT" : "GET";

            APIGatewayV2HTTPResponse response = send(event(method, "$default", path, query.toString(), null));

            assertThat(response.getStatusCode()).as("%s %s?%s", method, path, query).isLessThan(500);
            assertThat(body(response).isObject()).isTrue();
        }
    }
}
