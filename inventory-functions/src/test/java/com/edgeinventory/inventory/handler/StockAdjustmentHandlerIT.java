package com.edgeinventory.inventory.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.edgeinventory.inventory.service.ProductUploadService;
import com.edgeinventory.inventory.service.StockAdjustmentService;
import com.edgeinventory.inventory.service.image.ImageLimits;
import com.edgeinventory.inventory.service.image.ImageProcessor;
import com.edgeinventory.model.AdjustmentReason;
import com.edgeinventory.model.Json;
import com.edgeinventory.model.StockAdjustment;
import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.LocalAwsExtension;
import com.edgeinventory.testing.TestLambdaContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(LocalAwsExtension.class)
class StockAdjustmentHandlerIT {

    static final String SKU = "TR-RUN-42-BLU";
    static final String OTHER = "TR-RUN-43-RED";
    static final String STOCK_KEY = "stock/WH-MUC-1/batch-0001.jsonl";

    UploadFixture fx;
    StockAdjustmentHandler handler;
    TestLambdaContext context = new TestLambdaContext();

    @BeforeEach
    void setUp(LocalAws aws) {
        aws.reset();
        fx = new UploadFixture(aws);
        handler = new StockAdjustmentHandler(new StockAdjustmentService(fx.uploads, fx.inventory, UploadFixture.CLOCK));
        createProduct(SKU, 25);
        createProduct(OTHER, 5);
    }

    private void createProduct(String sku, int stock) {
        String key = "products/" + sku + "/product.json";
        fx.put(key, new String(UploadFixture.sample("products/TR-RUN-42-BLU/product.json"), java.nio.charset.StandardCharsets.UTF_8)
                .replace("TR-RUN-42-BLU", sku).replace("\"stock\": 25", "\"stock\": " + stock));
        ProductUploadHandler products = new ProductUploadHandler(new ProductUploadService(fx.uploads, fx.inventory,
                new ImageProcessor(ImageLimits.DEFAULT, List.of(128)), UploadFixture.CLOCK, 1024));
        assertThat(products.handleRequest(fx.event("ObjectCreated:Put", key, "01"), context).results().getFirst().outcome())
                .isEqualTo("APPLIED");
    }

    private UploadReport.Result handle(S3Event event) {
        return handler.handleRequest(event, context).results().getFirst();
    }

    private JsonNode report() throws IOException {
        return Json.mapper().readTree(fx.text(StockAdjustmentService.reportKey(STOCK_KEY)));
    }

    private List<Map<String, AttributeValue>> ledger() {
        return fx.allItems().stream().filter(i -> i.get("sk").s().startsWith("ADJ#")).toList();
    }

    private long total(String sku) {
        return fx.number(sku, "available") + fx.number(sku, "reserved") + fx.number(sku, "sold");
    }

    @Test
    void theSampleFileAppliesTwoLinesAndRefusesTheOneThatWouldOversell() throws IOException {
        fx.putSample(STOCK_KEY);

        UploadReport.Result result = handle(UploadFixture.event("s3-stock-created.json"));

        assertThat(result.outcome()).isEqualTo("APPLIED");
        assertThat(fx.number(SKU, "available")).isEqualTo(25 + 10 - 3);
        assertThat(fx.number(SKU, "version")).isEqualTo(3);
        JsonNode report = report();
        assertThat(report.get("applied").asInt()).isEqualTo(2);
        assertThat(report.get("alreadyDecided").asInt()).isZero();
        assertThat(report.get("refused")).hasSize(1);
        JsonNode refused = report.get("refused").get(0);
        assertThat(refused.get("line").asInt()).isEqualTo(3);
        assertThat(refused.get("delta").asLong()).isEqualTo(-500);
        assertThat(refused.get("code").asText()).isEqualTo("INSUFFICIENT_STOCK");
        assertThat(refused.get("available").asLong()).isEqualTo(32);
        assertThat(ledger()).hasSize(3);
    }

    @Test
    void aRedeliveredFileChangesNothing() throws IOException {
        fx.putSample(STOCK_KEY);
        handle(UploadFixture.event("s3-stock-created.json"));
        Map<String, AttributeValue> before = fx.item(SKU).orElseThrow();

        UploadReport.Result again = handle(UploadFixture.event("s3-stock-created.json"));

        assertThat(again.outcome()).isEqualTo("APPLIED");
        assertThat(fx.item(SKU).orElseThrow()).isEqualTo(before);
        assertThat(report().get("applied").asInt()).isZero();
        assertThat(report().get("alreadyDecided").asInt()).isEqualTo(3);
        assertThat(ledger()).hasSize(3);
    }

    @Test
    void aRefusalIsFinalEvenWhenStockArrivesLater() throws IOException {
        fx.putSample(STOCK_KEY);
        handle(UploadFixture.event("s3-stock-created.json"));
        fx.inventory.applyAdjustment("WH-MUC-1", "restock-big", "stock/WH-MUC-1/restock-big.jsonl",
                new StockAdjustment(1, SKU, 1000, AdjustmentReason.RESTOCK), UploadFixture.CLOCK.instant());

        handle(UploadFixture.event("s3-stock-created.json"));

        assertThat(fx.number(SKU, "available")).as("the -500 line stays refused").isEqualTo(1032);
        assertThat(report().get("alreadyDecided").asInt()).isEqualTo(3);
    }

    @Test
    void aRetryAfterACrashMidFileAppliesOnlyTheRest() {
        fx.putSample(STOCK_KEY);
        // The first attempt applied line 1, then the function died.
        fx.inventory.applyAdjustment("WH-MUC-1", "batch-0001", STOCK_KEY,
                new StockAdjustment(1, SKU, 10, AdjustmentReason.RESTOCK), UploadFixture.CLOCK.instant());

        handle(UploadFixture.event("s3-stock-created.json"));

        assertThat(fx.number(SKU, "available")).isEqualTo(25 + 10 - 3);
    }

    @Test
    void concurrentDeliveriesOfOneFileApplyEachLineOnce() throws Exception {
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            file.append("{\"sku\":\"").append(i % 2 == 0 ? SKU : OTHER).append("\",\"delta\":1,\"reason\":\"restock\"}\n");
        }
        fx.put(STOCK_KEY, file.toString());
        S3Event event = UploadFixture.event("s3-stock-created.json");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Callable<UploadReport>> deliveries = List.of(
                    () -> handler.handleRequest(event, new TestLambdaContext()),
                    () -> handler.handleRequest(event, new TestLambdaContext()),
                    () -> handler.handleRequest(event, new TestLambdaContext()));
            for (Future<UploadReport> f : pool.invokeAll(deliveries)) {
                assertThat(f.get().results().getFirst().outcome()).isEqualTo("APPLIED");
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(fx.number(SKU, "available")).isEqualTo(35);
        assertThat(fx.number(OTHER, "available")).isEqualTo(15);
        assertThat(ledger()).hasSize(20);
    }

    @Test
    void stockOfAProductWithOnlyAnImageOrATombstoneIsUnknown() {
        fx.inventory.tombstoneProduct(OTHER, com.edgeinventory.model.Sequencer.of("FF"), UploadFixture.CLOCK.instant());
        fx.put(STOCK_KEY, "{\"sku\":\"TR-RUN-43-RED\",\"delta\":1,\"reason\":\"restock\"}\n");

        UploadReport.Result result = handle(UploadFixture.event("s3-stock-created.json"));

        assertThat(result.outcome()).isEqualTo("REJECTED");
        assertThat(result.detail()).startsWith("UNKNOWN_SKU");
    }

    /** Every bad stock file we tried: rejected whole, with an error file, and no table write at all. */
    static Stream<Arguments> badStockFiles() {
        String ok = "{\"sku\":\"TR-RUN-42-BLU\",\"delta\":1,\"reason\":\"restock\"}\n";
        return Stream.of(
                Arguments.of("unknown sku", ok + "{\"sku\":\"NO-SUCH-SKU\",\"delta\":1,\"reason\":\"restock\"}\n", "UNKNOWN_SKU", "line 2: /sku"),
                Arguments.of("malformed line", ok + "{\"sku\":\"TR-RUN-42-BLU\",\n", "INVALID_STOCK_FILE", "line 2"),
                Arguments.of("missing delta", ok + "{\"sku\":\"TR-RUN-42-BLU\",\"reason\":\"restock\"}\n", "INVALID_STOCK_FILE", "line 2: /delta"),
                Arguments.of("wrong sign", "{\"sku\":\"TR-RUN-42-BLU\",\"delta\":5,\"reason\":\"shrinkage\"}\n", "INVALID_STOCK_FILE", "needs a negative delta"),
                Arguments.of("unknown reason", "{\"sku\":\"TR-RUN-42-BLU\",\"delta\":5,\"reason\":\"found\"}\n", "INVALID_STOCK_FILE", "line 1: /reason"),
                Arguments.of("empty file", "", "INVALID_STOCK_FILE", "no adjustments"),
                Arguments.of("not UTF-8", "{\"sku\":\"\u00ff\"}", "INVALID_STOCK_FILE", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badStockFiles")
    void badStockFilesAreRejectedWholeWithNothingWritten(String caseName, String content, String code, String detail)
            throws IOException {
        byte[] bytes = caseName.equals("not UTF-8")
                ? new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}
                : content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        fx.put(STOCK_KEY, bytes);
        List<Map<String, AttributeValue>> before = fx.allItems();

        UploadReport.Result result = handle(UploadFixture.event("s3-stock-created.json"));

        assertThat(result.outcome()).as(caseName).isEqualTo("REJECTED");
        JsonNode error = Json.mapper().readTree(fx.text("rejected/" + STOCK_KEY + ".error.json"));
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("errors").toString()).contains(detail);
        assertThat(fx.get("rejected/" + STOCK_KEY)).hasValueSatisfying(copy -> assertThat(copy).isEqualTo(bytes));
        assertThat(fx.allItems()).as("nothing written").containsExactlyInAnyOrderElementsOf(before);
        assertThat(fx.keys("reports/")).isEmpty();
    }

    @Test
    void levelsOnlyMoveThroughTheLedger() {
        fx.putSample(STOCK_KEY);
        long before = total(SKU);

        handle(UploadFixture.event("s3-stock-created.json"));

        long appliedDeltas = ledger().stream()
                .filter(i -> i.get("status").s().equals("applied") && i.get("sku").s().equals(SKU))
                .mapToLong(i -> Long.parseLong(i.get("delta").n()))
                .sum();
        assertThat(total(SKU)).isEqualTo(before + appliedDeltas);
    }
}
