package com.edgeinventory.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.provision.StackResources;
import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.LocalAwsExtension;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The issue's "done when", as a new user would do it: objects uploaded to the local S3, then the matching
 * S3 events from events/ invoked through bin/edge-inventory, give a product item and thumbnails; a bad
 * upload ends in rejected/ with no table write.
 */
@ExtendWith(LocalAwsExtension.class)
class WarehouseUploadE2EIT {

    static final ObjectMapper JSON = new ObjectMapper();

    LocalAws aws;
    Launcher launcher;
    String bucket;
    String table;

    @BeforeEach
    void setUp(LocalAws aws) {
        aws.reset();
        this.aws = aws;
        this.launcher = new Launcher(aws.repoRoot());
        StackResources stack = aws.provision(Map.of());
        bucket = stack.physicalId("UploadBucket");
        table = stack.physicalId("InventoryTable");
    }

    private void upload(String sampleKey) {
        Path file = aws.repoRoot().resolve("events/sample").resolve(sampleKey);
        aws.s3().putObject(b -> b.bucket(bucket).key(sampleKey), RequestBody.fromFile(file));
    }

    private List<String> keys(String prefix) {
        return aws.s3().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    private Map<String, AttributeValue> productItem() {
        return aws.dynamoDb().getItem(b -> b.tableName(table).key(Map.of(
                "pk", AttributeValue.fromS("SKU#TR-RUN-42-BLU"), "sk", AttributeValue.fromS("PRODUCT")))).item();
    }

    @Test
    void uploadedProductAndImageInvokedWithTheSampleEventsGiveAnItemAndThumbnails() throws Exception {
        upload("products/TR-RUN-42-BLU/product.json");
        upload("products/TR-RUN-42-BLU/images/front.jpg");

        Launcher.Run product = launcher.run("invoke", "ProductUploadFunction", "-e", "events/s3-product-created.json",
                "--endpoint", aws.endpoint().toString());
        Launcher.Run image = launcher.run("invoke", "ProductUploadFunction", "-e", "events/s3-image-created.json",
                "--endpoint", aws.endpoint().toString());

        assertThat(product.exitCode()).as(product.stderr()).isZero();
        assertThat(image.exitCode()).as(image.stderr()).isZero();
        JsonNode response = JSON.readTree(product.stdout());
        assertThat(response.at("/results/0/outcome").asText()).isEqualTo("APPLIED");
        assertThat(JSON.readTree(image.stdout()).at("/results/0/outcome").asText()).isEqualTo("APPLIED");
        Map<String, AttributeValue> item = productItem();
        assertThat(item.get("name").s()).isEqualTo("Trail Runner 42");
        assertThat(item.get("available").n()).isEqualTo("25");
        assertThat(item.get("images").m().get("front").m().get("thumbnails").l()).hasSize(2);
        assertThat(keys("derived/TR-RUN-42-BLU/front/")).hasSize(2).allMatch(k -> k.endsWith(".jpg"));
        assertThat(product.stderr()).as("handler logs go to stderr, naming the object and its sequencer")
                .contains("APPLIED s3://edge-inventory-dev-uploads-123456789012-eu-west-1/products/TR-RUN-42-BLU/product.json @");
    }

    @Test
    void aStockFileInvokedThroughTheLauncherMovesStockExactlyOnce() throws Exception {
        upload("products/TR-RUN-42-BLU/product.json");
        upload("stock/WH-MUC-1/batch-0001.jsonl");
        launcher.run("invoke", "ProductUploadFunction", "-e", "events/s3-product-created.json",
                "--endpoint", aws.endpoint().toString());

        Launcher.Run first = launcher.run("invoke", "StockAdjustmentFunction", "-e", "events/s3-stock-created.json",
                "--endpoint", aws.endpoint().toString());
        Launcher.Run redelivered = launcher.run("invoke", "StockAdjustmentFunction", "-e", "events/s3-stock-created.json",
                "--endpoint", aws.endpoint().toString());

        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(redelivered.exitCode()).as(redelivered.stderr()).isZero();
        assertThat(productItem().get("available").n()).isEqualTo("32");
        assertThat(keys("reports/")).containsExactly("reports/stock/WH-MUC-1/batch-0001.jsonl.report.json");
    }

    @Test
    void aBadUploadEndsInRejectedWithNoTableWrite() throws Exception {
        aws.s3().putObject(b -> b.bucket(bucket).key("products/TR-RUN-42-BLU/product.json"),
                RequestBody.fromString("{\"sku\":\"TR-RUN-42-BLU\",\"price\":{\"amount\":\"-1\"}}"));

        Launcher.Run run = launcher.run("invoke", "ProductUploadFunction", "-e", "events/s3-product-created.json",
                "--endpoint", aws.endpoint().toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(JSON.readTree(run.stdout()).at("/results/0/outcome").asText()).isEqualTo("REJECTED");
        assertThat(keys("rejected/")).containsExactlyInAnyOrder(
                "rejected/products/TR-RUN-42-BLU/product.json",
                "rejected/products/TR-RUN-42-BLU/product.json.error.json");
        assertThat(aws.dynamoDb().scan(b -> b.tableName(table)).items()).isEmpty();
    }

    @Test
    void uploadSampleIsTheReadmesMainCommand() throws Exception {
        Launcher.Run run = launcher.run("upload-sample");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode printed = JSON.readTree(run.stdout());
        JsonNode product = null;
        for (JsonNode item : printed.get("items")) {
            if ("PRODUCT".equals(item.path("sk").asText())) {
                product = item;
            }
        }
        assertThat(product).as("product item in %s", printed).isNotNull();
        assertThat(product.get("sku").asText()).isEqualTo("TR-RUN-42-BLU");
        assertThat(product.get("available").asLong()).as("25 + 10 - 3; the -500 line is refused").isEqualTo(32);
        assertThat(product.at("/images/front/thumbnails")).hasSize(2);
        assertThat(printed.get("derived")).hasSize(2);
        assertThat(printed.get("rejected")).isEmpty();
    }
}
