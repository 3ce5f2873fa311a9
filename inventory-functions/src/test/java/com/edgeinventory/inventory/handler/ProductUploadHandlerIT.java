package com.edgeinventory.inventory.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.edgeinventory.inventory.adapter.SqsFailureDestination;
import com.edgeinventory.inventory.store.InventoryTable;
import com.edgeinventory.inventory.service.ProductUploadService;
import com.edgeinventory.inventory.service.image.ImageLimits;
import com.edgeinventory.inventory.service.image.ImageProcessor;
import com.edgeinventory.model.Json;
import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.LocalAwsExtension;
import com.edgeinventory.testing.TestLambdaContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

@ExtendWith(LocalAwsExtension.class)
class ProductUploadHandlerIT {

    static final String SKU = "TR-RUN-42-BLU";
    static final String PRODUCT_KEY = "products/TR-RUN-42-BLU/product.json";
    static final String IMAGE_KEY = "products/TR-RUN-42-BLU/images/front.jpg";
    static final long MAX_IMAGE_BYTES = 2 * 1024 * 1024;

    UploadFixture fx;
    ProductUploadHandler handler;
    TestLambdaContext context = new TestLambdaContext();

    @BeforeEach
    void setUp(LocalAws aws) {
        aws.reset();
        fx = new UploadFixture(aws);
        handler = handlerFor(fx.table);
    }

    private ProductUploadHandler handlerFor(String table) {
        return new ProductUploadHandler(new ProductUploadService(fx.uploads,
                new InventoryTable(fx.aws.dynamoDb(), table),
                new ImageProcessor(new ImageLimits(MAX_IMAGE_BYTES, 50_000_000), List.of(128, 512)),
                UploadFixture.CLOCK, MAX_IMAGE_BYTES));
    }

    private UploadReport.Result handle(S3Event event) {
        UploadReport report = handler.handleRequest(event, context);
        assertThat(report.results()).hasSize(1);
        return report.results().getFirst();
    }

    /**
     * SAM's own sample S3 event (bucket example-bucket) reaching the function: refused at once with one ERROR line
     * and a failure record in the DLQ that says why; nothing touched in either bucket or the table, no exception
     * (so no retries: retrying cannot make it this function's bucket).
     */
    @Test
    void aMisroutedEventIsRefusedAtOnceToTheDeadLetterQueueWithTheReason() throws Exception {
        String dlq = fx.aws.provision(Map.of()).queueUrl("UploadDeadLetterQueue");
        ProductUploadHandler routed = new ProductUploadHandler(new ProductUploadService(fx.uploads, fx.inventory,
                new ImageProcessor(new ImageLimits(MAX_IMAGE_BYTES, 50_000_000), List.of(128, 512)),
                UploadFixture.CLOCK, MAX_IMAGE_BYTES), new UploadRouting(Optional.of(fx.bucket),
                new SqsFailureDestination(fx.aws::sqs, dlq, "arn:aws:lambda:eu-west-1:123456789012:function:up")));

        UploadReport report = routed.handleRequest(UploadFixture.event("s3-misrouted-example-bucket.json"), context);

        assertThat(report.results()).isEmpty();
        assertThat(context.logLines).filteredOn(l -> l.contains("misrouted")).singleElement().asString()
                .contains("s3://example-bucket/test%2Fkey").contains(fx.bucket).contains("not retried");
        List<software.amazon.awssdk.services.sqs.model.Message> messages = fx.aws.sqs().receiveMessage(b -> b
                .queueUrl(dlq).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        assertThat(messages).hasSize(1);
        JsonNode record = new com.fasterxml.jackson.databind.ObjectMapper().readTree(messages.getFirst().body());
        assertThat(record.at("/requestContext/condition").asText()).isEqualTo("Refused");
        assertThat(record.at("/responsePayload/errorType").asText()).isEqualTo("MisroutedEvent");
        assertThat(record.at("/responsePayload/errorMessage").asText()).contains("example-bucket");
        assertThat(record.at("/requestPayload/Records/0/s3/bucket/name").asText()).isEqualTo("example-bucket");
        assertThat(fx.keys("")).isEmpty();
        assertThat(fx.item(SKU)).isEmpty();
    }

    @Test
    void productThenImageGiveAProductItemWithThumbnails() {
        fx.putSample(PRODUCT_KEY);
        fx.putSample(IMAGE_KEY);

        UploadReport.Result product = handle(UploadFixture.event("s3-product-created.json"));
        UploadReport.Result image = handle(UploadFixture.event("s3-image-created.json"));

        assertThat(product.outcome()).isEqualTo("APPLIED");
        assertThat(image.outcome()).isEqualTo("APPLIED");
        Map<String, AttributeValue> item = fx.item(SKU).orElseThrow();
        assertThat(item.get("name").s()).isEqualTo("Trail Runner 42");
        assertThat(item.get("priceAmount").s()).isEqualTo("89.90");
        assertThat(item.get("currency").s()).isEqualTo("EUR");
        assertThat(item.get("category").s()).isEqualTo("running-shoes");
        assertThat(item.get("styleId").s()).isEqualTo("TR-RUN");
        assertThat(item.get("available").n()).isEqualTo("25");
        assertThat(item.get("reserved").n()).isEqualTo("0");
        assertThat(item.get("sold").n()).isEqualTo("0");
        assertThat(item.get("version").n()).isEqualTo("2");
        assertThat(item.get("deleted").bool()).isFalse();

        var front = InventoryTable.imagesOf(item).get("front");
        assertThat(front.deleted()).isFalse();
        assertThat(front.width()).isEqualTo(640);
        assertThat(front.height()).isEqualTo(480);
        assertThat(front.format()).isEqualTo("jpeg");
        assertThat(front.orientation()).isEqualTo(1);
        assertThat(front.thumbnails()).extracting(InventoryTable.ThumbnailEntry::longSide).containsExactly(128, 512);
        assertThat(front.thumbnails()).extracting(t -> t.width() + "x" + t.height()).containsExactly("128x96", "512x384");
        for (var thumb : front.thumbnails()) {
            assertThat(thumb.key()).startsWith("derived/TR-RUN-42-BLU/front/");
            BufferedImage decoded = decode(fx.get(thumb.key()).orElseThrow());
            assertThat(Math.max(decoded.getWidth(), decoded.getHeight())).isEqualTo(thumb.longSide());
        }
        assertThat(fx.keys("rejected/")).isEmpty();
    }

    @Test
    void imageMayArriveBeforeTheProduct() {
        fx.putSample(PRODUCT_KEY);
        fx.putSample(IMAGE_KEY);

        handle(UploadFixture.event("s3-image-created.json"));
        Map<String, AttributeValue> imageOnly = fx.item(SKU).orElseThrow();
        handle(UploadFixture.event("s3-product-created.json"));

        assertThat(imageOnly).doesNotContainKey("available");
        Map<String, AttributeValue> item = fx.item(SKU).orElseThrow();
        assertThat(item.get("available").n()).isEqualTo("25");
        assertThat(InventoryTable.imagesOf(item)).containsKey("front");
        assertThat(item.get("version").n()).isEqualTo("2");
    }

    @Test
    void reprocessingTheSameEventChangesNothing() {
        fx.putSample(PRODUCT_KEY);
        fx.putSample(IMAGE_KEY);
        handle(UploadFixture.event("s3-product-created.json"));
        handle(UploadFixture.event("s3-image-created.json"));
        Map<String, AttributeValue> before = fx.item(SKU).orElseThrow();
        List<String> derivedBefore = fx.keys("derived/");

        UploadReport.Result product = handle(UploadFixture.event("s3-product-created.json"));
        UploadReport.Result image = handle(UploadFixture.event("s3-image-created.json"));

        assertThat(product.outcome()).isEqualTo("IGNORED");
        assertThat(image.outcome()).isEqualTo("IGNORED");
        assertThat(fx.item(SKU).orElseThrow()).isEqualTo(before);
        assertThat(fx.keys("derived/")).isEqualTo(derivedBefore);
    }

    @Test
    void anOlderEventNeverOverwritesNewerState() {
        fx.put(PRODUCT_KEY, product("Trail Runner 42 v2"));
        handle(fx.event("ObjectCreated:Put", PRODUCT_KEY, "0065A3F0C1B2D3E4FF"));
        long version = fx.number(SKU, "version");

        // The event of an earlier upload arrives late; the object now holds the newer content anyway.
        fx.put(PRODUCT_KEY, product("Trail Runner 42 v1"));
        UploadReport.Result late = handle(fx.event("ObjectCreated:Put", PRODUCT_KEY, "0065A3F0C1B2D3E401"));

        assertThat(late.outcome()).isEqualTo("IGNORED");
        assertThat(late.detail()).contains("newer or identical event");
        assertThat(fx.item(SKU).orElseThrow().get("name").s()).isEqualTo("Trail Runner 42 v2");
        assertThat(fx.number(SKU, "version")).isEqualTo(version);
    }

    @Test
    void sequencersOfDifferentLengthsCompareByValue() {
        fx.put(PRODUCT_KEY, product("first"));
        handle(fx.event("ObjectCreated:Put", PRODUCT_KEY, "FF"));
        fx.put(PRODUCT_KEY, product("second"));

        UploadReport.Result later = handle(fx.event("ObjectCreated:Put", PRODUCT_KEY, "100"));

        assertThat(later.outcome()).isEqualTo("APPLIED");
        assertThat(fx.item(SKU).orElseThrow().get("name").s()).isEqualTo("second");
    }

    @Test
    void laterUploadUpdatesTheProductButKeepsItsStock() {
        fx.putSample(PRODUCT_KEY);
        handle(UploadFixture.event("s3-product-created.json"));
        fx.put(PRODUCT_KEY, product("Trail Runner 42 (2027)").replace("\"stock\": 25", "\"stock\": 999"));

        UploadReport.Result update = handle(fx.event("ObjectCreated:Put", PRODUCT_KEY, "0065A3F0C1B2D3E4F0"));

        assertThat(update.outcome()).isEqualTo("APPLIED");
        Map<String, AttributeValue> item = fx.item(SKU).orElseThrow();
        assertThat(item.get("name").s()).isEqualTo("Trail Runner 42 (2027)");
        assertThat(item.get("available").n()).as("stock only seeds a new product").isEqualTo("25");
        assertThat(item.get("version").n()).isEqualTo("2");
    }

    @Test
    void deletingProductJsonLeavesATombstone() {
        fx.putSample(PRODUCT_KEY);
        handle(UploadFixture.event("s3-product-created.json"));
        fx.delete(PRODUCT_KEY);

        UploadReport.Result deleted = handle(UploadFixture.event("s3-product-deleted.json"));
        UploadReport.Result lateCreate = handle(UploadFixture.event("s3-product-created.json"));

        assertThat(deleted.outcome()).isEqualTo("APPLIED");
        assertThat(lateCreate.outcome()).isEqualTo("IGNORED");
        Map<String, AttributeValue> item = fx.item(SKU).orElseThrow();
        assertThat(item.get("deleted").bool()).isTrue();
        assertThat(item.get("deletedAt").s()).isEqualTo("2026-11-27T08:00:00Z");
        assertThat(item.get("sku").s()).isEqualTo(SKU);
        assertThat(item.get("available").n()).isEqualTo("25");
        assertThat(item.get("version").n()).isEqualTo("2");
    }

    @Test
    void aDeleteThatArrivesFirstStillWins() {
        fx.putSample(PRODUCT_KEY);

        handle(UploadFixture.event("s3-product-deleted.json"));
        UploadReport.Result create = handle(UploadFixture.event("s3-product-created.json"));

        assertThat(create.outcome()).isEqualTo("IGNORED");
        assertThat(fx.item(SKU).orElseThrow().get("deleted").bool()).isTrue();
    }

    @Test
    void deletingAnImageRemovesItsThumbnailsAndRecordsTheRemoval() {
        fx.putSample(IMAGE_KEY);
        handle(UploadFixture.event("s3-image-created.json"));
        assertThat(fx.keys("derived/")).hasSize(2);
        fx.delete(IMAGE_KEY);

        UploadReport.Result removed = handle(UploadFixture.event("s3-image-deleted.json"));
        UploadReport.Result lateCreate = handle(UploadFixture.event("s3-image-created.json"));

        assertThat(removed.outcome()).isEqualTo("APPLIED");
        assertThat(lateCreate.outcome()).isEqualTo("IGNORED");
        assertThat(fx.keys("derived/")).isEmpty();
        assertThat(InventoryTable.imagesOf(fx.item(SKU).orElseThrow()).get("front").deleted()).isTrue();
    }

    @Test
    void aNewerImageReplacesTheOldThumbnails() {
        fx.putSample(IMAGE_KEY);
        handle(UploadFixture.event("s3-image-created.json"));
        List<String> first = fx.keys("derived/");
        fx.put(IMAGE_KEY, jpeg(300, 600));

        UploadReport.Result second = handle(fx.event("ObjectCreated:Put", IMAGE_KEY, "0065A3F0C1B2D3E4A0"));

        assertThat(second.outcome()).isEqualTo("APPLIED");
        List<String> now = fx.keys("derived/");
        assertThat(now).hasSize(2).doesNotContainAnyElementsOf(first);
        var front = InventoryTable.imagesOf(fx.item(SKU).orElseThrow()).get("front");
        assertThat(front.width()).isEqualTo(300);
        assertThat(front.thumbnails()).extracting(t -> t.width() + "x" + t.height()).containsExactly("64x128", "256x512");
    }

    @Test
    void aStaleImageEventLeavesNoThumbnailsBehind() {
        fx.putSample(IMAGE_KEY);
        handle(fx.event("ObjectCreated:Put", IMAGE_KEY, "0065A3F0C1B2D3E4A0"));
        List<String> current = fx.keys("derived/");

        UploadReport.Result stale = handle(UploadFixture.event("s3-image-created.json"));

        assertThat(stale.outcome()).isEqualTo("IGNORED");
        assertThat(fx.keys("derived/")).isEqualTo(current);
    }

    @Test
    void anEventForAnObjectThatIsGoneIsIgnored() {
        UploadReport.Result result = handle(UploadFixture.event("s3-product-created.json"));

        assertThat(result.outcome()).isEqualTo("IGNORED");
        assertThat(result.detail()).contains("no longer exists");
        assertThat(fx.allItems()).isEmpty();
    }

    @Test
    void everyRecordOfAnEventIsProcessed() {
        fx.putSample(PRODUCT_KEY);
        fx.putSample(IMAGE_KEY);
        S3Event both = UploadFixture.event("s3-product-created.json");
        both.getRecords().addAll(UploadFixture.event("s3-image-created.json").getRecords());

        UploadReport report = handler.handleRequest(both, context);

        assertThat(report.results()).extracting(UploadReport.Result::outcome).containsExactly("APPLIED", "APPLIED");
        assertThat(context.logLines).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("APPLIED "));
    }

    @Test
    void awsErrorsAreThrownSoLambdaRetries() {
        fx.putSample(PRODUCT_KEY);
        ProductUploadHandler misconfigured = handlerFor("no-such-table");

        assertThatThrownBy(() -> misconfigured.handleRequest(UploadFixture.event("s3-product-created.json"), context))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void malformedEventsAreThrownToTheDeadLetterQueueNotApplied() {
        fx.putSample(PRODUCT_KEY);

        assertThatThrownBy(() -> handler.handleRequest(fx.event("ObjectCreated:Put", PRODUCT_KEY, "not-hex"), context))
                .isInstanceOf(S3Records.MalformedEventException.class)
                .hasMessageContaining("sequencer");
        assertThat(fx.allItems()).isEmpty();
    }

    // ------------------------------------------------------------------ bad input

    /** Every bad upload we tried: it ends in rejected/ with an error file, and nothing reaches the table. */
    static Stream<Arguments> badUploads() {
        String good = new String(UploadFixture.sample(PRODUCT_KEY), java.nio.charset.StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of("malformed JSON", PRODUCT_KEY, "{\"sku\": \"TR-RUN-42-BLU\",".getBytes(), "INVALID_PRODUCT", "malformed JSON"),
                Arguments.of("missing fields", PRODUCT_KEY, "{\"sku\":\"TR-RUN-42-BLU\"}".getBytes(), "INVALID_PRODUCT", "/name"),
                Arguments.of("negative price", PRODUCT_KEY, good.replace("\"89.90\"", "\"-89.90\"").getBytes(), "INVALID_PRODUCT", "/price/amount"),
                Arguments.of("negative stock", PRODUCT_KEY, good.replace("\"stock\": 25", "\"stock\": -1").getBytes(), "INVALID_PRODUCT", "/stock"),
                Arguments.of("unknown currency", PRODUCT_KEY, good.replace("\"EUR\"", "\"EUX\"").getBytes(), "INVALID_PRODUCT", "/price/currency"),
                Arguments.of("over-long name", PRODUCT_KEY, good.replace("Trail Runner 42", "x".repeat(300)).getBytes(), "INVALID_PRODUCT", "/name"),
                Arguments.of("sku not matching key", PRODUCT_KEY, good.replace("\"sku\": \"TR-RUN-42-BLU\"", "\"sku\": \"TR-RUN-43-BLU\"").getBytes(), "INVALID_PRODUCT", "does not match"),
                Arguments.of("product.json too large", PRODUCT_KEY, new byte[70_000], "PRODUCT_TOO_LARGE", "the maximum is 65536"),
                Arguments.of("key with bad sku", "products/bad_sku/product.json", good.getBytes(), "UNRECOGNIZED_KEY", "sku 'bad_sku'"),
                Arguments.of("unsupported image", "products/TR-RUN-42-BLU/images/front.png", gif(), "UNSUPPORTED_FORMAT", ""),
                Arguments.of("corrupt image", IMAGE_KEY, truncated(jpeg(800, 600)), "CORRUPT_IMAGE", ""),
                Arguments.of("random bytes as image", IMAGE_KEY, "definitely not a jpeg".getBytes(), "UNSUPPORTED_FORMAT", ""),
                Arguments.of("image over the size limit", IMAGE_KEY, oversized(), "TOO_LARGE_BYTES", "the maximum is " + MAX_IMAGE_BYTES),
                Arguments.of("png content named .jpg", IMAGE_KEY, png(40, 40), "EXTENSION_MISMATCH", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badUploads")
    void badUploadsAreRejectedWithAnErrorFileAndNoTableWrite(String caseName, String key, byte[] content,
                                                             String code, String detail) throws IOException {
        fx.put(key, content);

        UploadReport.Result result = handle(fx.event("ObjectCreated:Put", key, "0065A3F0C1B2D3E4B0"));

        assertThat(result.outcome()).as(caseName).isEqualTo("REJECTED");
        assertThat(fx.get("rejected/" + key)).as("copy of the upload").hasValueSatisfying(
                copy -> assertThat(copy).isEqualTo(content));
        JsonNode error = Json.mapper().readTree(fx.text("rejected/" + key + ".error.json"));
        assertThat(error.get("key").asText()).isEqualTo(key);
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("errors")).isNotEmpty();
        assertThat(error.get("errors").toString()).contains(detail);
        assertThat(error.get("sequencer").asText()).endsWith("65A3F0C1B2D3E4B0");
        assertThat(fx.allItems()).as("no table write").isEmpty();
        assertThat(fx.keys("derived/")).isEmpty();
        assertThat(fx.get(key)).as("the original stays").isPresent();
    }

    @Test
    void aRejectedUpdateLeavesTheStoredProductAsItWas() {
        fx.putSample(PRODUCT_KEY);
        handle(UploadFixture.event("s3-product-created.json"));
        Map<String, AttributeValue> before = fx.item(SKU).orElseThrow();
        fx.put(PRODUCT_KEY, "{not json");

        UploadReport.Result result = handle(fx.event("ObjectCreated:Put", PRODUCT_KEY, "0065A3F0C1B2D3E4F0"));

        assertThat(result.outcome()).isEqualTo("REJECTED");
        assertThat(fx.item(SKU).orElseThrow()).isEqualTo(before);
    }

    // ------------------------------------------------------------------ helpers

    private static String product(String name) {
        return new String(UploadFixture.sample(PRODUCT_KEY), java.nio.charset.StandardCharsets.UTF_8)
                .replace("Trail Runner 42", name);
    }

    static byte[] jpeg(int width, int height) {
        return encode(width, height, "jpg", BufferedImage.TYPE_INT_RGB);
    }

    static byte[] png(int width, int height) {
        return encode(width, height, "png", BufferedImage.TYPE_INT_ARGB);
    }

    static byte[] gif() {
        return encode(20, 20, "gif", BufferedImage.TYPE_INT_RGB);
    }

    private static byte[] encode(int width, int height, String format, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLUE);
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static byte[] truncated(byte[] image) {
        return java.util.Arrays.copyOf(image, image.length / 2);
    }

    private static byte[] oversized() {
        byte[] big = new byte[(int) MAX_IMAGE_BYTES + 1];
        byte[] head = jpeg(16, 16);
        System.arraycopy(head, 0, big, 0, head.length);
        return big;
    }

    private static BufferedImage decode(byte[] bytes) {
        try {
            return ImageIO.read(new java.io.ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
