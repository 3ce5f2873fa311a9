package com.edgeinventory.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.edgeinventory.cli.demo.StoreSimulator.EventKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StoreSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUTH = "Device POS-1:secret";

    private StubRetailApi api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void drivesTheApiAtTheRateWithRetriesDuplicatesAndOutOfStockAsNormal() throws Exception {
        api = new StubRetailApi();
        StoreSimulator.Config config = StoreSimulator.Config.of("eu-west-1", api.uri(),
                        List.of(new StoreSimulator.Device("POS-1", AUTH)),
                        List.of("SOLD-OUT", "AAA-1", "BBB-2", "CCC-3", "DDD-4"), 40, 42)
                .withWorkers(4)
                .withMix(new StoreSimulator.Mix(0.1, 0.3, 0.5, 0.2, 0.1, 0.25, 0.25, 0, 0.5))
                .withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(5));
        StoreSimulator simulator = new StoreSimulator(config);

        long start = System.nanoTime();
        simulator.run(Instant.now().plusSeconds(3));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        StoreSimulator.Stats stats = simulator.stats();
        List<StubRetailApi.Received> received = api.received();
        // the rate: 40/s for 3 s is 120 requests; allow x2 either way (workers finish their scenario)
        assertThat(stats.requests()).isEqualTo(received.size()).isBetween(60L, 240L);
        assertThat(elapsed).isLessThan(Duration.ofSeconds(6));
        assertThat(received).allMatch(r -> r.authorization().equals(AUTH));

        // retries and duplicates: extra sends with a key already used, of the very same request
        assertThat(stats.event(EventKind.RETRY)).isPositive();
        assertThat(stats.event(EventKind.DUPLICATE)).isPositive();
        Map<String, List<StubRetailApi.Received>> byKey = received.stream().filter(r -> r.key() != null)
                .collect(Collectors.groupingBy(StubRetailApi.Received::key));
        long mutating = received.stream().filter(r -> r.key() != null).count();
        assertThat(mutating - byKey.size())
                .isEqualTo(stats.event(EventKind.RETRY) + stats.event(EventKind.DUPLICATE));
        for (List<StubRetailApi.Received> sends : byKey.values()) {
            assertThat(sends).extracting(StubRetailApi.Received::request).containsOnly(sends.getFirst().request());
        }
        assertThat(byKey.keySet()).allMatch(k -> k.matches("[A-Za-z0-9_-]{8,128}"));
        assertThat(received.stream().filter(r -> r.method().equals("GET"))).allMatch(r -> r.key() == null);

        // every kind of scenario happened; 409 out-of-stock is an outcome, not an error
        for (EventKind kind : List.of(EventKind.ADD, EventKind.CHECKOUT, EventKind.SALE, EventKind.STOCK)) {
            assertThat(stats.event(kind)).as(kind.label()).isPositive();
        }
        assertThat(stats.outOfStock()).isPositive();
        assertThat(stats.errors()).isEmpty();
        assertThat(simulator.counters().errors()).isZero();

        // a latency per request, per route
        long recorded = stats.latencies().values().stream().mapToLong(Histogram::getTotalCount).sum();
        assertThat(recorded).isEqualTo(stats.requests());
        assertThat(stats.latencies().get(StoreSimulator.ROUTE_ADD).getTotalCount()).isPositive();
        assertThat(stats.latencies().get(StoreSimulator.ROUTE_ADD).getValueAtPercentile(50)).isPositive();

        // the ledger counts each purchase once, as the API sold it
        assertThat(simulator.ledger().unitsBySku()).isEqualTo(api.sold()).isNotEmpty();
        assertThat(simulator.ledger().unitsBySku()).doesNotContainKey("SOLD-OUT");
        // alternative=0.5: half of the time the customer takes the alternative offered, named as such
        assertThat(api.alternatives()).isNotEmpty().containsOnly("SOLD-OUT>ALT-1");
    }

    @Test
    void theSameSeedSendsTheSameRequestsInOneWorker() throws Exception {
        List<List<String>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            api = new StubRetailApi();
            StoreSimulator.Config config = StoreSimulator.Config.of("eu-west-1", api.uri(),
                            List.of(new StoreSimulator.Device("POS-1", AUTH)), List.of("AAA-1", "BBB-2", "CCC-3"), 0, 7)
                    .withRunId("fixed").withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(1));
            StoreSimulator simulator = new StoreSimulator(config);
            simulator.run(Instant.now().plusMillis(300));
            runs.add(api.received().stream().map(r -> r.key() + " " + r.request()).toList());
            api.close();
            api = null;
        }
        int common = Math.min(runs.get(0).size(), runs.get(1).size());
        assertThat(common).isGreaterThan(5);
        assertThat(runs.get(1).subList(0, common)).isEqualTo(runs.get(0).subList(0, common));
    }

    /**
     * {@code demo --days} runs the same simulator once per day: the second run goes on with the devices where the
     * first left them, so no Idempotency-Key or client id is used again (a reused key would replay yesterday's
     * purchase) and the choices differ.
     */
    @Test
    void aSecondRunGoesOnWithNewKeysAndCarts() throws Exception {
        api = new StubRetailApi();
        StoreSimulator.Config config = StoreSimulator.Config.of("eu-west-1", api.uri(),
                        List.of(new StoreSimulator.Device("POS-1", AUTH)), List.of("AAA-1", "BBB-2", "CCC-3"), 0, 7)
                .withRunId("fixed").withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(1))
                .withMix(new StoreSimulator.Mix(0, 0.3, 0.2, 0.15, 0.1, 0, 0));
        StoreSimulator simulator = new StoreSimulator(config);
        simulator.run(Instant.now().plusMillis(200));
        int first = api.received().size();
        simulator.run(Instant.now().plusMillis(200), 2);

        List<StubRetailApi.Received> all = api.received();
        assertThat(first).isGreaterThan(5);
        assertThat(all.size()).isGreaterThan(first + 5);
        List<String> keys = all.stream().map(StubRetailApi.Received::key).filter(java.util.Objects::nonNull).toList();
        assertThat(keys).as("one key per request, never again in a later run").doesNotHaveDuplicates();
        assertThat(all.subList(first, all.size()).stream().map(StubRetailApi.Received::path)
                .filter(p -> p.endsWith("/checkout")))
                .noneMatch(p -> all.subList(0, first).stream().anyMatch(r -> r.path().equals(p)));
        assertThatThrownBy(() -> simulator.run(Instant.now(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A region's taste: the skus' shares follow their rank (the square of a uniform number) times their weight;
     * without weights exactly the rank's shares, so runs without a taste choose as before.
     */
    @Test
    void theRegionsTasteWeighsTheSkusRanks() {
        List<String> skus = List.of("A", "B", "C", "D");
        double[] plain = StoreSimulator.cumulative(skus, Map.of());
        assertThat(plain).containsExactly(new double[] {0.5, Math.sqrt(0.5), Math.sqrt(0.75), 1.0},
                org.assertj.core.data.Offset.offset(1e-12));

        double[] tasted = StoreSimulator.cumulative(skus, Map.of("D", 4.0));
        double d = 4 * (1 - Math.sqrt(0.75));
        double total = Math.sqrt(0.75) + d;
        assertThat(tasted[3] - tasted[2]).as("D's share, four times its rank's").isCloseTo(d / total,
                org.assertj.core.data.Offset.offset(1e-12));
        assertThat(tasted[0]).isCloseTo(0.5 / total, org.assertj.core.data.Offset.offset(1e-12));
        assertThatThrownBy(() -> StoreSimulator.Config.of("eu-west-1", URI.create("http://x/"),
                List.of(new StoreSimulator.Device("POS-1", AUTH)), skus, 1, 1).withSkuWeights(Map.of("A", 0.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }

    @Test
    void serverErrorsAndProblemsAreErrorsByKind() throws Exception {
        api = new StubRetailApi();
        StoreSimulator.Config config = StoreSimulator.Config.of("eu-west-1", api.uri(),
                        List.of(new StoreSimulator.Device("POS-1", AUTH)), List.of("FAILS-1", "GONE-1"), 30, 3)
                .withMix(new StoreSimulator.Mix(1, 0, 0, 0, 0, 0, 0));
        StoreSimulator simulator = new StoreSimulator(config);

        simulator.run(Instant.now().plusSeconds(1));

        Map<String, Long> errors = simulator.stats().errors();
        assertThat(errors.keySet()).containsOnly("5xx 500", "4xx not-found");
        assertThat(simulator.counters().errors()).isEqualTo(simulator.stats().errorCount()).isPositive();
        assertThat(simulator.stats().outOfStock()).isZero();
    }

    @Test
    void connectionFailuresAreIoErrorsAndRetriedWithTheSameKey() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        StoreSimulator.Config config = StoreSimulator.Config.of("eu-west-1", URI.create("http://127.0.0.1:" + port),
                        List.of(new StoreSimulator.Device("POS-1", AUTH)), List.of("AAA-1"), 20, 3)
                .withMix(new StoreSimulator.Mix(0, 1, 0, 0, 0, 0, 0))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(1));
        StoreSimulator simulator = new StoreSimulator(config);

        simulator.run(Instant.now().plusMillis(500));

        StoreSimulator.Stats stats = simulator.stats();
        assertThat(stats.errors().keySet()).containsOnly("io ConnectException");
        // each sale: one send and two retries, all failing
        assertThat(stats.event(EventKind.RETRY)).isEqualTo(2 * stats.event(EventKind.SALE)).isPositive();
        assertThat(stats.errorCount()).isEqualTo(stats.requests());
        assertThat(simulator.ledger().purchases()).isZero();
    }

    /** The retail API as far as the simulator needs it, with idempotent replay by key. */
    static final class StubRetailApi implements AutoCloseable {

        record Received(String method, String path, String key, String authorization, String body) {
            String request() {
                return method + " " + path + " " + body;
            }
        }

        private record Answer(int status, String body) {
        }

        private final HttpServer server;
        private final List<Received> received = new ArrayList<>();
        private final Map<String, Answer> replies = new HashMap<>();
        private final Map<String, Map<String, Long>> carts = new HashMap<>();
        private final Map<String, Long> sold = new TreeMap<>();
        /** {@code refused>taken} of every add that named an alternative. */
        private final List<String> alternatives = new ArrayList<>();

        StubRetailApi() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.createContext("/", this::handle);
            server.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        }

        synchronized List<Received> received() {
            return List.copyOf(received);
        }

        synchronized List<String> alternatives() {
            return List.copyOf(alternatives);
        }

        synchronized Map<String, Long> sold() {
            return new TreeMap<>(sold);
        }

        private void handle(HttpExchange exchange) throws IOException {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            Answer answer;
            synchronized (this) {
                received.add(new Received(method, path, key, exchange.getRequestHeaders().getFirst("Authorization"),
                        body));
                if (key != null && replies.containsKey(key)) {
                    answer = replies.get(key);
                } else {
                    answer = answer(method, path, body);
                    if (key != null) {
                        replies.put(key, answer);
                    }
                }
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.status() >= 400
                    ? "application/problem+json" : "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        }

        private Answer answer(String method, String path, String body) throws IOException {
            String[] parts = path.split("/");
            if (method.equals("GET") && path.startsWith("/v1/stock/")) {
                String sku = parts[3];
                if (sku.equals("GONE-1")) {
                    return problem(404, "not-found");
                }
                if (sku.equals("FAILS-1")) {
                    return new Answer(500, "");
                }
                return new Answer(200, JSON.createObjectNode().put("sku", sku).put("available", 5).put("reserved", 0)
                        .put("sold", 0).toString());
            }
            if (method.equals("POST") && path.equals("/v1/sales")) {
                Map<String, Long> lines = new LinkedHashMap<>();
                for (JsonNode line : JSON.readTree(body).path("lines")) {
                    lines.merge(line.path("sku").asText(), line.path("qty").asLong(), Long::sum);
                }
                if (lines.containsKey("SOLD-OUT")) {
                    return problem(409, "out-of-stock");
                }
                if (lines.containsKey("FAILS-1")) {
                    return new Answer(500, "");
                }
                return purchase(lines);
            }
            if (path.startsWith("/v1/transactions/") && parts.length >= 4) {
                String client = parts[3];
                Map<String, Long> cart = carts.computeIfAbsent(client, c -> new LinkedHashMap<>());
                if (method.equals("POST") && parts.length == 5 && parts[4].equals("items")) {
                    JsonNode add = JSON.readTree(body);
                    String sku = add.path("sku").asText();
                    if (sku.equals("SOLD-OUT")) {
                        ObjectNode problem = (ObjectNode) JSON.readTree(problem(409, "out-of-stock").body());
                        problem.putArray("alternatives").addObject().put("sku", "ALT-1").put("available", 3);
                        return new Answer(409, problem.toString());
                    }
                    if (sku.equals("FAILS-1")) {
                        return new Answer(500, "");
                    }
                    if (add.has("alternativeFor")) {
                        alternatives.add(add.path("alternativeFor").asText() + ">" + sku);
                    }
                    boolean created = cart.isEmpty();
                    cart.merge(sku, add.path("qty").asLong(), Long::sum);
                    return new Answer(created ? 201 : 200, JSON.createObjectNode().put("clientId", client)
                            .put("status", "OPEN").toString());
                }
                if (method.equals("DELETE") && parts.length == 6) {
                    return cart.remove(parts[5]) == null ? problem(404, "not-found")
                            : new Answer(200, JSON.createObjectNode().put("status", "OPEN").toString());
                }
                if (method.equals("POST") && parts.length == 5 && parts[4].equals("checkout")) {
                    Map<String, Long> lines = new LinkedHashMap<>(cart);
                    carts.remove(client);
                    return lines.isEmpty() ? problem(404, "not-found") : purchase(lines);
                }
                if (method.equals("POST") && parts.length == 5 && parts[4].equals("cancel")) {
                    carts.remove(client);
                    return new Answer(200, JSON.createObjectNode().put("status", "CANCELLED").toString());
                }
            }
            return problem(400, "invalid-request");
        }

        private Answer purchase(Map<String, Long> lines) {
            ObjectNode purchase = JSON.createObjectNode().put("purchaseId", UUID.randomUUID().toString());
            ArrayNode array = purchase.putArray("lines");
            lines.forEach((sku, qty) -> {
                array.addObject().put("sku", sku).put("qty", qty);
                sold.merge(sku, qty, Long::sum);
            });
            purchase.put("total", "10.00").put("currency", "EUR");
            return new Answer(200, purchase.toString());
        }

        private static Answer problem(int status, String slug) {
            return new Answer(status, JSON.createObjectNode()
                    .put("type", "https://edge-inventory.example/problems/" + slug).put("title", slug)
                    .put("status", status).toString());
        }

        @Override
        public void close() {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }
}
