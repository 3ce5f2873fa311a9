package com.edgeinventory.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.template.TemplateResolver;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The local stack with faults injected ({@code bin/edge-inventory up --fault ... --dynamodb-faults ...}), checked
 * only through public APIs: a poison record ends in the forwarder's OnFailure queue with its reason while every
 * other sku reaches central, and DynamoDB throttles and errors on the functions' calls lose nothing and apply
 * nothing twice.
 */
class FaultInjectionE2EIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String EDGE = "eu-west-1";
    static final String BUCKET = "edge-inventory-dev-uploads-123456789012-" + EDGE;
    static final String FORWARDER_DLQ = "edge-inventory-dev-forwarder-dlq";
    static final Pattern UP = Pattern.compile("AWS endpoint \\(moto\\): (http://\\S+)");
    static final Pattern API = Pattern.compile("^\\s+(RetailApi|AnalyticsApi) (http://\\S+)$");
    static final String IAM = "AWS4-HMAC-SHA256 Credential=test/20261127/us-east-2/execute-api/aws4_request, "
            + "SignedHeaders=host, Signature=0";

    final Path root = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir"))).getParent();
    final HttpClient http = HttpClient.newHttpClient();
    final List<Process> started = new ArrayList<>();

    record Stack(Process process, StringBuilder err, URI moto, URI retail, URI analytics) {
        String stderr() {
            synchronized (err) {
                return err.toString();
            }
        }
    }

    Stack up(String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/edge-inventory").toString(), "up",
                "--regions", EDGE, "--central", "us-east-2", "--port", "0"));
        command.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        builder.environment().put("EDGE_INVENTORY_NO_BUILD", "1");
        Process process = builder.start();
        started.add(process);
        process.getOutputStream().close();
        StringBuilder err = new StringBuilder();
        CompletableFuture.runAsync(() -> copy(process.getErrorStream(), err));
        URI moto = null;
        Map<String, URI> apis = new LinkedHashMap<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            Matcher m = UP.matcher(line);
            if (m.find()) {
                moto = URI.create(m.group(1));
            }
            Matcher a = API.matcher(line);
            if (a.find()) {
                apis.put(a.group(1), URI.create(a.group(2)));
            }
            if (line.contains("Ctrl-C stops it.")) {
                break;
            }
        }
        CompletableFuture.runAsync(() -> copy(process.getInputStream(), new StringBuilder()));
        assertThat(moto).as("up never got ready: %s", err).isNotNull();
        return new Stack(process, err, moto, apis.get("RetailApi"), apis.get("AnalyticsApi"));
    }

    static void copy(java.io.InputStream in, StringBuilder into) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (into) {
                    into.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process p : started) {
            List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            tree.forEach(ProcessHandle::destroyForcibly);
        }
    }

    String addDevice(URI moto) throws Exception {
        Launcher.Run run = new Launcher(root).run("device", "add", "--store", "STORE-MUC-01", "--endpoint",
                moto.toString(), "--region", EDGE);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        return JSON.readTree(run.stdout()).get("authorization").asText();
    }

    void uploadProducts(URI moto, List<String> skus) throws IOException {
        ObjectNode sample = (ObjectNode) JSON.readTree(root.resolve("events/sample/products/TR-RUN-42-BLU/product.json")
                .toFile());
        try (AwsClients aws = new AwsClients(moto, EDGE)) {
            for (String sku : skus) {
                ObjectNode product = sample.deepCopy().put("sku", sku).put("stock", 40);
                aws.s3().putObject(b -> b.bucket(BUCKET).key("products/" + sku + "/product.json"),
                        RequestBody.fromString(product.toString()));
            }
        }
    }

    HttpResponse<String> get(URI uri, String authorization) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", authorization)
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    void awaitStock(Stack stack, String device, List<String> skus) throws Exception {
        for (String sku : skus) {
            for (int i = 0; i < 120 && get(stack.retail().resolve("/v1/stock/" + sku), device).statusCode() != 200;
                 i++) {
                Thread.sleep(500);
            }
        }
    }

    /**
     * Sells one unit as a device does: a 5xx (or a 409 while the first attempt is still in progress) is retried
     * with the same Idempotency-Key. Returns the last status.
     */
    int sell(URI retail, String device, String sku, String key) throws Exception {
        String body = "{\"lines\":[{\"sku\":\"" + sku + "\",\"qty\":1}]}";
        int status = 0;
        for (int attempt = 0; attempt < 12; attempt++) {
            status = http.send(HttpRequest.newBuilder(retail.resolve("/v1/sales")).header("Authorization", device)
                    .header("Content-Type", "application/json").header("Idempotency-Key", key)
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
            if (status / 100 != 5 && status != 409 && status != 429) {
                return status;
            }
            Thread.sleep(200L * (attempt + 1));
        }
        return status;
    }

    /** Edge stock vs central availability and units sold, per sku; empty when they agree. */
    List<String> differences(Stack stack, String device, List<String> skus) throws Exception {
        List<String> differences = new ArrayList<>();
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        HttpResponse<String> topSellers = get(URI.create(stack.analytics() + "/analytics/top-sellers?region=" + EDGE
                + "&limit=100&from=" + today + "&to=" + today), IAM);
        if (topSellers.statusCode() != 200) {
            return List.of("top-sellers answered " + topSellers.statusCode());
        }
        Map<String, Long> soldCentrally = new LinkedHashMap<>();
        for (JsonNode item : JSON.readTree(topSellers.body()).path("items")) {
            soldCentrally.put(item.get("sku").asText(), item.get("qty").asLong());
        }
        for (String sku : skus) {
            HttpResponse<String> stock = get(stack.retail().resolve("/v1/stock/" + sku), device);
            HttpResponse<String> availability = get(URI.create(stack.analytics() + "/analytics/availability/" + sku),
                    IAM);
            if (stock.statusCode() != 200 || availability.statusCode() != 200) {
                differences.add(sku + ": edge stock answered " + stock.statusCode() + ", central availability "
                        + availability.statusCode());
                continue;
            }
            JsonNode edge = JSON.readTree(stock.body());
            JsonNode row = edgeRow(JSON.readTree(availability.body()));
            for (String field : List.of("available", "reserved", "sold")) {
                long e = edge.get(field).asLong();
                long c = row == null ? -1 : row.get(field).asLong();
                if (e != c) {
                    differences.add(sku + " " + field + ": edge " + e + ", central " + c);
                }
            }
            long sold = edge.get("sold").asLong();
            if (sold != soldCentrally.getOrDefault(sku, 0L)) {
                differences.add(sku + " units sold: edge " + sold + ", central counters "
                        + soldCentrally.getOrDefault(sku, 0L));
            }
        }
        return differences;
    }

    static JsonNode edgeRow(JsonNode availability) {
        for (JsonNode item : availability.path("items")) {
            if (item.get("region").asText().equals(EDGE)) {
                return item;
            }
        }
        return null;
    }

    List<String> awaitAgreement(Stack stack, String device, List<String> skus) throws Exception {
        List<String> differences = List.of("not checked");
        for (int i = 0; i < 60 && !differences.isEmpty(); i++) {
            differences = differences(stack, device, skus);
            if (!differences.isEmpty()) {
                Thread.sleep(1000);
            }
        }
        return differences;
    }

    long soldAtTheEdge(Stack stack, String device, List<String> skus) throws Exception {
        long sold = 0;
        for (String sku : skus) {
            HttpResponse<String> stock = get(stack.retail().resolve("/v1/stock/" + sku), device);
            for (int i = 0; i < 10 && stock.statusCode() != 200; i++) {
                stock = get(stack.retail().resolve("/v1/stock/" + sku), device);
            }
            sold += JSON.readTree(stock.body()).get("sold").asLong();
        }
        return sold;
    }

    @Test
    void aPoisonRecordEndsInTheForwardersDeadLetterQueueWithItsReasonAndEveryOtherSkuReachesCentral()
            throws Exception {
        String poison = "FP-POISON-77";
        List<String> healthy = List.of("FP-E2E-01", "FP-E2E-02", "FP-E2E-03");
        Stack stack = up("--fault", "InventoryStreamForwarder:fail:" + poison);
        String device = addDevice(stack.moto());
        List<String> skus = new ArrayList<>(healthy);
        skus.add(1, poison);
        uploadProducts(stack.moto(), skus);
        awaitStock(stack, device, skus);
        for (int n = 0; n < 8; n++) {
            String sku = skus.get(n % skus.size());
            assertThat(sell(stack.retail(), device, sku, "poison-sale-" + n)).as("sale of %s; stderr:%n%s", sku,
                    stack.stderr()).isBetween(200, 299);
        }

        List<JsonNode> dead = new ArrayList<>();
        try (AwsClients aws = new AwsClients(stack.moto(), EDGE)) {
            String queue = aws.sqs().getQueueUrl(b -> b.queueName(FORWARDER_DLQ)).queueUrl();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && dead.stream().noneMatch(FaultInjectionE2EIT::singlePoisonRecord)) {
                for (Message m : aws.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)
                        .waitTimeSeconds(2)).messages()) {
                    dead.add(JSON.readTree(m.body()));
                }
            }
        }
        assertThat(dead).as("OnFailure records of the forwarder; stderr:%n%s", stack.stderr())
                .anyMatch(FaultInjectionE2EIT::singlePoisonRecord);
        assertThat(dead).as("only the poison sku's records are skipped")
                .allSatisfy(record -> assertThat(record.path("reason").asText()).contains("InjectedFault"));

        assertThat(awaitAgreement(stack, device, healthy)).as("central vs edge for the healthy skus").isEmpty();
        HttpResponse<String> poisonCentrally = get(URI.create(stack.analytics() + "/analytics/availability/"
                + poison), IAM);
        assertThat(poisonCentrally.statusCode() != 200 || edgeRow(JSON.readTree(poisonCentrally.body())) == null)
                .as("the poison sku never reached central: %s", poisonCentrally.body()).isTrue();
    }

    static boolean singlePoisonRecord(JsonNode record) {
        return record.path("DDBStreamBatchInfo").path("batchSize").asInt() == 1
                && record.path("reason").asText().contains("injected fault for InventoryStreamForwarder");
    }

    @Test
    void dynamoDbThrottlesAndErrorsOnTheFunctionsCallsLoseNothingAndApplyNothingTwice() throws Exception {
        List<String> skus = List.of("FT-E2E-01", "FT-E2E-02", "FT-E2E-03");
        Stack stack = up("--dynamodb-faults", "throttle=0.2,error=0.05,seed=11");
        String device = addDevice(stack.moto());
        uploadProducts(stack.moto(), skus);
        awaitStock(stack, device, skus);

        int sales = 18;
        long succeeded = 0;
        List<Integer> statuses = new ArrayList<>();
        for (int n = 0; n < sales; n++) {
            int status = sell(stack.retail(), device, skus.get(n % skus.size()), "throttled-sale-" + n);
            statuses.add(status);
            if (status / 100 == 2) {
                succeeded++;
            }
        }
        assertThat(statuses).as("sales (each retried with its Idempotency-Key); stderr:%n%s", stack.stderr())
                .allMatch(s -> s / 100 == 2);

        assertThat(awaitAgreement(stack, device, skus)).as("central vs edge under DynamoDB faults; stderr:%n%s",
                stack.stderr()).isEmpty();
        assertThat(soldAtTheEdge(stack, device, skus)).as("units sold = successful sales").isEqualTo(succeeded);
        assertThat(stack.stderr()).as("faults were injected").contains("fault proxy: throttle")
                .contains("fault proxy: error");
    }
}
