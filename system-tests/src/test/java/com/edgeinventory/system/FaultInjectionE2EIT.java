package com.edgeinventory.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.template.TemplateResolver;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The local stack's fault hooks, as a developer uses them: {@code bin/edge-inventory up --fault …} and
 * {@code --dynamodb-faults …}. A poison record ends alone in the forwarder's OnFailure queue with its reason while
 * everything else reaches central; under DynamoDB throttles and 500s nothing is lost and nothing is applied twice.
 */
class FaultInjectionE2EIT {

    static final String FORWARDER_DLQ = "edge-inventory-dev-forwarder-dlq";

    final Path root = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir"))).getParent();
    final List<UpProcess> started = new ArrayList<>();

    UpProcess up(String... options) throws Exception {
        UpProcess up = UpProcess.start(root, options);
        started.add(up);
        return up;
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (UpProcess up : started) {
            up.close();
        }
    }

    /**
     * Sells one unit as a device does: a 5xx, 429 (or a 409 while the first attempt is still in progress) is retried
     * with the same Idempotency-Key. Returns the last status.
     */
    static int sellAsADevice(UpProcess stack, String device, String sku, String key) throws Exception {
        int status = 0;
        for (int attempt = 0; attempt < 12; attempt++) {
            status = stack.sell(device, sku, key);
            if (status / 100 != 5 && status != 409 && status != 429) {
                return status;
            }
            Thread.sleep(200L * (attempt + 1));
        }
        return status;
    }

    @Test
    void aPoisonRecordEndsInTheForwardersDeadLetterQueueWithItsReasonAndEveryOtherSkuReachesCentral()
            throws Exception {
        String poison = "FP-POISON-77";
        List<String> healthy = List.of("FP-E2E-01", "FP-E2E-02", "FP-E2E-03");
        UpProcess stack = up("--fault", "InventoryStreamForwarder:fail:" + poison);
        String device = stack.addDevice();
        List<String> skus = new ArrayList<>(healthy);
        skus.add(1, poison);
        stack.uploadProducts(skus, 40);
        stack.awaitStock(device, skus);
        for (int n = 0; n < 8; n++) {
            String sku = skus.get(n % skus.size());
            assertThat(sellAsADevice(stack, device, sku, "poison-sale-" + n)).as("sale of %s; stderr:%n%s", sku,
                    stack.stderr()).isBetween(200, 299);
        }

        List<JsonNode> dead = new ArrayList<>();
        try (AwsClients aws = new AwsClients(stack.moto(), UpProcess.EDGE)) {
            String queue = aws.sqs().getQueueUrl(b -> b.queueName(FORWARDER_DLQ)).queueUrl();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && dead.stream().noneMatch(FaultInjectionE2EIT::singlePoisonRecord)) {
                for (Message m : aws.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)
                        .waitTimeSeconds(2)).messages()) {
                    dead.add(UpProcess.JSON.readTree(m.body()));
                }
            }
        }
        assertThat(dead).as("OnFailure records of the forwarder; stderr:%n%s", stack.stderr())
                .anyMatch(FaultInjectionE2EIT::singlePoisonRecord);
        assertThat(dead).as("only the poison sku's records are skipped")
                .allSatisfy(record -> assertThat(record.path("reason").asText()).contains("InjectedFault"));

        assertThat(stack.awaitAgreement(device, healthy, 60)).as("central vs edge for the healthy skus").isEmpty();
        assertThat(stack.centralLevels(poison)).as("the poison sku never reached central").isEmpty();
    }

    static boolean singlePoisonRecord(JsonNode record) {
        return record.path("DDBStreamBatchInfo").path("batchSize").asInt() == 1
                && record.path("reason").asText().contains("injected fault for InventoryStreamForwarder");
    }

    @Test
    void dynamoDbThrottlesAndErrorsOnTheFunctionsCallsLoseNothingAndApplyNothingTwice() throws Exception {
        List<String> skus = List.of("FT-E2E-01", "FT-E2E-02", "FT-E2E-03");
        UpProcess stack = up("--dynamodb-faults", "throttle=0.2,error=0.05,seed=11");
        String device = stack.addDevice();
        stack.uploadProducts(skus, 40);
        stack.awaitStock(device, skus);

        int sales = 18;
        long succeeded = 0;
        List<Integer> statuses = new ArrayList<>();
        for (int n = 0; n < sales; n++) {
            int status = sellAsADevice(stack, device, skus.get(n % skus.size()), "throttled-sale-" + n);
            statuses.add(status);
            if (status / 100 == 2) {
                succeeded++;
            }
        }
        assertThat(statuses).as("sales (each retried with its Idempotency-Key); stderr:%n%s", stack.stderr())
                .allMatch(s -> s / 100 == 2);

        assertThat(stack.awaitAgreement(device, skus, 60)).as("central vs edge under DynamoDB faults; stderr:%n%s",
                stack.stderr()).isEmpty();
        long sold = 0;
        for (String sku : skus) {
            sold += stack.soldAtTheEdge(device, sku);
        }
        assertThat(sold).as("units sold = successful sales").isEqualTo(succeeded);
        assertThat(stack.stderr()).as("faults were injected").contains("fault proxy: throttle")
                .contains("fault proxy: error");
    }
}
