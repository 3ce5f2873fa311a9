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
import java.nio.file.Files;
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
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The local stack as a developer runs it: {@code bin/edge-inventory up --data DIR}, products uploaded to the
 * edge's bucket, sales through the retail HTTP API with a device key, then the whole stack killed (SIGKILL, moto
 * and the function runtimes included) while the pipeline is busy, and started again from DIR. Nothing is lost and
 * nothing is applied twice: afterwards the central aggregates equal the edge, sku by sku, and the units sold agree.
 */
class LocalStackRestartE2EIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String EDGE = "eu-west-1";
    static final String BUCKET = "edge-inventory-dev-uploads-123456789012-" + EDGE;
    static final List<String> SKUS = List.of("RS-E2E-01", "RS-E2E-02", "RS-E2E-03", "RS-E2E-04");
    static final Pattern UP = Pattern.compile("AWS endpoint \\(moto\\): (http://\\S+)");
    static final Pattern API = Pattern.compile("^\\s+(RetailApi|AnalyticsApi) (http://\\S+)$");
    static final String IAM = "AWS4-HMAC-SHA256 Credential=test/20261127/us-east-2/execute-api/aws4_request, "
            + "SignedHeaders=host, Signature=0";

    final Path root = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir"))).getParent();
    final HttpClient http = HttpClient.newHttpClient();
    final List<Process> started = new ArrayList<>();

    /** A running {@code up}: its process, what it printed, and its endpoints. */
    record Stack(Process process, StringBuilder err, URI moto, URI retail, URI analytics) {}

    Stack up(Path data) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(root.resolve("bin/edge-inventory").toString(), "up",
                "--regions", EDGE, "--central", "us-east-2", "--port", "0", "--data", data.toString())
                .directory(root.toFile());
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

    /** Kills the stack the hard way: no shutdown hooks, no final save. */
    static void kill(Process process) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(30, TimeUnit.SECONDS);
        for (ProcessHandle p : tree) {
            p.onExit().completeOnTimeout(p, 30, TimeUnit.SECONDS).join();
        }
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                kill(p);
            }
        }
    }

    String addDevice(URI moto) throws Exception {
        Launcher.Run run = new Launcher(root).run("device", "add", "--store", "STORE-MUC-01", "--endpoint",
                moto.toString(), "--region", EDGE);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        return JSON.readTree(run.stdout()).get("authorization").asText();
    }

    void uploadProducts(URI moto) throws IOException {
        ObjectNode sample = (ObjectNode) JSON.readTree(root.resolve("events/sample/products/TR-RUN-42-BLU/product.json")
                .toFile());
        try (AwsClients aws = new AwsClients(moto, EDGE)) {
            for (String sku : SKUS) {
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

    int sell(URI retail, String device, String sku, int n) throws Exception {
        String body = "{\"lines\":[{\"sku\":\"" + sku + "\",\"qty\":1}]}";
        return http.send(HttpRequest.newBuilder(retail.resolve("/v1/sales")).header("Authorization", device)
                .header("Content-Type", "application/json").header("Idempotency-Key", "restart-sale-" + n)
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** Edge stock vs central availability and units sold, per sku; empty when they agree. */
    List<String> differences(Stack stack, String device) throws Exception {
        List<String> differences = new ArrayList<>();
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        HttpResponse<String> topSellers = get(URI.create(stack.analytics() + "/analytics/top-sellers?region=" + EDGE
                + "&limit=100&from=" + today + "&to=" + today), IAM);
        assertThat(topSellers.statusCode()).as(topSellers.body()).isEqualTo(200);
        JsonNode top = JSON.readTree(topSellers.body());
        Map<String, Long> soldCentrally = new LinkedHashMap<>();
        for (JsonNode item : top.path("items")) {
            soldCentrally.put(item.get("sku").asText(), item.get("qty").asLong());
        }
        for (String sku : SKUS) {
            HttpResponse<String> stock = get(stack.retail().resolve("/v1/stock/" + sku), device);
            if (stock.statusCode() != 200) {
                differences.add(sku + ": edge stock answered " + stock.statusCode());
                continue;
            }
            JsonNode edge = JSON.readTree(stock.body());
            JsonNode central = JSON.readTree(get(URI.create(stack.analytics() + "/analytics/availability/" + sku),
                    IAM).body());
            JsonNode row = null;
            for (JsonNode item : central.path("items")) {
                if (item.get("region").asText().equals(EDGE)) {
                    row = item;
                }
            }
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

    List<String> awaitAgreement(Stack stack, String device) throws Exception {
        List<String> differences = List.of("not checked");
        for (int i = 0; i < 90 && !differences.isEmpty(); i++) {
            differences = differences(stack, device);
            if (!differences.isEmpty()) {
                Thread.sleep(1000);
            }
        }
        return differences;
    }

    @Test
    void aStackKilledMidBatchRestartsFromItsDataWithNothingLostAndNothingTwice(@TempDir Path data) throws Exception {
        Stack first = up(data);
        String device = addDevice(first.moto());
        uploadProducts(first.moto());
        for (int i = 0; i < 60 && get(first.retail().resolve("/v1/stock/" + SKUS.getLast()), device).statusCode() != 200;
             i++) {
            Thread.sleep(500);
        }
        List<Integer> statuses = new ArrayList<>();
        for (int n = 0; n < 12; n++) {
            statuses.add(sell(first.retail(), device, SKUS.get(n % SKUS.size()), n));
        }
        assertThat(statuses).as("sales before the kill; stderr:%n%s", first.err()).allMatch(s -> s / 100 == 2);
        Thread.sleep(2500); // at least one snapshot with sales in it
        for (int n = 12; n < 16; n++) {
            sell(first.retail(), device, SKUS.get(n % SKUS.size()), n);
        }
        kill(first.process()); // the forwarder and aggregator are still busy with the last sales
        assertThat(Files.exists(data.resolve("moto.state"))).isTrue();
        assertThat(Files.exists(data.resolve("checkpoints.json"))).isTrue();

        Stack second = up(data);
        assertThat(second.err().toString()).contains("resuming");
        List<String> differences = awaitAgreement(second, device);

        assertThat(differences).as("central vs edge after the restart").isEmpty();
        long sold = 0;
        for (String sku : SKUS) {
            sold += JSON.readTree(get(second.retail().resolve("/v1/stock/" + sku), device).body()).get("sold").asLong();
        }
        assertThat(sold).as("units sold that survived the kill").isBetween(1L, 16L);
    }
}
