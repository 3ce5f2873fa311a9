package com.edgeinventory.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.template.TemplateResolver;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The proof: central's stream is unavailable to the edge for longer than the forwarder's
 * MaximumRecordAgeInSeconds (60 s here, through {@code up --parameter-overrides}), sales go on at the edge, central
 * comes back, {@code bin/edge-inventory redrive} runs, and central equals the edge with nothing counted twice.
 * Nothing aged out to the forwarder's dead-letter queue: the records central refused waited in the edge outbox.
 * Without redrive, the scheduled OutboxDrainer alone brings central back in line.
 */
class CentralOutageRedriveE2EIT {

    static final String OUTBOX = "edge-inventory-dev-forwarder-outbox";
    static final String FORWARDER_DLQ = "edge-inventory-dev-forwarder-dlq";
    static final int MAX_RECORD_AGE_SECONDS = 60;

    final Path root = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir"))).getParent();
    @TempDir
    Path dir;
    UpProcess stack;

    @AfterEach
    void stop() throws InterruptedException {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void anOutageLongerThanTheRecordAgeLosesNothingOnceRedriven() throws Exception {
        Path outage = dir.resolve("central-down");
        List<String> skus = List.of("CO-E2E-01", "CO-E2E-02", "CO-E2E-03");
        stack = UpProcess.start(root, "--central-outage", outage.toString(),
                "--parameter-overrides", "ForwarderMaxRecordAgeSeconds=" + MAX_RECORD_AGE_SECONDS);
        String device = stack.addDevice();
        stack.uploadProducts(skus, 50);
        stack.awaitStock(device, skus);
        int succeeded = 0;
        for (int n = 0; n < 3; n++) {
            succeeded += sold(FaultInjectionE2EIT.sellAsADevice(stack, device, skus.get(n), "before-" + n));
        }
        assertThat(stack.awaitAgreement(device, skus, 60)).as("before the outage; stderr:%n%s", stack.stderr())
                .isEmpty();

        // central goes down; the edge keeps selling for longer than the record age
        Files.createFile(outage);
        long downSince = System.nanoTime();
        int n = 0;
        while (System.nanoTime() - downSince < TimeUnit.SECONDS.toNanos(MAX_RECORD_AGE_SECONDS + 25)) {
            succeeded += sold(FaultInjectionE2EIT.sellAsADevice(stack, device, skus.get(n % skus.size()),
                    "during-" + n));
            n++;
            Thread.sleep(4_000);
        }
        int soldDuringOutage = n;
        assertThat(stack.differences(device, skus)).as("central does not see the sales while it is down").isNotEmpty();
        int kept;
        try (AwsClients aws = new AwsClients(stack.moto(), UpProcess.EDGE)) {
            kept = messages(aws.sqs(), OUTBOX);
        }
        assertThat(kept).as("the outbox holds what central refused; stderr:%n%s", stack.stderr()).isPositive();
        assertThat(stack.stderr()).contains("central outage, refused Kinesis PutRecords");

        // central is back; redrive on demand (the drainer may have started already: both are idempotent)
        Files.delete(outage);
        Launcher.Run redrive = new Launcher(root).run("redrive", "--endpoint", stack.moto().toString(), "--edges",
                UpProcess.EDGE, "--central", "us-east-2");
        assertThat(redrive.exitCode()).as("redrive; stderr:%n%s", redrive.stderr()).isZero();
        JsonNode report = UpProcess.JSON.readTree(redrive.stdout());
        assertThat(report.path("sources")).extracting(s -> s.path("source").asText())
                .containsExactly("outbox " + UpProcess.EDGE, "aggregator-dlq us-east-2");
        assertThat(report.path("sources")).allSatisfy(s -> assertThat(s.path("messagesLeft").asInt()).isZero());

        assertThat(stack.awaitAgreement(device, skus, 90)).as("central vs edge after the redrive; stderr:%n%s",
                stack.stderr()).isEmpty();
        long soldAtTheEdge = 0;
        for (String sku : skus) {
            soldAtTheEdge += stack.soldAtTheEdge(device, sku);
        }
        assertThat(soldAtTheEdge).as("units sold = successful sales (nothing doubled)").isEqualTo(succeeded);
        assertThat(soldDuringOutage).isGreaterThanOrEqualTo(10);
        try (AwsClients aws = new AwsClients(stack.moto(), UpProcess.EDGE)) {
            assertThat(messages(aws.sqs(), OUTBOX)).as("the outbox is empty").isZero();
            assertThat(messages(aws.sqs(), FORWARDER_DLQ)).as("nothing aged out to the forwarder's DLQ").isZero();
        }
        assertThat(stack.stderr()).doesNotContain("RecordAgeExceeded");

        // a second redrive finds nothing and changes nothing
        Launcher.Run again = new Launcher(root).run("redrive", "--endpoint", stack.moto().toString(), "--edges",
                UpProcess.EDGE, "--central", "us-east-2");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(UpProcess.JSON.readTree(again.stdout()).path("sources"))
                .allSatisfy(s -> assertThat(s.path("recordsPut").asInt()).isZero());
        assertThat(stack.differences(device, skus)).isEmpty();
    }

    @Test
    void withoutRedriveTheScheduledDrainerBringsCentralBackInLine() throws Exception {
        Path outage = dir.resolve("central-down");
        List<String> skus = List.of("CD-E2E-01", "CD-E2E-02");
        stack = UpProcess.start(root, "--central-outage", outage.toString());
        String device = stack.addDevice();
        stack.uploadProducts(skus, 30);
        stack.awaitStock(device, skus);
        assertThat(stack.awaitAgreement(device, skus, 60)).as("before the outage").isEmpty();

        Files.createFile(outage);
        int succeeded = 0;
        for (int n = 0; n < 6; n++) {
            succeeded += sold(FaultInjectionE2EIT.sellAsADevice(stack, device, skus.get(n % skus.size()),
                    "drained-" + n));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int kept = 0;
        try (AwsClients aws = new AwsClients(stack.moto(), UpProcess.EDGE)) {
            while (kept == 0 && System.nanoTime() < deadline) {
                kept = messages(aws.sqs(), OUTBOX);
                Thread.sleep(1_000);
            }
        }
        assertThat(kept).as("the outbox holds what central refused; stderr:%n%s", stack.stderr()).isPositive();
        assertThat(stack.differences(device, skus)).as("central does not see the sales while it is down")
                .isNotEmpty();
        Files.delete(outage);

        // no redrive: the drainer runs every minute
        assertThat(stack.awaitAgreement(device, skus, 150)).as("central vs edge after the drainer; stderr:%n%s",
                stack.stderr()).isEmpty();
        long soldAtTheEdge = 0;
        for (String sku : skus) {
            soldAtTheEdge += stack.soldAtTheEdge(device, sku);
        }
        assertThat(soldAtTheEdge).isEqualTo(succeeded);
        assertThat(stack.stderr()).contains("OutboxDrainer <- schedule rate(1 minute)");
        try (AwsClients aws = new AwsClients(stack.moto(), UpProcess.EDGE)) {
            assertThat(messages(aws.sqs(), OUTBOX)).as("the drainer emptied the outbox").isZero();
            assertThat(messages(aws.sqs(), FORWARDER_DLQ)).isZero();
        }
    }

    static int sold(int status) {
        assertThat(status).as("a sale at the edge").isBetween(200, 299);
        return 1;
    }

    static int messages(SqsClient sqs, String queue) {
        String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
        Map<String, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings(
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
        return Integer.parseInt(a.get("ApproximateNumberOfMessages"))
                + Integer.parseInt(a.get("ApproximateNumberOfMessagesNotVisible"));
    }
}
