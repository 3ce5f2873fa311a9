package com.edgeinventory.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.provision.StackResources;
import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.LocalAwsExtension;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The retail issue's "done when", as a new user would do it: a product that arrived through the warehouse
 * path is bought through bin/edge-inventory invoke TransactionFunction with the sample events in events/.
 */
@ExtendWith(LocalAwsExtension.class)
class RetailPurchaseE2EIT {

    static final ObjectMapper JSON = new ObjectMapper();

    LocalAws aws;
    Launcher launcher;
    String table;

    @BeforeEach
    void setUp(LocalAws aws) throws Exception {
        aws.reset();
        this.aws = aws;
        this.launcher = new Launcher(aws.repoRoot());
        StackResources stack = aws.provision(Map.of());
        table = stack.physicalId("InventoryTable");
        String bucket = stack.physicalId("UploadBucket");
        String key = "products/TR-RUN-42-BLU/product.json";
        aws.s3().putObject(b -> b.bucket(bucket).key(key),
                RequestBody.fromFile(aws.repoRoot().resolve("events/sample").resolve(key)));
        Launcher.Run upload = invoke("ProductUploadFunction", "events/s3-product-created.json");
        assertThat(upload.exitCode()).as(upload.stderr()).isZero();
    }

    private Launcher.Run invoke(String function, String event) throws Exception {
        return launcher.run("invoke", function, "-e", event, "--endpoint", aws.endpoint().toString());
    }

    /** The HTTP response the function returned: status and parsed body. */
    private record Http(int status, JsonNode body, String contentType) {}

    private Http http(String event) throws Exception {
        Launcher.Run run = invoke("TransactionFunction", event);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode response = JSON.readTree(run.stdout());
        return new Http(response.get("statusCode").asInt(), JSON.readTree(response.get("body").asText()),
                response.path("headers").path("content-type").asText());
    }

    private long level(String attribute) {
        Map<String, AttributeValue> item = aws.dynamoDb().getItem(b -> b.tableName(table).key(Map.of(
                "pk", AttributeValue.fromS("SKU#TR-RUN-42-BLU"), "sk", AttributeValue.fromS("PRODUCT")))).item();
        return Long.parseLong(item.get(attribute).n());
    }

    @Test
    void aWarehouseProductIsBoughtThroughTheSampleEvents() throws Exception {
        Http added = http("events/http-add-item.json");
        assertThat(added.status()).as(added.body().toString()).isEqualTo(201);
        assertThat(level("available")).isEqualTo(23);
        assertThat(level("reserved")).isEqualTo(2);

        Http checkout = http("events/http-checkout.json");
        assertThat(checkout.status()).as(checkout.body().toString()).isEqualTo(200);
        assertThat(checkout.body().get("total").asText()).isEqualTo("179.80");
        assertThat(level("available")).isEqualTo(23);
        assertThat(level("reserved")).isZero();
        assertThat(level("sold")).isEqualTo(2);

        Http retried = http("events/http-checkout.json");
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.body()).isEqualTo(checkout.body());
        assertThat(level("sold")).as("a retried checkout changes nothing").isEqualTo(2);
        assertThat(level("available") + level("reserved") + level("sold")).isEqualTo(25);
    }

    @Test
    void overbuyingMalformedAndOtherStoresAreAnsweredWithProblems() throws Exception {
        Http overbuy = http("events/http-add-item-overbuy.json");
        Http malformed = http("events/http-add-item-malformed.json");
        http("events/http-add-item.json");
        Http otherStore = http("events/http-get-transaction-other-store.json");

        assertThat(overbuy.status()).isEqualTo(409);
        assertThat(overbuy.contentType()).isEqualTo("application/problem+json");
        assertThat(overbuy.body().get("available").asLong()).isEqualTo(25);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().get("field").asText()).contains("qty");
        assertThat(otherStore.status()).isIn(403, 404);
        assertThat(level("available")).isEqualTo(23);
    }

    @Test
    void aCartIsReadChangedAndCancelledThroughTheSampleEventsAndAnotherStoreCannotTouchIt() throws Exception {
        assertThat(http("events/http-add-item.json").status()).isEqualTo(201);

        Http read = http("events/http-get-transaction.json");
        assertThat(read.status()).as(read.body().toString()).isEqualTo(200);
        assertThat(read.body().get("status").asText()).isEqualTo("OPEN");
        assertThat(read.body().toString()).contains("TR-RUN-42-BLU");

        Http otherStore = http("events/http-add-item-other-store.json");
        assertThat(otherStore.status()).as("the store comes from the authorizer: STORE-BER-07 gets a basket of its own")
                .isEqualTo(201);
        assertThat(level("reserved")).isEqualTo(3);

        Http removed = http("events/http-remove-item.json");
        assertThat(removed.status()).as(removed.body().toString()).isEqualTo(200);
        Http cancelled = http("events/http-cancel.json");
        assertThat(cancelled.status()).as(cancelled.body().toString()).isEqualTo(200);
        assertThat(http("events/http-get-transaction.json").body().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(level("reserved")).as("only the other store's unit is still reserved").isEqualTo(1);
        assertThat(level("available") + level("reserved") + level("sold")).isEqualTo(25);
    }

    @Test
    void theSweeperRunsOnTheScheduleSampleEvent() throws Exception {
        Launcher.Run run = invoke("TransactionSweeperFunction", "events/schedule-sweep.json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode report = JSON.readTree(run.stdout());
        assertThat(report.get("examined").asInt()).isZero();
        assertThat(report.has("expired")).isTrue();
    }

    @Test
    void stockIsReadThroughTheStockFunction() throws Exception {
        Launcher.Run run = invoke("StockFunction", "events/http-get-stock.json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode response = JSON.readTree(run.stdout());
        assertThat(response.get("statusCode").asInt()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.get("body").asText());
        assertThat(body.get("sku").asText()).isEqualTo("TR-RUN-42-BLU");
        assertThat(body.get("available").asLong()).isEqualTo(25);
        assertThat(body.get("reserved").asLong()).isZero();
    }
}
