package com.edgeinventory.benchmarks;

import com.edgeinventory.cli.demo.Catalog;
import com.edgeinventory.cli.demo.WarehouseSimulator;
import com.edgeinventory.local.system.LocalSystem;
import com.edgeinventory.local.system.Progress;
import com.edgeinventory.local.system.RegionStack;
import com.edgeinventory.local.system.SampleUploads;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Benchmark (not a test) of the whole local stack ({@link LocalSystem}: moto, two edges, central, every trigger
 * wired): how many one-shot purchases per second it sustains and where the CPU goes, and how long a purchase takes
 * to show in the central aggregate. Run by {@code benchmarks/local-stack/run.sh}; see docs/benchmarks.md.
 *
 * <p>Throughput: open-loop {@code POST /v1/sales} (one line, qty 1, a fresh Idempotency-Key each) spread evenly over
 * both edges at each offered rate for {@code stepSeconds}; latency from the request's scheduled start (so a queue
 * in front of the stack counts). CPU per step from {@link ProcessHandle} of moto, of the function runtime JVMs and of
 * this JVM, plus the machine's total from /proc/stat (the rest is other processes). Freshness: with a background
 * load, one probe per edge sells 1 unit of a sku nobody else sells and polls the central analytics API until that
 * edge's {@code sold} shows it.
 *
 * <p>System properties: {@code rates} (5,10,20,40), {@code stepSeconds} (30), {@code freshRate} (4),
 * {@code samples} (120, both edges together), {@code pollMillis} (20), {@code seed}, {@code work} (log directory).
 */
final class LocalStackBenchmark {

    private static final String CENTRAL = "us-east-2";
    private static final List<String> EDGES = List.of("eu-west-1", "us-east-1");
    private static final int PRODUCTS = 10;
    private static final long BOOST = 500_000;
    private static final String MOTO_MARK = "serialized_moto_server";
    private static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicLong keys = new AtomicLong();
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final LogCounter logCounter;
    private final LocalSystem system;
    private final List<Edge> edges = new ArrayList<>();
    private String probeSku;

    private record Edge(String region, URI retailApi, List<String> authorizations, List<String> skus) {
    }

    private LocalStackBenchmark(LocalSystem system, LogCounter logCounter) {
        this.system = system;
        this.logCounter = logCounter;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("repo.root", ".")).toAbsolutePath().normalize();
        Path work = Path.of(System.getProperty("work", "/tmp/local-stack-bench"));
        Files.createDirectories(work);
        double[] rates = Arrays.stream(System.getProperty("rates", "5,10,20,40").split(","))
                .mapToDouble(s -> Double.parseDouble(s.trim())).toArray();
        Duration step = Duration.ofSeconds(Long.getLong("stepSeconds", 30));
        double freshRate = Double.parseDouble(System.getProperty("freshRate", "4"));
        int samples = Integer.getInteger("samples", 120);
        long pollMillis = Long.getLong("pollMillis", 20);
        long seed = Long.getLong("seed", 20261127L);

        Path logFile = work.resolve("stack.log");
        LogCounter counter = new LogCounter(Files.newOutputStream(logFile));
        PrintStream log = new PrintStream(counter, true, StandardCharsets.UTF_8);
        LocalSystem.Options options = new LocalSystem.Options(root.resolve("template.yaml"), CENTRAL, EDGES,
                Optional.empty(), 0, Optional.empty(), Duration.ofMinutes(1));
        say("load before start: " + loadAverage() + ", " + CORES + " cores; stack log " + logFile);
        int status;
        try (LocalSystem system = LocalSystem.start(options, Progress.to(log))) {
            LocalStackBenchmark bench = new LocalStackBenchmark(system, counter);
            bench.setUp(seed);
            status = bench.run(rates, step, freshRate, samples, pollMillis);
        }
        System.exit(status);
    }

    // ------------------------------------------------------------------ set-up

    private void setUp(long seed) throws InterruptedException {
        long t0 = System.nanoTime();
        for (String region : EDGES) {
            var stack = system.edge(region);
            String bucket = stack.stack().resources().physicalId(SampleUploads.BUCKET);
            Catalog catalog = Catalog.generate(region, PRODUCTS, 0, seed);
            new WarehouseSimulator(stack.stack().clients().s3(), bucket, catalog).uploadProducts();
            // The generated stock (5-65 a sku) would sell out in seconds: one restock file adds plenty.
            List<Catalog.StockLine> lines = catalog.skus().stream()
                    .map(sku -> new Catalog.StockLine(sku, (int) BOOST, "restock")).toList();
            Catalog.RestockFile boost = new Catalog.RestockFile(catalog.products().getFirst().warehouseId(),
                    "bench-" + runId, lines);
            stack.stack().clients().s3().putObject(b -> b.bucket(bucket).key(boost.key())
                    .contentType("application/x-ndjson"), RequestBody.fromBytes(boost.jsonl()));
            List<String> skus = catalog.skus();
            probeSku = skus.getLast();
            String code = region.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
            List<String> auth = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                String device = "BENCH-" + runId + "-" + code + "-" + i;
                auth.add(system.addDevice(region, "STORE-" + code + "-" + ((i - 1) % 2 + 1), device));
            }
            edges.add(new Edge(region, system.httpApi(region, LocalSystem.RETAIL_API), auth,
                    skus.subList(0, skus.size() - 1)));
        }
        boolean idle = system.awaitIdle(Duration.ofMinutes(3));
        say(String.format(Locale.ROOT, "catalog: %d products + images + a restock file per edge, processed in %.1f s%s",
                PRODUCTS, (System.nanoTime() - t0) / 1e9, idle ? "" : " (NOT idle after 3 min)"));
        // Warm every function the load touches (runtime JVM start, JIT, SDK clients), not measured.
        Load warm = new Load(5);
        warm.runFor(Duration.ofSeconds(10));
        system.awaitIdle(Duration.ofMinutes(2));
        say("warm-up: " + warm.ok.sum() + " purchases, errors " + warm.errors);
    }

    // ------------------------------------------------------------------ the run

    private int run(double[] rates, Duration step, double freshRate, int samples, long pollMillis)
            throws InterruptedException {
        List<StepResult> steps = new ArrayList<>();
        for (double rate : rates) {
            steps.add(throughputStep(rate, step));
        }
        long t = System.nanoTime();
        boolean idle = system.awaitIdle(Duration.ofMinutes(5));
        say(String.format(Locale.ROOT, "backlog before the freshness run: %s after %.0f s",
                idle ? "idle" : "NOT idle", (System.nanoTime() - t) / 1e9));
        Freshness fresh = freshness(freshRate, samples, pollMillis);
        printThroughput(steps, step);
        printFreshness(fresh, freshRate, pollMillis);
        say("load after run: " + loadAverage());
        return fresh.errors.isEmpty() && fresh.load.errors.isEmpty() ? 0 : 1;
    }

    private record StepResult(double offered, long sent, long ok, long errors, Map<String, Long> errorKinds,
                              double achieved, Histogram latency, CpuDelta cpu, double drainSeconds,
                              Map<String, Long> invocations) {
    }

    private StepResult throughputStep(double rate, Duration step) throws InterruptedException {
        say(String.format(Locale.ROOT, "throughput: %.0f purchases/s for %d s (load %s)", rate, step.toSeconds(),
                loadAverage()));
        Map<String, Long> logsBefore = logCounter.snapshot();
        CpuSample before = CpuSample.take();
        Load load = new Load(rate);
        long start = System.nanoTime();
        load.runFor(step);
        double elapsed = (load.lastDone.get() - start) / 1e9;
        CpuSample after = CpuSample.take();
        Map<String, Long> invocations = LogCounter.diff(logsBefore, logCounter.snapshot());
        long t = System.nanoTime();
        boolean idle = system.awaitIdle(Duration.ofSeconds(Long.getLong("drainSeconds", 60)));
        double drain = idle ? (System.nanoTime() - t) / 1e9 : Double.NaN;
        long ok = load.ok.sum();
        StepResult r = new StepResult(rate, load.sent.sum(), ok, load.errorCount(), load.errorKinds(),
                ok / Math.max(elapsed, step.toNanos() / 1e9), load.latency, CpuDelta.between(before, after), drain,
                invocations);
        say(String.format(Locale.ROOT, "  achieved %.1f/s, p50 %d ms, p99 %d ms, errors %d, pipeline idle %.1f s later",
                r.achieved(), ms(r.latency(), 50), ms(r.latency(), 99), r.errors(), r.drainSeconds()));
        return r;
    }

    // ------------------------------------------------------------------ open-loop sales

    /** Open-loop one-shot sales at a fixed total rate, alternating edges; at most 256 in flight. */
    private final class Load {

        final double rate;
        final Semaphore inFlight = new Semaphore(256);
        final LongAdder sent = new LongAdder();
        final LongAdder ok = new LongAdder();
        final LongAdder dropped = new LongAdder();
        final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        final Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        final AtomicLong lastDone = new AtomicLong(System.nanoTime());

        Load(double rate) {
            this.rate = rate;
        }

        void runFor(Duration duration) throws InterruptedException {
            AtomicBoolean stop = new AtomicBoolean();
            Thread t = Thread.ofPlatform().name("bench-load").start(() -> generate(stop));
            Thread.sleep(duration);
            stop.set(true);
            t.join();
            finish();
        }

        void generate(AtomicBoolean stop) {
            long interval = (long) (1e9 / rate);
            long start = System.nanoTime();
            for (long i = 0; !stop.get(); i++) {
                long at = start + i * interval;
                long wait = at - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (stop.get()) {
                    return;
                }
                Edge edge = edges.get((int) (i % edges.size()));
                if (!inFlight.tryAcquire()) {
                    dropped.increment();
                    errors.computeIfAbsent("not sent: 256 in flight", k -> new LongAdder()).increment();
                    continue;
                }
                sent.increment();
                String sku = edge.skus().get(ThreadLocalRandom.current().nextInt(edge.skus().size()));
                Thread.ofVirtual().start(() -> {
                    try {
                        Sale s = sell(edge, sku, at);
                        if (s.ok()) {
                            ok.increment();
                        } else {
                            errors.computeIfAbsent(s.error(), k -> new LongAdder()).increment();
                        }
                        synchronized (latency) {
                            latency.recordValue(Math.max(1, Math.min(latency.getHighestTrackableValue(),
                                    (System.nanoTime() - at) / 1000)));
                        }
                        lastDone.accumulateAndGet(System.nanoTime(), Math::max);
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }

        /** Waits for the requests in flight (at most 2 min). */
        void finish() throws InterruptedException {
            if (inFlight.tryAcquire(256, 2, TimeUnit.MINUTES)) {
                inFlight.release(256);
            }
        }

        long errorCount() {
            return errors.values().stream().mapToLong(LongAdder::sum).sum();
        }

        Map<String, Long> errorKinds() {
            Map<String, Long> m = new TreeMap<>();
            errors.forEach((k, v) -> m.put(k, v.sum()));
            return m;
        }
    }

    private record Sale(boolean ok, String error, long ackNanos) {
    }

    /** {@code POST /v1/sales}, one line of qty 1. */
    private Sale sell(Edge edge, String sku, long scheduled) {
        long n = keys.incrementAndGet();
        String body = "{\"lines\":[{\"sku\":\"" + sku + "\",\"qty\":1}]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(edge.retailApi().toString().replaceAll("/$", "")
                        + "/v1/sales"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", edge.authorizations().get((int) (n % edge.authorizations().size())))
                .header("Idempotency-Key", "bench-" + runId + "-" + n)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long ack = System.nanoTime();
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Sale(true, null, ack);
            }
            String type = "";
            try {
                String t = JSON.readTree(response.body()).path("type").asText("");
                type = t.isEmpty() ? "" : " " + t.substring(t.lastIndexOf('/') + 1);
            } catch (IOException | RuntimeException notJson) {
                // status alone
            }
            return new Sale(false, status + type, ack);
        } catch (IOException e) {
            return new Sale(false, "io " + e.getClass().getSimpleName(), System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sale(false, "interrupted", System.nanoTime());
        }
    }

    // ------------------------------------------------------------------ freshness

    private static final class Freshness {
        final Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        final Histogram query = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        final Map<String, Histogram> byRegion = new ConcurrentHashMap<>();
        final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        Load load;
        CpuDelta cpu;
        double seconds;
    }

    private Freshness freshness(double rate, int samples, long pollMillis) throws InterruptedException {
        say(String.format(Locale.ROOT, "freshness: %d probes with %.0f purchases/s in the background (load %s)",
                samples, rate, loadAverage()));
        Freshness f = new Freshness();
        f.load = new Load(rate);
        AtomicBoolean stop = new AtomicBoolean();
        CpuSample before = CpuSample.take();
        long start = System.nanoTime();
        Thread background = Thread.ofPlatform().name("bench-background").start(() -> f.load.generate(stop));
        Thread.sleep(3000); // let the pipeline reach its steady state under the load
        List<Thread> probes = new ArrayList<>();
        int perEdge = (samples + edges.size() - 1) / edges.size();
        for (Edge edge : edges) {
            probes.add(Thread.ofPlatform().name("bench-probe-" + edge.region())
                    .start(() -> probe(edge, perEdge, pollMillis, f)));
        }
        for (Thread p : probes) {
            p.join();
        }
        stop.set(true);
        background.join();
        f.load.finish();
        f.seconds = (System.nanoTime() - start) / 1e9;
        f.cpu = CpuDelta.between(before, CpuSample.take());
        system.awaitIdle(Duration.ofMinutes(2));
        return f;
    }

    private void probe(Edge edge, int count, long pollMillis, Freshness f) {
        long stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("freshMaxSeconds", 300));
        Histogram mine = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        f.byRegion.put(edge.region(), mine);
        try {
            long sold = centralSold(edge.region(), f);
            for (int i = 0; i < count; i++) {
                if (System.nanoTime() > stopAt) {
                    f.errors.add(edge.region() + ": stopped after " + i + " probes (freshMaxSeconds)");
                    break;
                }
                Sale s = sell(edge, probeSku, System.nanoTime());
                if (!s.ok()) {
                    f.errors.add(edge.region() + " probe sale: " + s.error());
                    Thread.sleep(500);
                    continue;
                }
                long expected = sold + 1;
                long deadline = s.ackNanos() + TimeUnit.SECONDS.toNanos(60);
                while (true) {
                    long seen = centralSold(edge.region(), f);
                    long now = System.nanoTime();
                    if (seen >= expected) {
                        long micros = Math.max(1, (now - s.ackNanos()) / 1000);
                        synchronized (f.latency) {
                            f.latency.recordValue(micros);
                        }
                        mine.recordValue(micros);
                        if (seen > expected) {
                            f.errors.add(edge.region() + " central sold " + seen + ", expected " + expected);
                        }
                        sold = seen;
                        break;
                    }
                    if (now > deadline) {
                        f.errors.add(edge.region() + " probe " + i + " not visible after 60 s");
                        sold = expected; // it will arrive; the next probe expects one more
                        break;
                    }
                    Thread.sleep(pollMillis);
                }
                // a random gap, so probes do not lock step with the pollers' cycles
                Thread.sleep(100 + ThreadLocalRandom.current().nextInt(400));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            f.errors.add(edge.region() + " probe failed: " + e);
        }
    }

    /** The edge's {@code sold} for the probe sku in the central aggregate, via the analytics HTTP API; 0 if none. */
    private long centralSold(String region, Freshness f) throws InterruptedException {
        URI base = system.httpApi(CENTRAL, LocalSystem.ANALYTICS_API);
        String date = LocalDate.now(ZoneOffset.UTC).toString().replace("-", "");
        HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "")
                        + "/analytics/availability/" + probeSku))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDBENCH/" + date + "/" + CENTRAL
                        + "/execute-api/aws4_request, SignedHeaders=host, Signature=00")
                .GET().build();
        long t = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            synchronized (f.query) {
                f.query.recordValue(Math.max(1, (System.nanoTime() - t) / 1000));
            }
            if (response.statusCode() == 404) {
                return 0;
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("analytics answered " + response.statusCode() + ": "
                        + response.body());
            }
            for (JsonNode item : JSON.readTree(response.body()).path("items")) {
                if (item.path("region").asText().equals(region)) {
                    return item.path("sold").asLong();
                }
            }
            return 0;
        } catch (IOException e) {
            throw new IllegalStateException("analytics query failed: " + e, e);
        }
    }

    // ------------------------------------------------------------------ report

    private void printThroughput(List<StepResult> steps, Duration step) {
        System.out.println();
        System.out.printf(Locale.ROOT, "Throughput: one-shot sales (1 line, qty 1), open loop, both edges, %d s a step%n",
                step.toSeconds());
        System.out.println("| offered /s | sent | achieved ok /s | p50 ms | p90 ms | p99 ms | max ms | errors "
                + "| pipeline idle after, s | moto | functions | this JVM | others | idle |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|");
        for (StepResult r : steps) {
            CpuDelta c = r.cpu();
            System.out.printf(Locale.ROOT, "| %.0f | %d | %.1f | %d | %d | %d | %d | %s | %.1f | %s | %s | %s | %s | %s |%n",
                    r.offered(), r.sent(), r.achieved(), ms(r.latency(), 50), ms(r.latency(), 90),
                    ms(r.latency(), 99), r.latency().getMaxValue() / 1000,
                    r.errors() == 0 ? "0" : r.errors() + " " + r.errorKinds(), r.drainSeconds(),
                    c.share(c.moto()), c.share(c.functions()), c.share(c.self()), c.share(c.others()),
                    c.share(c.idle()));
        }
        System.out.println();
        System.out.println("CPU shares are of " + CORES + " cores x the step's wall time (load start until the last "
                + "answer); 'others' = the machine's busy time (/proc/stat) minus moto, functions and this JVM.");
        for (StepResult r : steps) {
            CpuDelta c = r.cpu();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                    "%.0f/s: wall %.1f s; cpu s: moto %.1f, this JVM %.1f, functions %.1f =", r.offered(), c.wall(),
                    c.moto(), c.self(), c.functions()));
            c.byHandler().forEach((h, s) -> line.append(String.format(Locale.ROOT, " %s %.1f", h, s)));
            line.append(String.format(Locale.ROOT, "; others %.1f; per purchase: moto %.1f ms, functions %.1f ms,"
                            + " this JVM %.1f ms", c.others(), 1000 * c.moto() / Math.max(1, r.ok()),
                    1000 * c.functions() / Math.max(1, r.ok()), 1000 * c.self() / Math.max(1, r.ok())));
            System.out.println(line);
            System.out.println("   invocations: " + r.invocations());
        }
    }

    private void printFreshness(Freshness f, double rate, long pollMillis) {
        System.out.println();
        System.out.printf(Locale.ROOT, "Freshness: purchase acknowledged -> the edge's 'sold' in the central analytics "
                + "API, %d probes, %.0f purchases/s background (achieved %.1f/s, errors %d), polling every "
                + "%d ms + query time (query p50 %d ms, p99 %d ms)%n", f.latency.getTotalCount(), rate,
                f.load.ok.sum() / f.seconds, f.load.errorCount(), pollMillis, ms(f.query, 50), ms(f.query, 99));
        System.out.println("| probes | samples | p50 ms | p90 ms | p99 ms | max ms | target p99 < 2000 ms |");
        System.out.println("|---|---:|---:|---:|---:|---:|---|");
        f.byRegion.forEach((region, h) -> System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | |%n",
                region, h.getTotalCount(), ms(h, 50), ms(h, 90), ms(h, 99), h.getMaxValue() / 1000));
        System.out.printf(Locale.ROOT, "| **all** | %d | %d | %d | %d | %d | %s |%n", f.latency.getTotalCount(),
                ms(f.latency, 50), ms(f.latency, 90), ms(f.latency, 99), f.latency.getMaxValue() / 1000,
                f.latency.getTotalCount() < 100 ? "no verdict (< 100 samples)"
                        : ms(f.latency, 99) < 2000 ? "met" : "missed");
        CpuDelta c = f.cpu;
        System.out.printf(Locale.ROOT, "CPU during the freshness run (%.0f s): moto %s, functions %s, this JVM %s, "
                + "others %s, idle %s%n", c.wall(), c.share(c.moto()), c.share(c.functions()), c.share(c.self()),
                c.share(c.others()), c.share(c.idle()));
        if (!f.errors.isEmpty() || f.load.errorCount() > 0) {
            System.out.println("ERRORS: " + f.errors + " background " + f.load.errorKinds());
        }
    }

    private static long ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(percentile) / 1000;
    }

    private static void say(String line) {
        System.err.println("[bench] " + line);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return "load average " + f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "load average unknown";
        }
    }

    // ------------------------------------------------------------------ CPU accounting

    /** CPU time so far: this JVM, moto, each function runtime JVM (by pid, with its handler), the machine. */
    private record CpuSample(long wallNanos, long selfNanos, Map<Long, Long> motoByPid, Map<Long, Long> fnByPid,
                             Map<Long, String> handlers, long machineBusy, long machineTotal) {

        static CpuSample take() {
            Map<Long, Long> moto = new TreeMap<>();
            Map<Long, Long> fn = new TreeMap<>();
            Map<Long, String> handlers = new TreeMap<>();
            ProcessHandle.current().descendants().forEach(p -> {
                ProcessHandle.Info info = p.info();
                String cmd = info.commandLine().orElse("") + " "
                        + String.join(" ", info.arguments().orElse(new String[0]));
                long cpu = info.totalCpuDuration().map(Duration::toNanos).orElse(0L);
                if (cmd.contains(MOTO_MARK)) {
                    moto.put(p.pid(), cpu);
                } else if (cmd.contains(RIC_MAIN)) {
                    fn.put(p.pid(), cpu);
                    String[] parts = cmd.trim().split("\\s+");
                    String handler = parts[parts.length - 1].replaceAll("::.*", ""); // pkg.Class::method
                    handlers.put(p.pid(), handler.substring(handler.lastIndexOf('.') + 1));
                }
            });
            long self = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            long busy = 0;
            long total = 0;
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
                long[] v = Arrays.stream(f, 1, Math.min(f.length, 9)).mapToLong(Long::parseLong).toArray();
                // user nice system idle iowait irq softirq steal
                busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
                total = busy + v[3] + v[4];
            } catch (IOException | RuntimeException e) {
                // machine totals unknown
            }
            return new CpuSample(System.nanoTime(), self, moto, fn, handlers, busy, total);
        }
    }

    /** CPU seconds over a window. Processes that exited inside the window are missed (none should). */
    private record CpuDelta(double wall, double self, double moto, double functions, Map<String, Double> byHandler,
                            double machineBusy) {

        static CpuDelta between(CpuSample a, CpuSample b) {
            double wall = (b.wallNanos() - a.wallNanos()) / 1e9;
            double moto = delta(a.motoByPid(), b.motoByPid());
            Map<String, Double> byHandler = new TreeMap<>();
            double functions = 0;
            for (var e : b.fnByPid().entrySet()) {
                double d = (e.getValue() - a.fnByPid().getOrDefault(e.getKey(), 0L)) / 1e9;
                functions += d;
                byHandler.merge(b.handlers().get(e.getKey()), d, Double::sum);
            }
            byHandler.replaceAll((k, v) -> Math.round(v * 10) / 10.0);
            double busyShare = b.machineTotal() > a.machineTotal()
                    ? (double) (b.machineBusy() - a.machineBusy()) / (b.machineTotal() - a.machineTotal()) : 0;
            return new CpuDelta(wall, (b.selfNanos() - a.selfNanos()) / 1e9, moto, functions, byHandler,
                    busyShare * CORES * wall);
        }

        private static double delta(Map<Long, Long> a, Map<Long, Long> b) {
            double sum = 0;
            for (var e : b.entrySet()) {
                sum += (e.getValue() - a.getOrDefault(e.getKey(), 0L)) / 1e9;
            }
            return sum;
        }

        double others() {
            return Math.max(0, machineBusy - moto - functions - self);
        }

        double idle() {
            return Math.max(0, CORES * wall - machineBusy);
        }

        String share(double cpuSeconds) {
            return String.format(Locale.ROOT, "%.0f %%", 100 * cpuSeconds / (CORES * wall));
        }
    }

    // ------------------------------------------------------------------ invocation counts from the stack's log

    /**
     * Receives the stack's progress lines and function logs (written through to a file) and counts the request log
     * lines of the HTTP APIs ({@code region Api METHOD path -> status Function ms}) and the mappings' batch lines
     * ({@code region Function/Event shard N records ms outcome}), per function.
     */
    private static final class LogCounter extends OutputStream {

        private static final Pattern API = Pattern.compile(
                "^\\[edge-inventory] (\\S+) \\S+Api (?:GET|POST|PUT|DELETE|PATCH) \\S+ -> \\d+ (\\S+) \\d+ ms");
        private static final Pattern BATCH = Pattern.compile(
                "^\\[edge-inventory] (\\S+) (\\w+)/\\w+ \\S+ (\\d+) records? (?:\\(attempt \\d+\\) )?(\\d+) ms");
        private final OutputStream file;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

        LogCounter(OutputStream file) {
            this.file = file;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            file.write(b);
            if (b == '\n') {
                count(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else if (line.size() < 4096) {
                line.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            file.flush();
        }

        private void count(String text) {
            Matcher api = API.matcher(text);
            if (api.find()) {
                counts.computeIfAbsent(api.group(2) + " (API)", k -> new LongAdder()).increment();
                return;
            }
            Matcher batch = BATCH.matcher(text);
            if (batch.find()) {
                counts.computeIfAbsent(batch.group(2) + " batches", k -> new LongAdder()).increment();
                counts.computeIfAbsent(batch.group(2) + " records", k -> new LongAdder())
                        .add(Long.parseLong(batch.group(3)));
                counts.computeIfAbsent(batch.group(2) + " batch ms", k -> new LongAdder())
                        .add(Long.parseLong(batch.group(4)));
            }
        }

        Map<String, Long> snapshot() {
            Map<String, Long> m = new TreeMap<>();
            counts.forEach((k, v) -> m.put(k, v.sum()));
            return m;
        }

        static Map<String, Long> diff(Map<String, Long> before, Map<String, Long> after) {
            Map<String, Long> m = new TreeMap<>();
            after.forEach((k, v) -> {
                long d = v - before.getOrDefault(k, 0L);
                if (d > 0) {
                    m.put(k, d);
                }
            });
            return m;
        }
    }
}
