package com.edgeinventory.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * The store devices of one region, driving its retail HTTP API at a target rate: carts (add 1-3 items, sometimes
 * remove one, then checkout, cancel or abandon), one-shot sales and the occasional stock lookup. Like real devices
 * it retries (the same request and Idempotency-Key again after a timeout, simulated or real) and sometimes sends
 * a request twice, and asks again after a 409 {@code concurrent-modification} (backing off with jitter). Out-of-stock
 * answers (409 {@code out-of-stock}) are normal outcomes, not errors.
 *
 * <p>Every HTTP request takes a slot of one shared pacer, so the region sees at most {@code rate} requests per
 * second; workers (each a device running scenarios one after another) stop starting new scenarios at the deadline
 * and finish the one they are in. Thread-safe: {@link #stats()}, {@link #counters()} and {@link #ledger()} may be read
 * while it runs.
 */
public final class StoreSimulator {

    public static final String ROUTE_ADD = "POST /v1/transactions/{clientId}/items";
    public static final String ROUTE_REMOVE = "DELETE /v1/transactions/{clientId}/items/{sku}";
    public static final String ROUTE_CHECKOUT = "POST /v1/transactions/{clientId}/checkout";
    public static final String ROUTE_CANCEL = "POST /v1/transactions/{clientId}/cancel";
    public static final String ROUTE_SALE = "POST /v1/sales";
    public static final String ROUTE_STOCK = "GET /v1/stock/{sku}";
    /** The routes in the order reports list them. */
    public static final List<String> ROUTES = List.of(ROUTE_ADD, ROUTE_REMOVE, ROUTE_CHECKOUT, ROUTE_CANCEL,
            ROUTE_SALE, ROUTE_STOCK);

    /** Loyalty members per region and run: few enough that most buy more than once in a demo. */
    public static final int MEMBERS = 40;

    /** The highest latency the histograms track, in microseconds (longer ones are recorded as this). */
    public static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IO_RETRIES = 2;
    /**
     * How often a device asks again, with the same Idempotency-Key, after a 409 {@code concurrent-modification}:
     * the API's answer when its own retries lost to other writers of the same items (DynamoDB transaction
     * conflicts on a hot sku). Nothing was written, so asking again is safe.
     */
    private static final int CONFLICT_RETRIES = 3;

    /** What the devices did. RETRY and DUPLICATE are the extra sends; ABANDON sends nothing. */
    public enum EventKind {
        ADD, REMOVE, CHECKOUT, CANCEL, ABANDON, SALE, STOCK, RETRY, DUPLICATE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A provisioned device: its id and its {@code Authorization} header value, {@code Device {id}:{secret}}. */
    public record Device(String deviceId, String authorization) {

        public Device {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(authorization, "authorization");
        }
    }

    /**
     * The scenario mix, as probabilities. Per scenario: {@code stock} a stock lookup, {@code sale} a one-shot sale,
     * else a cart; per cart with two lines or more {@code remove} removes one; a cart ends abandoned with
     * {@code abandon}, cancelled with {@code cancel}, else checked out. Per mutating request, {@code retry} that
     * its answer is lost (a simulated timeout) and it is sent again, {@code duplicate} that it is sent twice. Per
     * sale or cart, {@code member} that a loyalty member buys (their customer id on the sale or the cart's first
     * add): one of the region's {@link #MEMBERS} members, so most come back within a run. Per out-of-stock answer
     * to a cart's add that offers alternatives, {@code alternative} that the customer takes the first one (added
     * with {@code alternativeFor}).
     */
    public record Mix(double stock, double sale, double remove, double cancel, double abandon, double retry,
                      double duplicate, double member, double alternative) {

        public static final Mix DEFAULT = new Mix(0.08, 0.25, 0.2, 0.15, 0.1, 0.04, 0.03, 0.6, 0.5);

        /** No offered alternative taken. */
        public Mix(double stock, double sale, double remove, double cancel, double abandon, double retry,
                   double duplicate, double member) {
            this(stock, sale, remove, cancel, abandon, retry, duplicate, member, 0);
        }

        /** Without loyalty members: every basket anonymous. */
        public Mix(double stock, double sale, double remove, double cancel, double abandon, double retry,
                   double duplicate) {
            this(stock, sale, remove, cancel, abandon, retry, duplicate, 0);
        }

        public Mix {
            for (double p : new double[] {stock, sale, remove, cancel, abandon, retry, duplicate, member, alternative}) {
                if (!(p >= 0 && p <= 1)) {
                    throw new IllegalArgumentException("a probability must be 0..1, got " + p);
                }
            }
            if (stock + sale > 1 || cancel + abandon > 1) {
                throw new IllegalArgumentException("stock + sale and cancel + abandon must each be at most 1");
            }
        }
    }

    /**
     * @param rate           requests per second for the whole region (retries and duplicates included); 0 = as
     *                       fast as the workers go
     * @param workers        concurrent devices loops; worker i uses device i modulo the devices
     * @param runId          part of every client id and Idempotency-Key, so runs against the same tables never
     *                       replay each other's requests; 1-12 of A-Z a-z 0-9
     * @param requestTimeout a request without an answer by then is a (real) timeout, retried with the same key
     * @param retryBackoff   how long a device waits before it retries
     * @param skuWeights     how much more than its rank alone says a sku is wanted here (the region's taste for
     *                       its category); 1 for a sku not listed
     */
    public record Config(String region, URI baseUri, List<Device> devices, List<String> skus, double rate,
                         int workers, long seed, String runId, Mix mix, Duration requestTimeout,
                         Duration retryBackoff, Map<String, Double> skuWeights) {

        public Config {
            devices = List.copyOf(devices);
            skus = List.copyOf(skus);
            skuWeights = Map.copyOf(skuWeights);
            if (skuWeights.values().stream().anyMatch(w -> !(w > 0) || w.isInfinite())) {
                throw new IllegalArgumentException("sku weights must be positive, got " + skuWeights);
            }
            if (devices.isEmpty()) {
                throw new IllegalArgumentException("at least one device is needed");
            }
            if (skus.isEmpty()) {
                throw new IllegalArgumentException("at least one sku is needed");
            }
            if (rate < 0 || workers < 1) {
                throw new IllegalArgumentException("rate must be >= 0 and workers >= 1");
            }
            if (!runId.matches("[A-Za-z0-9]{1,12}")) {
                throw new IllegalArgumentException("runId must be 1-12 letters or digits, got '" + runId + "'");
            }
        }

        /** The default mix, one worker per device, a random run id, 30 s timeouts and a 100 ms backoff. */
        public static Config of(String region, URI baseUri, List<Device> devices, List<String> skus, double rate,
                                long seed) {
            return new Config(region, baseUri, devices, skus, rate, devices.size(), seed, newRunId(), Mix.DEFAULT,
                    Duration.ofSeconds(30), Duration.ofMillis(100), Map.of());
        }

        public Config withSkuWeights(Map<String, Double> skuWeights) {
            return new Config(region, baseUri, devices, skus, rate, workers, seed, runId, mix, requestTimeout,
                    retryBackoff, skuWeights);
        }

        public Config withWorkers(int workers) {
            return new Config(region, baseUri, devices, skus, rate, workers, seed, runId, mix, requestTimeout,
                    retryBackoff, skuWeights);
        }

        public Config withMix(Mix mix) {
            return new Config(region, baseUri, devices, skus, rate, workers, seed, runId, mix, requestTimeout,
                    retryBackoff, skuWeights);
        }

        public Config withTimeouts(Duration requestTimeout, Duration retryBackoff) {
            return new Config(region, baseUri, devices, skus, rate, workers, seed, runId, mix, requestTimeout,
                    retryBackoff, skuWeights);
        }

        public Config withRunId(String runId) {
            return new Config(region, baseUri, devices, skus, rate, workers, seed, runId, mix, requestTimeout,
                    retryBackoff, skuWeights);
        }

        public static String newRunId() {
            return Long.toString(UUID.randomUUID().getMostSignificantBits() >>> 24, 36);
        }
    }

    /** Cheap running totals for a progress line. */
    public record Counters(long events, long requests, long errors) {
    }

    /**
     * A snapshot: events per kind, requests sent, out-of-stock answers, errors by kind ({@code 4xx not-found},
     * {@code 5xx}, {@code io HttpTimeoutException}, ...) and a latency histogram per route in microseconds.
     */
    public record Stats(Map<EventKind, Long> events, long requests, long outOfStock, Map<String, Long> errors,
                        Map<String, Histogram> latencies) {

        public Stats {
            events = Map.copyOf(events);
            errors = Map.copyOf(errors);
            latencies = Map.copyOf(latencies);
        }

        public long event(EventKind kind) {
            return events.getOrDefault(kind, 0L);
        }

        public long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        public long eventCount() {
            return events.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Several regions' stats as one: counts added, histograms merged. */
        public static Stats merge(Collection<Stats> all) {
            Map<EventKind, Long> events = new EnumMap<>(EventKind.class);
            Map<String, Long> errors = new TreeMap<>();
            Map<String, Histogram> latencies = new TreeMap<>();
            long requests = 0;
            long outOfStock = 0;
            for (Stats s : all) {
                s.events().forEach((k, v) -> events.merge(k, v, Long::sum));
                s.errors().forEach((k, v) -> errors.merge(k, v, Long::sum));
                s.latencies().forEach((route, h) -> latencies.computeIfAbsent(route, r -> newHistogram()).add(h));
                requests += s.requests();
                outOfStock += s.outOfStock();
            }
            return new Stats(events, requests, outOfStock, errors, latencies);
        }
    }

    /** What the devices believe they sold: purchases from 2xx checkout and sale answers, once per purchase id. */
    public static final class Ledger {

        /** One purchase line. */
        public record Line(String sku, long qty) {
        }

        private final Map<String, List<Line>> purchases = new ConcurrentHashMap<>();

        public void record(String purchaseId, List<Line> lines) {
            purchases.putIfAbsent(purchaseId, List.copyOf(lines));
        }

        public int purchases() {
            return purchases.size();
        }

        /** Units sold per sku, sorted by sku. */
        public Map<String, Long> unitsBySku() {
            Map<String, Long> units = new TreeMap<>();
            purchases.values().forEach(lines -> lines.forEach(l -> units.merge(l.sku(), l.qty(), Long::sum)));
            return units;
        }
    }

    private final Config config;
    private final HttpClient http;
    private final Clock clock;
    private final Pacer pacer;
    private final Map<EventKind, LongAdder> events = new EnumMap<>(EventKind.class);
    private final LongAdder requests = new LongAdder();
    private final LongAdder outOfStock = new LongAdder();
    private final LongAdder errorTotal = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latencies = new ConcurrentHashMap<>();
    private final Ledger ledger = new Ledger();
    /** The cumulative share of each sku in {@link Config#skus()} order: rank and the region's taste. */
    private final double[] cumulative;
    /** The device loops: kept across runs, so that a device's carts, keys and choices go on where they were. */
    private final List<Worker> workers = new ArrayList<>();

    public StoreSimulator(Config config, HttpClient http, Clock clock) {
        this.config = config;
        this.http = http;
        this.clock = clock;
        this.pacer = new Pacer(config.rate());
        this.cumulative = cumulative(config.skus(), config.skuWeights());
        for (EventKind kind : EventKind.values()) {
            events.put(kind, new LongAdder());
        }
        for (int i = 0; i < config.workers(); i++) {
            workers.add(new Worker(i));
        }
    }

    /**
     * Popular skus more often: the i-th of n gets {@code sqrt((i+1)/n) - sqrt(i/n)} (the square of a uniform
     * number, so some sell out), times its weight, normalised to a cumulative distribution.
     */
    static double[] cumulative(List<String> skus, Map<String, Double> weights) {
        int n = skus.size();
        double[] c = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += (Math.sqrt((i + 1.0) / n) - Math.sqrt((double) i / n)) * weights.getOrDefault(skus.get(i), 1.0);
            c[i] = total;
        }
        for (int i = 0; i < n; i++) {
            c[i] /= total;
        }
        return c;
    }

    public StoreSimulator(Config config) {
        this(config, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build(), Clock.systemUTC());
    }

    public Config config() {
        return config;
    }

    /** Runs the workers until the deadline (each finishes its scenario), then returns. */
    public void run(Instant deadline) throws InterruptedException {
        run(deadline, 1);
    }

    /**
     * Runs the workers at {@code rateFactor} times the configured rate (a busier or quieter day) until the
     * deadline; each finishes its scenario, so no cart spans two runs. The next run goes on with the same devices.
     */
    public void run(Instant deadline, double rateFactor) throws InterruptedException {
        if (!(rateFactor > 0) || Double.isInfinite(rateFactor)) {
            throw new IllegalArgumentException("the rate factor must be positive, got " + rateFactor);
        }
        pacer.rate(config.rate() * rateFactor);
        long deadlineNanos = System.nanoTime() + Math.max(0, Duration.between(clock.instant(), deadline).toNanos());
        List<Thread> threads = new ArrayList<>();
        for (Worker worker : workers) {
            threads.add(Thread.ofVirtual().name("sim-" + config.region() + "-" + worker.index)
                    .start(() -> worker.loop(deadlineNanos)));
        }
        try {
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            threads.forEach(Thread::interrupt);
            throw e;
        }
    }

    public Counters counters() {
        long total = 0;
        for (LongAdder a : events.values()) {
            total += a.sum();
        }
        return new Counters(total, requests.sum(), errorTotal.sum());
    }

    public Stats stats() {
        Map<EventKind, Long> kinds = new EnumMap<>(EventKind.class);
        events.forEach((k, v) -> kinds.put(k, v.sum()));
        Map<String, Long> errorCopy = new TreeMap<>();
        errors.forEach((k, v) -> errorCopy.put(k, v.sum()));
        Map<String, Histogram> histograms = new TreeMap<>();
        latencies.forEach((route, h) -> {
            synchronized (h) {
                histograms.put(route, h.copy());
            }
        });
        return new Stats(kinds, requests.sum(), outOfStock.sum(), errorCopy, histograms);
    }

    public Ledger ledger() {
        return ledger;
    }

    public static Histogram newHistogram() {
        return new Histogram(MAX_LATENCY_MICROS, 3);
    }

    // ------------------------------------------------------------------ one device loop

    private final class Worker {

        private final int index;
        private final Random random;
        private final Device device;
        private long carts;
        private long keys;

        Worker(int index) {
            this.index = index;
            this.random = new Random(config.seed() * 1_000_003L + index * 7919L + config.region().hashCode());
            this.device = config.devices().get(index % config.devices().size());
        }

        public void loop(long deadlineNanos) {
            try {
                while (!Thread.currentThread().isInterrupted() && pacer.acquire(deadlineNanos)) {
                    scenario();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** One scenario; its first request's slot is already taken. */
        private void scenario() throws InterruptedException {
            double roll = random.nextDouble();
            Mix mix = config.mix();
            if (roll < mix.stock()) {
                String sku = sku();
                count(EventKind.STOCK);
                exchange(ROUTE_STOCK, "GET", "/v1/stock/" + sku, null, false, true);
            } else if (roll < mix.stock() + mix.sale()) {
                sale();
            } else {
                cart();
            }
        }

        /** A loyalty member's customer id, or null for an anonymous buyer. */
        private String member() {
            if (random.nextDouble() >= config.mix().member()) {
                return null;
            }
            String code = config.region().toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "");
            return "M-" + config.runId() + "-" + code + "-" + random.nextInt(MEMBERS);
        }

        private void sale() throws InterruptedException {
            int count = 1 + random.nextInt(2);
            Map<String, Integer> lines = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                lines.merge(sku(), 1 + random.nextInt(2), Integer::sum);
            }
            ObjectNode body = JSON.createObjectNode();
            String customer = member();
            if (customer != null) {
                body.put("customerId", customer);
            }
            var array = body.putArray("lines");
            lines.forEach((sku, qty) -> array.addObject().put("sku", sku).put("qty", qty));
            count(EventKind.SALE);
            Answer answer = exchange(ROUTE_SALE, "POST", "/v1/sales", body.toString(), true, true);
            recordPurchase(answer);
        }

        private void cart() throws InterruptedException {
            Mix mix = config.mix();
            String clientId = "c-" + config.runId() + "-" + index + "-" + (++carts);
            String path = "/v1/transactions/" + clientId;
            int items = 1 + random.nextInt(3);
            Map<String, Integer> wanted = new LinkedHashMap<>();
            for (int i = 0; i < items; i++) {
                wanted.putIfAbsent(sku(), 1 + random.nextInt(2));
            }
            boolean removeOne = random.nextDouble() < mix.remove();
            double end = random.nextDouble();
            List<String> inCart = new ArrayList<>();
            boolean first = true;
            String customer = member();
            for (Map.Entry<String, Integer> line : wanted.entrySet()) {
                ObjectNode body = JSON.createObjectNode().put("sku", line.getKey()).put("qty", line.getValue());
                if (first && customer != null) {
                    body.put("customerId", customer);
                }
                count(EventKind.ADD);
                Answer answer = exchange(ROUTE_ADD, "POST", path + "/items", body.toString(), true, first);
                first = false;
                if (answer.ok()) {
                    inCart.add(line.getKey());
                    continue;
                }
                String alternative = offered(answer);
                if (alternative != null && !inCart.contains(alternative)
                        && random.nextDouble() < mix.alternative()) {
                    ObjectNode instead = JSON.createObjectNode().put("sku", alternative).put("qty", 1)
                            .put("alternativeFor", line.getKey());
                    count(EventKind.ADD);
                    if (exchange(ROUTE_ADD, "POST", path + "/items", instead.toString(), true, false).ok()) {
                        inCart.add(alternative);
                    }
                }
            }
            if (removeOne && inCart.size() >= 2) {
                String sku = inCart.getLast();
                count(EventKind.REMOVE);
                if (exchange(ROUTE_REMOVE, "DELETE", path + "/items/" + sku, null, true, false).ok()) {
                    inCart.removeLast();
                }
            }
            if (inCart.isEmpty()) {
                return; // nothing reserved: every add was out of stock or failed
            }
            if (end < mix.abandon()) {
                count(EventKind.ABANDON); // left open: the sweeper expires it and releases the stock
            } else if (end < mix.abandon() + mix.cancel()) {
                count(EventKind.CANCEL);
                exchange(ROUTE_CANCEL, "POST", path + "/cancel", null, true, false);
            } else {
                count(EventKind.CHECKOUT);
                recordPurchase(exchange(ROUTE_CHECKOUT, "POST", path + "/checkout", null, true, false));
            }
        }

        /** A sku by {@link #cumulative}: popular ones and the region's favourite categories more often. */
        private String sku() {
            int i = java.util.Arrays.binarySearch(cumulative, random.nextDouble());
            int index = i >= 0 ? i + 1 : -i - 1;
            return config.skus().get(Math.min(config.skus().size() - 1, index));
        }

        /**
         * One logical request as a device sends it: with an Idempotency-Key when mutating, again with the same key
         * after a simulated or real timeout, and sometimes twice. Returns the answer the device acts on.
         *
         * @param slotTaken whether the pacer slot of the first send is already taken
         */
        private Answer exchange(String route, String method, String path, String body, boolean mutating,
                                boolean slotTaken) throws InterruptedException {
            String key = mutating ? "k-" + config.runId() + "-" + index + "-" + (++keys) : null;
            boolean loseFirst = mutating && random.nextDouble() < config.mix().retry();
            boolean duplicate = mutating && random.nextDouble() < config.mix().duplicate();
            if (!slotTaken) {
                pacer.acquire(Long.MAX_VALUE);
            }
            Answer answer = send(route, method, path, body, key);
            int ioRetries = 0;
            while (mutating && (loseFirst || (answer.io() && ioRetries < IO_RETRIES))) {
                if (!loseFirst) {
                    ioRetries++;
                }
                loseFirst = false;
                count(EventKind.RETRY);
                Thread.sleep(config.retryBackoff());
                pacer.acquire(Long.MAX_VALUE);
                answer = send(route, method, path, body, key);
            }
            for (int conflicts = 0; mutating && conflicts < CONFLICT_RETRIES && concurrentModification(answer);
                 conflicts++) {
                count(EventKind.RETRY);
                Thread.sleep(random.nextLong(1, 2 + config.retryBackoff().toMillis() * (1L << conflicts)));
                pacer.acquire(Long.MAX_VALUE);
                answer = send(route, method, path, body, key);
            }
            if (duplicate) {
                count(EventKind.DUPLICATE);
                pacer.acquire(Long.MAX_VALUE);
                Answer second = send(route, method, path, body, key);
                if (!answer.ok() && second.ok()) {
                    answer = second;
                }
            }
            return answer;
        }

        private Answer send(String route, String method, String path, String body, String key) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                    .timeout(config.requestTimeout())
                    .header("Authorization", device.authorization())
                    .header("Accept", "application/json");
            if (key != null) {
                request.header("Idempotency-Key", key);
            }
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            requests.increment();
            long start = System.nanoTime();
            Answer answer;
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                answer = new Answer(response.statusCode(), response.body());
            } catch (IOException e) {
                answer = new Answer(-1, "io " + e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer = new Answer(-1, "io interrupted");
            }
            recordLatency(route, System.nanoTime() - start);
            classify(answer);
            return answer;
        }
    }

    private URI uri(String path) {
        String base = config.baseUri().toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    private void count(EventKind kind) {
        events.get(kind).increment();
    }

    private void recordLatency(String route, long nanos) {
        Histogram h = latencies.computeIfAbsent(route, r -> newHistogram());
        long micros = Math.max(1, Math.min(MAX_LATENCY_MICROS, TimeUnit.NANOSECONDS.toMicros(nanos)));
        synchronized (h) {
            h.recordValue(micros);
        }
    }

    private void classify(Answer answer) {
        if (answer.ok()) {
            return;
        }
        String kind = errorKind(answer);
        if (kind == null) {
            outOfStock.increment();
            return;
        }
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
        errorTotal.increment();
    }

    /** The first alternative an out-of-stock answer offers; null for any other answer or none offered. */
    static String offered(Answer answer) {
        if (answer.io() || answer.status() != 409 || answer.body() == null) {
            return null;
        }
        try {
            JsonNode problem = JSON.readTree(answer.body());
            JsonNode first = problem.path("alternatives").path(0).path("sku");
            return problem.path("type").asText("").endsWith("/out-of-stock") && first.isTextual() ? first.asText()
                    : null;
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    static boolean concurrentModification(Answer answer) {
        return !answer.io() && answer.status() == 409 && "concurrent-modification".equals(problemType(answer.body()));
    }

    /** {@code null} for an out-of-stock answer (a normal outcome), else the error's kind. */
    public static String errorKind(Answer answer) {
        if (answer.io()) {
            return answer.body();
        }
        String problem = problemType(answer.body());
        if (answer.status() == 409 && "out-of-stock".equals(problem)) {
            return null;
        }
        String statusClass = answer.status() / 100 + "xx";
        return problem == null ? statusClass + " " + answer.status() : statusClass + " " + problem;
    }

    /** The last segment of a problem's {@code type}, e.g. {@code out-of-stock}; null when there is none. */
    public static String problemType(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode type = JSON.readTree(body).path("type");
            if (!type.isTextual()) {
                return null;
            }
            String text = type.asText();
            return text.substring(text.lastIndexOf('/') + 1);
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    private void recordPurchase(Answer answer) {
        if (!answer.ok()) {
            return;
        }
        try {
            JsonNode purchase = JSON.readTree(answer.body());
            String id = purchase.path("purchaseId").asText("");
            List<Ledger.Line> lines = new ArrayList<>();
            for (JsonNode line : purchase.path("lines")) {
                lines.add(new Ledger.Line(line.path("sku").asText(), line.path("qty").asLong()));
            }
            if (!id.isEmpty() && !lines.isEmpty()) {
                ledger.record(id, lines);
            }
        } catch (IOException | RuntimeException notJson) {
            errors.computeIfAbsent("2xx unreadable purchase", k -> new LongAdder()).increment();
            errorTotal.increment();
        }
    }

    /** An HTTP answer, or status -1 with the IO failure's kind as body. */
    public record Answer(int status, String body) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public boolean io() {
            return status < 0;
        }
    }

    /** Hands out send slots at a fixed rate, shared by the workers of a region. */
    public static final class Pacer {

        private long intervalNanos;
        private long next;

        Pacer(double rate) {
            rate(rate);
            this.next = System.nanoTime();
        }

        /** Slots from now on at {@code rate} per second; 0 = no pacing. */
        synchronized void rate(double rate) {
            this.intervalNanos = rate <= 0 ? 0 : (long) (1_000_000_000L / rate);
        }

        /**
         * Waits for the next slot. Returns false without waiting when that slot is at or after
         * {@code deadlineNanos} (a {@link System#nanoTime()} value); the slot is then not taken.
         */
        public boolean acquire(long deadlineNanos) throws InterruptedException {
            long at;
            synchronized (this) {
                long now = System.nanoTime();
                at = Math.max(next, now);
                if (deadlineNanos != Long.MAX_VALUE && at - deadlineNanos >= 0) {
                    return false;
                }
                next = at + intervalNanos;
            }
            long wait = at - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            return true;
        }
    }
}
