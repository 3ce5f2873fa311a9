package com.edgeinventory.retail.handler;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.edgeinventory.inventory.store.InventoryTable;
import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.moto.MotoServer;
import com.edgeinventory.local.provision.StackResources;
import com.edgeinventory.model.Money;
import com.edgeinventory.model.Product;
import com.edgeinventory.model.Sequencer;
import com.edgeinventory.retail.adapter.CustomersTable;
import com.edgeinventory.retail.adapter.DynamoRetailStore;
import com.edgeinventory.retail.adapter.IdempotencyStore;
import com.edgeinventory.retail.adapter.PurchasesTable;
import com.edgeinventory.retail.adapter.StateTable;
import com.edgeinventory.retail.service.TransactionService;
import com.edgeinventory.testing.LocalAws;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * moto's cost per purchase as the purchases pile up (a benchmark, not a test; run by
 * {@code benchmarks/moto-transactions/run.sh}). For each variant of the moto wrapper ({@code serialized_moto_server.py}:
 * "before" and "after", one after the other in this JVM) it starts moto with that script exactly as
 * {@link MotoServer} does (the python3 beside moto_server, {@code -H 127.0.0.1 -p PORT}), provisions template.yaml,
 * seeds SKUS products, then sells PURCHASES one-shot sales in batches of BATCH: {@code POST /v1/sales}, one line,
 * qty 1, a new Idempotency-Key each, through the production {@link TransactionHandler} → {@link TransactionService}
 * → adapters, wired as the Lambda constructor wires them (no request counter). Warm price cache: each sale is one
 * TransactWriteItems (product level update, purchase put, idempotency record put). After each batch: seconds, moto's
 * VmRSS (process and descendants, /proc/PID/status) and moto's CPU seconds.
 *
 * <p>A variant stops early (rest of its table "-") when a batch takes more than MAX_BATCH_SECONDS or moto's RSS passes
 * MAX_RSS_MB (checked every 100 purchases), so the old wrapper cannot take the machine down.
 *
 * <p>System properties: variants ("name=path,name=path"), purchases, batch, skus, warmup, maxBatchSeconds, maxRssMb,
 * work (log directory), repo.root.
 */
public final class MotoTransactionsBenchmark {

    private static final String REGION = "eu-west-1";
    private static final String STORE = "STORE-MUC-01";

    record Batch(int purchases, double seconds, long rssMb, double motoCpuSeconds, double jvmCpuSeconds, String load,
                 String note) {}

    record Variant(String name, Path script, List<Batch> batches, long startRssMb) {}

    public static void main(String[] args) throws Exception {
        int purchases = Integer.getInteger("purchases", 10_000);
        int batch = Integer.getInteger("batch", 1_000);
        int skus = Integer.getInteger("skus", 10);
        int warmup = Integer.getInteger("warmup", 50);
        double maxBatchSeconds = Double.parseDouble(System.getProperty("maxBatchSeconds", "180"));
        long maxRssMb = Long.getLong("maxRssMb", 4_000);
        Path work = Path.of(System.getProperty("work", "/tmp/moto-transactions-bench"));
        Path repoRoot = Path.of(System.getProperty("repo.root", "."));
        Files.createDirectories(work);

        List<Variant> results = new ArrayList<>();
        for (String spec : System.getProperty("variants").split(",")) {
            String[] parts = spec.split("=", 2);
            results.add(run(parts[0], Path.of(parts[1]), repoRoot, work, purchases, batch, skus, warmup,
                    maxBatchSeconds, maxRssMb));
        }
        print(results, purchases, batch);
    }

    private static Variant run(String name, Path script, Path repoRoot, Path work, int purchases, int batchSize,
                               int skus, int warmup, double maxBatchSeconds, long maxRssMb) throws Exception {
        int port = freePort();
        Path python = MotoServer.findExecutable().resolveSibling("python3");
        Process moto = new ProcessBuilder(python.toString(), script.toString(), "-H", "127.0.0.1", "-p",
                String.valueOf(port)).redirectErrorStream(true)
                .redirectOutput(work.resolve("moto-" + name + ".log").toFile()).start();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        List<Batch> batches = new ArrayList<>();
        try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(AwsClients.credentials()).httpClient(UrlConnectionHttpClient.create()).build()) {
            awaitReady(moto, endpoint);
            LocalAws aws = new LocalAws(endpoint, REGION, repoRoot);
            StackResources stack = aws.provision(Map.of());
            InventoryTable inventory = new InventoryTable(dynamo, stack.physicalId("InventoryTable"));
            String idempotencyTable = stack.physicalId("IdempotencyTable");
            DynamoRetailStore store = new DynamoRetailStore(dynamo, inventory,
                    new StateTable(dynamo, stack.physicalId("RetailStateTable")),
                    new PurchasesTable(dynamo, stack.physicalId("PurchasesTable")),
                    new IdempotencyStore(dynamo, idempotencyTable));
            CustomersTable customers = new CustomersTable(dynamo, stack.physicalId("CustomersTable"), idempotencyTable);
            TransactionHandler handler = new TransactionHandler(new TransactionService(store, customers::preferences,
                    Clock.systemUTC(), TransactionHandler.DEFAULT_IDLE, () -> UUID.randomUUID().toString()));
            List<String> skuIds = new ArrayList<>();
            for (int i = 0; i < skus; i++) {
                String sku = String.format(Locale.ROOT, "BENCH-MOTO-%02d", i);
                skuIds.add(sku);
                inventory.upsertProduct(new Product(sku, "Trail Runner " + (38 + i), "A shoe.", "running-shoes",
                        new Money(new BigDecimal("89.90"), "EUR"), String.valueOf(38 + i), "blue", 10_000_000L,
                        "WH-MUC-1", "TR-RUN"), Sequencer.of("01"), Instant.now());
            }
            int[] sold = {0};
            Runnable sale = () -> {
                String sku = skuIds.get(sold[0]++ % skuIds.size());
                APIGatewayV2HTTPResponse response = handler.handleRequest(TransactionFixture.event(STORE,
                        TransactionHandler.SALE, Map.of(), UUID.randomUUID().toString(),
                        "{\"lines\":[{\"sku\":\"" + sku + "\",\"qty\":1}]}"), null);
                if (response.getStatusCode() != 200) {
                    throw new IllegalStateException(name + ": sale answered " + response.getStatusCode() + ": "
                            + response.getBody());
                }
            };
            for (int i = 0; i < warmup; i++) {
                sale.run();
            }
            long startRss = rssMb(moto);
            System.err.printf(Locale.ROOT, "[%s] moto pid %d, %d warm-up sales, RSS %d MB%n", name, moto.pid(), warmup,
                    startRss);
            boolean stopped = false;
            for (int done = 0; done < purchases && !stopped; ) {
                int size = Math.min(batchSize, purchases - done);
                double cpuBefore = cpuSeconds(moto);
                double jvmBefore = jvmCpuSeconds();
                long start = System.nanoTime();
                int n = 0;
                String note = "";
                while (n < size) {
                    sale.run();
                    n++;
                    if (n % 100 == 0 && rssMb(moto) > maxRssMb) {
                        note = "stopped: moto RSS over " + maxRssMb + " MB";
                        break;
                    }
                    if ((System.nanoTime() - start) / 1e9 > maxBatchSeconds) {
                        note = "stopped: batch over " + (long) maxBatchSeconds + " s";
                        break;
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                done += n;
                Batch b = new Batch(n, seconds, rssMb(moto), cpuSeconds(moto) - cpuBefore,
                        jvmCpuSeconds() - jvmBefore, loadAverage(), note);
                batches.add(b);
                stopped = !note.isEmpty();
                System.err.printf(Locale.ROOT,
                        "[%s] batch %d: %d purchases, %.1f s, RSS %d MB, moto CPU %.1f s, JVM CPU %.1f s, load %s %s%n",
                        name, batches.size(), n, seconds, b.rssMb(), b.motoCpuSeconds(), b.jvmCpuSeconds(), b.load(),
                        note);
            }
            return new Variant(name, script, batches, startRss);
        } finally {
            moto.descendants().forEach(ProcessHandle::destroy);
            moto.destroy();
            if (!moto.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                moto.destroyForcibly();
            }
        }
    }

    private static void print(List<Variant> variants, int purchases, int batch) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n%d purchases in batches of %d; RSS after warm-up: ", purchases, batch));
        for (Variant v : variants) {
            out.append(v.name()).append(' ').append(v.startRssMb()).append(" MB  ");
        }
        out.append("\n\n| batch |");
        for (Variant v : variants) {
            out.append(' ').append(v.name()).append(" s | ").append(v.name()).append(" moto RSS MB | ")
                    .append(v.name()).append(" moto CPU s | ").append(v.name()).append(" JVM CPU s | load |");
        }
        out.append("\n|---:|");
        out.append("---:|---:|---:|---:|---:|".repeat(variants.size()));
        int rows = variants.stream().mapToInt(v -> v.batches().size()).max().orElse(0);
        rows = Math.max(rows, (purchases + batch - 1) / batch);
        for (int i = 0; i < rows; i++) {
            out.append("\n| ").append(i + 1).append(" |");
            for (Variant v : variants) {
                if (i < v.batches().size()) {
                    Batch b = v.batches().get(i);
                    String partial = b.note().isEmpty() ? "" : " (" + b.purchases() + " purchases, " + b.note() + ")";
                    out.append(String.format(Locale.ROOT, " %.1f%s | %d | %.1f | %.1f | %s |", b.seconds(), partial,
                            b.rssMb(), b.motoCpuSeconds(), b.jvmCpuSeconds(), b.load()));
                } else {
                    out.append(" - | - | - | - | - |");
                }
            }
        }
        out.append('\n');
        for (Variant v : variants) {
            List<Batch> full = v.batches().stream().filter(b -> b.note().isEmpty()).toList();
            if (full.size() < 2) {
                continue;
            }
            double min = full.stream().mapToDouble(Batch::seconds).min().orElseThrow();
            double max = full.stream().mapToDouble(Batch::seconds).max().orElseThrow();
            double cpuMin = full.stream().mapToDouble(Batch::motoCpuSeconds).min().orElseThrow();
            double cpuMax = full.stream().mapToDouble(Batch::motoCpuSeconds).max().orElseThrow();
            long rssFirst = full.getFirst().rssMb();
            long rssLast = full.getLast().rssMb();
            List<Long> growth = new ArrayList<>();
            long previous = v.startRssMb();
            for (Batch b : full) {
                growth.add(b.rssMb() - previous);
                previous = b.rssMb();
            }
            out.append(String.format(Locale.ROOT,
                    "%n%s: batch time %.1f-%.1f s (max/min %.2f); moto CPU per batch %.1f-%.1f s (max/min %.2f); RSS %d MB "
                            + "after batch 1, %d MB after batch %d (x%.2f); RSS growth per batch (MB) %s",
                    v.name(), min, max, max / min, cpuMin, cpuMax, cpuMax / cpuMin, rssFirst, rssLast, full.size(),
                    (double) rssLast / rssFirst, growth));
        }
        System.out.println(out);
    }

    private static double jvmCpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    /** The 1-minute load average: the machine is shared, so wall times depend on it. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /** VmRSS of moto and its descendants (the pyenv shim execs python3, so usually one process), in MB. */
    private static long rssMb(Process moto) {
        return Stream.concat(Stream.of(moto.toHandle()), moto.descendants())
                .mapToLong(p -> statusKb(p.pid(), "VmRSS:")).sum() / 1024;
    }

    private static long statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
            return 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** utime + stime of moto and its descendants, in seconds (clock ticks of 1/100 s). */
    private static double cpuSeconds(Process moto) {
        return Stream.concat(Stream.of(moto.toHandle()), moto.descendants()).mapToLong(p -> {
            try {
                String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (IOException e) {
                return 0;
            }
        }).sum() / 100.0;
    }

    private static void awaitReady(Process moto, URI endpoint) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        try (HttpClient http = HttpClient.newHttpClient()) {
            while (Instant.now().isBefore(deadline)) {
                if (!moto.isAlive()) {
                    throw new IllegalStateException("moto exited with " + moto.exitValue());
                }
                try {
                    if (http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("moto did not answer within 30 s");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
