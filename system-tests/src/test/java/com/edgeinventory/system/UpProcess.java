package com.edgeinventory.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.aws.AwsClients;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code bin/edge-inventory up --regions eu-west-1 --central us-east-2 --port 0} as a process, as a developer runs
 * it: its printed endpoints, and what the system tests do with it through public interfaces only (a device key,
 * products uploaded to the bucket, the retail and analytics HTTP APIs).
 */
final class UpProcess implements AutoCloseable {

    static final String EDGE = "eu-west-1";
    static final String BUCKET = "edge-inventory-dev-uploads-123456789012-" + EDGE;
    static final ObjectMapper JSON = new ObjectMapper();
    /** The local AnalyticsApi requires an IAM Authorization header but does not verify it. */
    static final String IAM = "AWS4-HMAC-SHA256 Credential=test/20261127/us-east-2/execute-api/aws4_request, "
            + "SignedHeaders=host, Signature=0";
    private static final Pattern UP = Pattern.compile("AWS endpoint \\(moto\\): (http://\\S+)");
    private static final Pattern API = Pattern.compile("^\\s+(RetailApi|AnalyticsApi) (http://\\S+)$");

    private final Path root;
    private final Process process;
    private final StringBuilder err;
    private final URI moto;
    private final URI retail;
    private final URI analytics;
    private final HttpClient http = HttpClient.newHttpClient();

    private UpProcess(Path root, Process process, StringBuilder err, URI moto, URI retail, URI analytics) {
        this.root = root;
        this.process = process;
        this.err = err;
        this.moto = moto;
        this.retail = retail;
        this.analytics = analytics;
    }

    /** Starts {@code up} with {@code extra} options and waits (up to 3 minutes) until it has printed its endpoints. */
    static UpProcess start(Path root, String... extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/edge-inventory").toString(), "up",
                "--regions", EDGE, "--central", "us-east-2", "--port", "0"));
        command.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        builder.environment().put("EDGE_INVENTORY_NO_BUILD", "1");
        Process process = builder.start();
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
        UpProcess up = new UpProcess(root, process, err, moto, apis.get("RetailApi"), apis.get("AnalyticsApi"));
        if (moto == null) {
            up.kill();
        }
        assertThat(moto).as("up never got ready: %s", up.stderr()).isNotNull();
        return up;
    }

    private static void copy(InputStream in, StringBuilder into) {
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

    URI moto() {
        return moto;
    }

    URI retail() {
        return retail;
    }

    String stderr() {
        synchronized (err) {
            return err.toString();
        }
    }

    /** Kills the stack the hard way, moto and the function runtimes included: no shutdown hooks, no final save. */
    void kill() throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(30, TimeUnit.SECONDS);
        for (ProcessHandle p : tree) {
            p.onExit().completeOnTimeout(p, 30, TimeUnit.SECONDS).join();
        }
    }

    /** Stops it as Ctrl-C does, then makes sure nothing of it is left. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    // ------------------------------------------------------------------ what a developer does with it

    String addDevice() throws Exception {
        Launcher.Run run = new Launcher(root).run("device", "add", "--store", "STORE-MUC-01", "--endpoint",
                moto.toString(), "--region", EDGE);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        return JSON.readTree(run.stdout()).get("authorization").asText();
    }

    /** The sample product.json under each sku, with {@code stock} units, uploaded to the edge's bucket. */
    void uploadProducts(List<String> skus, int stock) throws IOException {
        ObjectNode sample = (ObjectNode) JSON.readTree(root.resolve("events/sample/products/TR-RUN-42-BLU/product.json")
                .toFile());
        try (AwsClients aws = new AwsClients(moto, EDGE)) {
            for (String sku : skus) {
                ObjectNode product = sample.deepCopy().put("sku", sku).put("stock", stock);
                aws.s3().putObject(b -> b.bucket(BUCKET).key("products/" + sku + "/product.json"),
                        RequestBody.fromString(product.toString()));
            }
        }
    }

    HttpResponse<String> get(URI uri, String authorization) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", authorization)
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the edge's stock API knows every sku (their uploads were processed). */
    void awaitStock(String device, List<String> skus) throws Exception {
        for (String sku : skus) {
            for (int i = 0; i < 120 && get(retail.resolve("/v1/stock/" + sku), device).statusCode() != 200; i++) {
                Thread.sleep(500);
            }
        }
    }

    /** One POST /v1/sales of one unit; the status. */
    int sell(String device, String sku, String idempotencyKey) throws Exception {
        String body = "{\"lines\":[{\"sku\":\"" + sku + "\",\"qty\":1}]}";
        return http.send(HttpRequest.newBuilder(retail.resolve("/v1/sales")).header("Authorization", device)
                .header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** The edge's row in the central availability of {@code sku}, when central knows it. */
    java.util.Optional<JsonNode> centralLevels(String sku) throws Exception {
        HttpResponse<String> availability = get(URI.create(analytics + "/analytics/availability/" + sku), IAM);
        if (availability.statusCode() != 200) {
            return java.util.Optional.empty();
        }
        for (JsonNode item : JSON.readTree(availability.body()).path("items")) {
            if (item.get("region").asText().equals(EDGE)) {
                return java.util.Optional.of(item);
            }
        }
        return java.util.Optional.empty();
    }

    long soldAtTheEdge(String device, String sku) throws Exception {
        return JSON.readTree(get(retail.resolve("/v1/stock/" + sku), device).body()).get("sold").asLong();
    }

    /** Edge stock vs central availability and today's units sold, per sku; empty when they agree. */
    List<String> differences(String device, List<String> skus) throws Exception {
        List<String> differences = new ArrayList<>();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        HttpResponse<String> topSellers = get(URI.create(analytics + "/analytics/top-sellers?region=" + EDGE
                + "&limit=100&from=" + today + "&to=" + today), IAM);
        if (topSellers.statusCode() != 200) {
            return List.of("top-sellers answered " + topSellers.statusCode() + ": " + topSellers.body());
        }
        Map<String, Long> soldCentrally = new LinkedHashMap<>();
        for (JsonNode item : JSON.readTree(topSellers.body()).path("items")) {
            soldCentrally.put(item.get("sku").asText(), item.get("qty").asLong());
        }
        for (String sku : skus) {
            HttpResponse<String> stock = get(retail.resolve("/v1/stock/" + sku), device);
            HttpResponse<String> availability = get(URI.create(analytics + "/analytics/availability/" + sku), IAM);
            if (stock.statusCode() != 200 || availability.statusCode() != 200) {
                differences.add(sku + ": edge stock answered " + stock.statusCode() + ", central availability "
                        + availability.statusCode());
                continue;
            }
            JsonNode edge = JSON.readTree(stock.body());
            JsonNode row = null;
            for (JsonNode item : JSON.readTree(availability.body()).path("items")) {
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

    /** {@link #differences} until there are none or {@code seconds} have passed; the last differences. */
    List<String> awaitAgreement(String device, List<String> skus, int seconds) throws Exception {
        List<String> differences = List.of("not checked");
        for (int i = 0; i < seconds && !differences.isEmpty(); i++) {
            differences = differences(device, skus);
            if (!differences.isEmpty()) {
                Thread.sleep(1000);
            }
        }
        return differences;
    }
}
