package com.edgeinventory.cli.command;

import com.edgeinventory.cli.dashboard.DashboardServer;

import com.edgeinventory.cli.UsageException;

import com.edgeinventory.cli.analytics.AnalyticsQuery;
import com.edgeinventory.cli.analytics.AnalyticsResponse;
import com.edgeinventory.cli.analytics.HttpApiEvent;
import com.edgeinventory.local.system.Json;
import com.edgeinventory.local.system.LocalSystem;
import com.edgeinventory.local.system.RegionStack;
import com.edgeinventory.local.system.SampleUploads;
import com.edgeinventory.local.system.SimulatedClock;

import com.edgeinventory.local.LocalRuntimeException;
import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.invoke.InvokeOutcome;
import com.edgeinventory.local.invoke.InvokeResult;
import com.edgeinventory.cli.demo.Catalog;
import com.edgeinventory.cli.demo.DemandModel;
import com.edgeinventory.cli.demo.HotSkuReport;
import com.edgeinventory.cli.demo.RegionSummary;
import com.edgeinventory.cli.demo.ResidencyCheck;
import com.edgeinventory.local.meter.StorageSurvey;
import com.edgeinventory.local.metrics.FunctionMetrics;
import com.edgeinventory.cli.demo.DemoReport;
import com.edgeinventory.cli.demo.Reconciliation;
import com.edgeinventory.cli.demo.StoreSimulator;
import com.edgeinventory.cli.demo.WarehouseSimulator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code demo}: the whole system under a repeatable load. Starts it as {@code up} does (a fresh moto, central and
 * edges, every trigger wired, the HTTP APIs on local ports), then in every edge a warehouse uploads a generated
 * catalog (products, images, restock files over time) and store devices run transactions against the retail API at
 * {@code --rate}. A progress line every two seconds; at the end a summary (events per kind, latency percentiles per
 * route, errors by kind) and whether the central aggregates equal the edges, checked through the public APIs: each
 * edge's {@code GET /v1/stock/{sku}} and the analytics API's availability and top sellers, against the devices'
 * own ledger. Exit status 1 when they differ. With {@code --keep} the system (and its dashboard) keeps running after
 * the summary until Ctrl-C, and the exit status comes after that.
 */
final class DemoCommand {

    static final String NAME = "demo";
    static final Set<String> OPTIONS = Set.of("regions", "central", "duration", "rate", "seed", "products",
            "devices", "port", "template", "keep", "no-iam", "no-transaction-conflicts", "warm", "usage", "mix",
            "hot-sku", "hot-sku-shards", "hot-sku-stock", "days");
    /** Options that take no value. */
    static final Set<String> FLAGS = Set.of("keep", "no-iam", "no-transaction-conflicts", "warm");
    static final String USAGE = """
            Usage: edge-inventory demo [--regions eu-west-1,us-east-1] [--central us-east-2] [--duration 60s]
                                       [--days N] [--rate N] [--seed N] [--products N] [--devices N] [--port N]
                                       [--template FILE] [--keep] [--no-iam] [--warm]
                                       [--no-transaction-conflicts] [--usage FILE] [--mix NAME=P,...]
                                       [--hot-sku SKU [--hot-sku-shards K] [--hot-sku-stock N]]

            Starts the whole system as 'up' does (a fresh moto_server), then in every edge region:
              warehouse  uploads a generated catalog to the region's bucket: --products product.json files,
                         a JPEG image each, then restock files spread over the run
              stores     --devices devices run carts (add, remove, checkout, cancel, abandon), one-shot sales and
                         stock lookups against the retail HTTP API at --rate requests per second, with retries
                         (same Idempotency-Key after a timeout) and duplicate sends as real devices make them
            Prints a progress line every 2 s (events/s, errors, the pipeline's lag to central), then a summary:
            events per kind, latency p50/p95/p99 per route, errors by kind, and whether the central aggregates
            equal the edges (every sku's levels per region and in total, units sold per region), with the
            differences if not. Exit status 1 when they differ. The same --seed gives the same catalog and the
            same request sequence per device, so runs are comparable load tests. With --keep the system keeps
            running after the summary, for the dashboard and the APIs, and prints (one per line)
              Dashboard: URL      AnalyticsApi: URL      AWS endpoint: URL      Ctrl-C stops it.
            then waits for Ctrl-C; the exit status (1 when central differs) comes after that.

              --regions R,R   edge regions (default eu-west-1,us-east-1)
              --central R     the central region (default us-east-2)
              --duration D    how long the stores sell: 60s, 2m, 500ms (default 60s)
              --days N        simulate N days, 1..366 (default 1: today): the local stack's clock (the time
                              API Gateway stamps requests with, and schedules) starts N-1 days ago and moves a
                              day at a time, each day getting --duration / N (at least 1 s) and as many
                              requests as its weekday brings in the region (Saturday peaks; Sunday quiet in
                              eu-west-1, busy in us-east-1). The sweeper expires the carts left open, by
                              the same clock. The summary and the dashboard's queries cover all the days
              --rate N        requests per second per region (default 10; with --days, the average day's)
              --seed N        the catalog's and the devices' random choices (default: random, printed)
              --products N    products per region, 1..100 (default 20)
              --devices N     devices per region (default 4)
              --port N        the first HTTP API port (default 0 = free ports)
              --template FILE default: the repository's template.yaml
              --keep          keep everything running after the summary until Ctrl-C
              --no-iam        do not check the functions' AWS calls against their roles (enforced by default)
              --no-transaction-conflicts
                              do not emulate DynamoDB's transaction conflicts (emulated by default)
              --usage FILE    where to write what the run used, for 'cost' and 'capacity' (default:
                              ~/.cache/edge-inventory/usage/last-demo.json)
              --warm          every function's first environment starts before the stores do
              --mix NAME=P,...
                              the stores' workload, as probabilities 0..1 (the others keep their defaults):
                              stock=0.08 (a stock lookup), sale=0.25 (a one-shot sale; else a cart),
                              remove=0.2 (a cart of 2+ lines drops one), cancel=0.15, abandon=0.1 (how a
                              cart ends; else checkout), retry=0.04 (an answer lost, sent again with the same
                              key), duplicate=0.03 (sent twice), member=0.6 (a loyalty member buys: one
                              of 40 per region, so most come back), alternative=0.5 (after an out-of-stock
                              answer to a cart's add, the customer takes the first alternative offered: an
                              add with alternativeFor); stock + sale and cancel + abandon at most 1
              --hot-sku SKU   a sneaker drop: every region's warehouse also uploads SKU (stock spread over
                              --hot-sku-shards items, default 8, 1..32; --hot-sku-stock units, default 1000,
                              and a quarter more in a restock file mid-run), and every device buys only SKU. The summary adds, per region, what SKU was
                              stocked with, what it sold, what the devices were confirmed and the units oversold,
                              and the 409 concurrent-modification answers (DynamoDB transaction conflicts); the
                              exit status is 1 when the drop does not add up
            """;

    static final String RETAIL_API = LocalSystem.RETAIL_API;
    static final int MAX_PRODUCTS = 100;
    static final int MAX_DAYS = 366;
    /** The least wall-clock time a simulated day sells. */
    static final Duration MIN_DAY = Duration.ofSeconds(1);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
    private static final Duration SETTLE = Duration.ofMinutes(3);
    /** How long Ctrl-C waits for a kept system to stop before the JVM exits anyway. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    /** The command line, checked. */
    record Settings(List<String> edges, String central, Duration duration, double rate, long seed, int products,
                    int devices, int port, boolean keep, Workload workload, int days) {

        Settings(List<String> edges, String central, Duration duration, double rate, long seed, int products,
                 int devices, int port, boolean keep) {
            this(edges, central, duration, rate, seed, products, devices, port, keep, Workload.DEFAULT, 1);
        }

        /** The wall-clock time each simulated day sells. */
        Duration perDay() {
            return duration.dividedBy(days);
        }

        /** The first simulated day: {@code days - 1} before {@code today}. */
        LocalDate firstDay(LocalDate today) {
            return today.minusDays(days - 1L);
        }
    }

    /** What the stores do: the scenario mix, and optionally a drop of one hot sku that every device buys. */
    record Workload(StoreSimulator.Mix mix, Optional<HotSku> hotSku) {
        static final Workload DEFAULT = new Workload(StoreSimulator.Mix.DEFAULT, Optional.empty());
    }

    /** {@code --hot-sku}: the sku, its stock shards and its stock per region. */
    record HotSku(String sku, int shards, int stock) {
    }

    private DemoCommand() {
    }

    static Settings settings(CliArgs args) {
        if (!args.positional().isEmpty()) {
            throw new UsageException(NAME, "demo takes no arguments, got " + args.positional());
        }
        List<String> edges = CliArgs.regionList(NAME, args.option("regions").orElse("eu-west-1,us-east-1"));
        String central = args.option("central").orElse("us-east-2").trim();
        CliArgs.requireRegionName(NAME, central);
        if (edges.contains(central)) {
            throw new UsageException(NAME, "the central region " + central + " cannot also be an edge region");
        }
        Duration duration = args.option("duration").map(DemoCommand::duration).orElse(Duration.ofSeconds(60));
        double rate = args.option("rate").map(DemoCommand::rate).orElse(10.0);
        long seed = args.option("seed").map(DemoCommand::seed).orElseGet(() -> new Random().nextLong());
        int products = args.option("products").map(s -> whole("--products", s, 1, MAX_PRODUCTS)).orElse(20);
        int devices = args.option("devices").map(s -> whole("--devices", s, 1, 64)).orElse(4);
        int port = args.option("port").map(s -> whole("--port", s, 0, 65_535)).orElse(0);
        int days = args.option("days").map(s -> whole("--days", s, 1, MAX_DAYS)).orElse(1);
        if (duration.dividedBy(days).compareTo(MIN_DAY) < 0) {
            throw new UsageException(NAME, "--duration " + args.option("duration").orElse("60s") + " over --days "
                    + days + " leaves " + duration.dividedBy(days).toMillis() + " ms a day; give each day at least "
                    + MIN_DAY.toSeconds() + " s (--duration " + days * MIN_DAY.toSeconds() + "s or more)");
        }
        return new Settings(edges, central, duration, rate, seed, products, devices, port, args.flag("keep"),
                workload(args), days);
    }

    static Workload workload(CliArgs args) {
        StoreSimulator.Mix mix = args.option("mix").map(DemoCommand::mix).orElse(StoreSimulator.Mix.DEFAULT);
        Optional<String> sku = args.option("hot-sku").map(String::trim);
        if (sku.isEmpty()) {
            for (String dependent : List.of("hot-sku-shards", "hot-sku-stock")) {
                if (args.option(dependent).isPresent()) {
                    throw new UsageException(NAME, "--" + dependent + " needs --hot-sku");
                }
            }
            return new Workload(mix, Optional.empty());
        }
        if (!Catalog.SKU.matcher(sku.get()).matches()) {
            throw new UsageException(NAME, "--hot-sku must be a sku: 3-40 of A-Z 0-9 and -, starting with a letter "
                    + "or digit, got '" + sku.get() + "'");
        }
        int shards = args.option("hot-sku-shards").map(v -> whole("--hot-sku-shards", v, 1, 32)).orElse(8);
        int stock = args.option("hot-sku-stock").map(v -> whole("--hot-sku-stock", v, 1, 1_000_000)).orElse(1000);
        return new Workload(mix, Optional.of(new HotSku(sku.get(), shards, stock)));
    }

    /** {@code --mix sale=0.5,stock=0}: the named probabilities over the default mix. */
    static StoreSimulator.Mix mix(String text) {
        StoreSimulator.Mix d = StoreSimulator.Mix.DEFAULT;
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("stock", d.stock());
        p.put("sale", d.sale());
        p.put("remove", d.remove());
        p.put("cancel", d.cancel());
        p.put("abandon", d.abandon());
        p.put("retry", d.retry());
        p.put("duplicate", d.duplicate());
        p.put("member", d.member());
        p.put("alternative", d.alternative());
        for (String part : text.split(",", -1)) {
            String[] nameValue = part.trim().split("=", -1);
            if (nameValue.length != 2 || !p.containsKey(nameValue[0].trim())) {
                throw new UsageException(NAME, "--mix takes NAME=P pairs, NAME one of " + String.join(", ", p.keySet())
                        + ", got '" + part.trim() + "'");
            }
            double value;
            try {
                value = Double.parseDouble(nameValue[1].trim());
            } catch (NumberFormatException e) {
                value = Double.NaN;
            }
            if (!(value >= 0 && value <= 1)) {
                throw new UsageException(NAME, "--mix " + nameValue[0].trim() + " must be a probability 0..1, got '"
                        + nameValue[1].trim() + "'");
            }
            p.put(nameValue[0].trim(), value);
        }
        try {
            return new StoreSimulator.Mix(p.get("stock"), p.get("sale"), p.get("remove"), p.get("cancel"),
                    p.get("abandon"), p.get("retry"), p.get("duplicate"), p.get("member"), p.get("alternative"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(NAME, "--mix: " + e.getMessage());
        }
    }

    /** {@code 60s}, {@code 2m}, {@code 500ms}, {@code 1h}, or plain seconds; more than 0, at most a day. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            Duration d = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
            if (!d.isZero() && d.compareTo(Duration.ofDays(1)) <= 0) {
                return d;
            }
        }
        throw new UsageException(NAME, "--duration must be like 60s, 2m or 500ms, more than 0 and at most 24h, got '"
                + text + "'");
    }

    static double rate(String text) {
        try {
            double rate = Double.parseDouble(text.trim());
            if (rate > 0 && rate <= 10_000) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(NAME, "--rate must be a number of requests per second, 0 < N <= 10000, got '"
                + text + "'");
    }

    private static long seed(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(NAME, "--seed must be a whole number, got '" + text + "'");
        }
    }

    private static int whole(String option, String text, int min, int max) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(NAME, option + " must be a whole number " + min + ".." + max + ", got '" + text + "'");
    }

    /** Devices loops per region: enough to reach the rate at about 200 ms a request. */
    static int workers(double rate, int devices) {
        return Math.max(devices, (int) Math.min(64, Math.ceil(rate * 0.2)));
    }

    // ------------------------------------------------------------------ the run

    /** One edge region's simulators. */
    private record Edge(String region, URI retailApi, String authorization, Catalog catalog,
                        WarehouseSimulator warehouse, StoreSimulator stores) {
    }

    static int run(CliArgs args, CliContext context) {
        Settings s = settings(args);
        Path templateFile = context.templateFile(args);
        String runId = StoreSimulator.Config.newRunId();
        context.progress("demo: seed " + s.seed() + ", " + s.products() + " products, " + s.devices() + " devices and "
                + s.rate() + " requests/s per region for " + s.duration().toMillis() / 1000.0 + " s"
                + (s.days() > 1 ? " over " + s.days() + " simulated days (" + s.perDay().toMillis() / 1000.0
                        + " s each, from " + s.firstDay(LocalDate.now(ZoneOffset.UTC)) + ")" : "")
                + s.workload().hotSku().map(h -> "; a drop of " + h.sku() + " (" + h.stock() + " units in " + h.shards()
                        + " shards per region) that every device buys").orElse(""));
        LocalSystem.Options options = new LocalSystem.Options(templateFile, s.central(), s.edges(), Optional.empty(),
                s.port(), Optional.empty(), Duration.ofMinutes(1)).withIam(!args.flag("no-iam"))
                .withWarm(args.flag("warm")).withIamReport(context.iamReport())
                .withTransactionConflicts(!args.flag("no-transaction-conflicts")).withCallsMetered(true);
        Keeper keeper = new Keeper();
        try (LocalSystem system = LocalSystem.start(options, context::progress);
             DashboardServer dashboard = DashboardServer.startFor(system, line -> context.progress("dashboard " + line))
                     .orElse(null)) {
            Optional.ofNullable(dashboard).ifPresent(d -> context.out().println("Dashboard: " + d.url()));
            context.out().flush();
            List<Edge> edges = new ArrayList<>();
            for (String region : s.edges()) {
                edges.add(edge(system, region, s, runId));
            }
            context.progress("warehouses: uploading " + s.products() + " products and images per region");
            runAll(edges, e -> e.warehouse().uploadProducts());
            if (!system.awaitIdle(SETTLE)) {
                context.progress("the uploads are still being processed after " + SETTLE.toMinutes()
                        + " min; the stores start anyway");
            }
            Instant start = Instant.now();
            Instant deadline = start.plus(s.duration());
            LocalDate firstDay = s.firstDay(LocalDate.ofInstant(start, ZoneOffset.UTC));
            List<Thread> threads = new ArrayList<>();
            if (s.days() == 1) {
                for (Edge e : edges) {
                    threads.add(Thread.ofPlatform().name("demo-stores-" + e.region()).start(() -> {
                        try {
                            e.stores().run(deadline);
                        } catch (InterruptedException interrupted) {
                            Thread.currentThread().interrupt();
                        }
                    }));
                }
            } else {
                threads.add(Thread.ofPlatform().name("demo-stores-days")
                        .start(() -> simulateDays(system.clock(), edges, s, context)));
            }
            for (Edge e : edges) {
                threads.add(Thread.ofPlatform().daemon().name("demo-restocks-" + e.region())
                        .start(() -> e.warehouse().uploadRestocks(deadline)));
            }
            progressUntilDone(system, edges, threads, start, context);
            Duration elapsed = Duration.between(start, Instant.now());
            context.progress("stores done; waiting for the pipeline to reach central");
            system.awaitIdle(SETTLE);
            Reconciliation.Outcome outcome = reconcile(system, edges, firstDay, context);
            Map<String, WarehouseSimulator.Counts> warehouses = new LinkedHashMap<>();
            edges.forEach(e -> warehouses.put(e.region(), e.warehouse().counts()));
            DemoReport.Summary summary = new DemoReport.Summary(elapsed, s.edges(), s.rate(), s.seed(),
                    StoreSimulator.Stats.merge(edges.stream().map(e -> e.stores().stats()).toList()), warehouses,
                    outcome);
            context.out().print(DemoReport.render(summary));
            Optional<HotSkuReport.Drop> drop = s.workload().hotSku().map(h -> drop(h, edges, summary.stats()));
            drop.ifPresent(d -> context.out().print(HotSkuReport.render(d)));
            context.out().println();
            context.out().print(regionSummary(system, firstDay, s.days() > 1 ? s.edges() : List.of()));
            ResidencyCheck.Outcome residency = residency(system, edges, runId);
            context.out().print(residency.render());
            context.out().println();
            context.out().println("Business metrics (the functions' EMF lines, as CloudWatch would count them)");
            context.out().println("  " + FunctionMetrics.render(system.metrics()));
            context.out().flush();
            writeUsage(system, edges, warehouses, s, CostCommand.usageFile(args, context), context);
            int status = outcome.equal() && drop.map(HotSkuReport.Drop::holds).orElse(true) && residency.clean() ? 0 : 1;
            if (s.keep()) {
                printKept(system, Optional.ofNullable(dashboard), context);
                keeper.awaitCtrlC(status);
                context.progress("stopping");
            }
            return status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            context.out().flush();
            keeper.stopped();
        }
    }

    /**
     * What the run used (the local stack's meter) with what it did: purchases the devices got and uploads the
     * warehouses made, the denominators of {@code cost} and {@code capacity}.
     */
    private static void writeUsage(LocalSystem system, List<Edge> edges, Map<String, WarehouseSimulator.Counts> warehouses,
                                   Settings s, java.nio.file.Path file, CliContext context) {
        long purchases = edges.stream().mapToLong(e -> e.stores().ledger().purchases()).sum();
        long uploads = warehouses.values().stream().mapToLong(c -> c.products() + c.images() + c.restocks()).sum();
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("command", "demo");
        run.put("central", s.central());
        run.put("edges", s.edges());
        run.put("ratePerRegion", s.rate());
        run.put("seed", s.seed());
        run.put("days", s.days());
        run.put("mix", s.workload().mix());
        s.workload().hotSku().ifPresent(h -> run.put("hotSku", h));
        var document = system.usage().toJson(Instant.now(), run, Map.of("purchases", purchases, "uploads", uploads,
                "products", warehouses.values().stream().mapToLong(WarehouseSimulator.Counts::products).sum()));
        try {
            Map<String, com.edgeinventory.local.provision.LocalStack> stacks = new LinkedHashMap<>();
            system.regions().forEach(r -> stacks.put(r.name(), r.stack()));
            document.set("storage", StorageSurvey.toJson(StorageSurvey.of(stacks)));
        } catch (RuntimeException e) {
            context.progress("cannot survey what the run stored (cost leaves storage out): " + e.getMessage());
        }
        try {
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
            java.nio.file.Files.writeString(file, Json.pretty(document));
            context.progress("what this run used, for 'cost' and 'capacity': " + file);
        } catch (java.io.IOException | RuntimeException e) {
            context.progress("cannot write the usage file " + file + ": " + e.getMessage());
        }
    }

    /** What --keep leaves running, one {@code Name: URL} a line, for people and for scripts. */
    private static void printKept(LocalSystem system, Optional<DashboardServer> dashboard, CliContext context) {
        context.out().println();
        context.out().println("The system keeps running:");
        dashboard.ifPresent(d -> context.out().println("Dashboard: " + d.url()));
        context.out().println("AnalyticsApi: " + system.httpApi(system.central().name(), LocalSystem.ANALYTICS_API));
        context.out().println("AWS endpoint: " + system.endpoint());
        context.out().println("Ctrl-C stops it.");
        context.out().flush();
    }

    /**
     * {@code --keep}: waits for Ctrl-C (or SIGTERM) through a shutdown hook, lets {@link #run} close the system, and
     * then ends the JVM with the demo's status; without it the JVM would exit with the signal's status (130, 143).
     */
    private static final class Keeper {
        private final CountDownLatch stop = new CountDownLatch(1);
        private final CountDownLatch stopped = new CountDownLatch(1);

        void awaitCtrlC(int status) throws InterruptedException {
            Thread hook = new Thread(() -> {
                stop.countDown();
                try {
                    if (stopped.await(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                        Runtime.getRuntime().halt(status); // the system is closed; the other hooks have nothing left
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "demo-shutdown");
            try {
                Runtime.getRuntime().addShutdownHook(hook);
            } catch (IllegalStateException e) {
                return; // already shutting down: Ctrl-C came during the run
            }
            stop.await();
        }

        /** The system is closed (or never started). */
        void stopped() {
            stopped.countDown();
        }
    }

    private static Edge edge(LocalSystem system, String region, Settings s, String runId) {
        RegionStack stack = system.edge(region);
        String bucket = stack.stack().resources().physicalId(SampleUploads.BUCKET);
        Catalog generated = Catalog.generate(region, s.products(), Math.max(1, s.products() / 5), s.seed());
        Optional<HotSku> hot = s.workload().hotSku();
        Catalog catalog;
        try {
            catalog = hot.map(h -> generated.withHotSku(h.sku(), h.stock(), h.shards())).orElse(generated);
        } catch (IllegalArgumentException e) {
            throw new UsageException(NAME, "--hot-sku: " + e.getMessage());
        }
        WarehouseSimulator warehouse = new WarehouseSimulator(stack.stack().clients().s3(), bucket, catalog);
        String code = region.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
        List<StoreSimulator.Device> devices = new ArrayList<>();
        for (int i = 1; i <= s.devices(); i++) {
            String deviceId = "SIM-" + runId + "-" + code + "-" + i;
            devices.add(new StoreSimulator.Device(deviceId,
                    system.addDevice(region, "STORE-" + code + "-" + ((i - 1) % 2 + 1), deviceId)));
        }
        URI api = system.httpApi(region, RETAIL_API);
        List<String> bought = hot.map(h -> List.of(h.sku())).orElse(catalog.skus());
        Map<String, Double> taste = new LinkedHashMap<>();
        catalog.products().forEach(p -> taste.put(p.sku(), DemandModel.preference(region, p.category())));
        StoreSimulator stores = new StoreSimulator(StoreSimulator.Config.of(region, api, devices, bought,
                s.rate(), s.seed()).withRunId(runId).withWorkers(workers(s.rate() * (s.days() > 1 ? 1.6 : 1), s.devices()))
                .withMix(s.workload().mix()).withSkuWeights(taste));
        return new Edge(region, api, devices.getFirst().authorization(), catalog, warehouse, stores);
    }

    /**
     * {@code --days N}: day by day from N-1 days ago to today, the local stack's clock set to the day (the time of
     * day stays real) and every region's devices selling {@link Settings#perDay} at the rate its weekday brings;
     * each day ends when every device has finished its scenario, so no cart spans two days. The clock is back at
     * real time at the end.
     */
    private static void simulateDays(SimulatedClock clock, List<Edge> edges, Settings s, CliContext context) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try {
            for (int d = 0; d < s.days(); d++) {
                long daysAgo = s.days() - 1L - d;
                LocalDate day = today.minusDays(daysAgo);
                clock.setOffset(Duration.ofDays(-daysAgo));
                Instant end = Instant.now().plus(s.perDay());
                List<Thread> regions = new ArrayList<>();
                Map<String, Long> before = new LinkedHashMap<>();
                edges.forEach(e -> before.put(e.region(), e.stores().counters().requests()));
                for (Edge e : edges) {
                    double factor = DemandModel.weekdayFactor(e.region(), day.getDayOfWeek());
                    regions.add(Thread.ofPlatform().name("demo-day-" + e.region()).start(() -> {
                        try {
                            e.stores().run(end, factor);
                        } catch (InterruptedException interrupted) {
                            Thread.currentThread().interrupt();
                        }
                    }));
                }
                for (Thread t : regions) {
                    t.join();
                }
                List<String> sent = new ArrayList<>();
                for (Edge e : edges) {
                    sent.add(String.format(Locale.ROOT, "%s %d requests (weekday factor %.2f)", e.region(),
                            e.stores().counters().requests() - before.get(e.region()),
                            DemandModel.weekdayFactor(e.region(), day.getDayOfWeek())));
                }
                context.progress("day " + dayLabel(day) + ": " + String.join(", ", sent));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clock.setOffset(Duration.ZERO);
        }
    }

    private static void runAll(List<Edge> edges, Consumer<Edge> body) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (Edge e : edges) {
            threads.add(Thread.ofPlatform().name("demo-" + e.region()).start(() -> body.accept(e)));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static void progressUntilDone(LocalSystem system, List<Edge> edges, List<Thread> threads, Instant start,
                                          CliContext context) throws InterruptedException {
        DemoReport.Progress progress = new DemoReport.Progress();
        List<Thread> stores = threads.stream().filter(t -> t.getName().startsWith("demo-stores-")).toList();
        while (stores.stream().anyMatch(Thread::isAlive)) {
            Thread.sleep(PROGRESS_EVERY);
            long events = 0;
            long errors = 0;
            for (Edge e : edges) {
                StoreSimulator.Counters c = e.stores().counters();
                events += c.events();
                errors += c.errors();
            }
            // The freshness query counts lag to real time; while days are simulated the newest purchase is dated
            // by the simulated clock, as far behind real time as the clock is.
            Duration behind = system.clock().offset().negated();
            Optional<Duration> lag = lag(system).map(l -> l.minus(behind)).map(l -> l.isNegative() ? Duration.ZERO : l);
            String line = progress.line(Duration.between(start, Instant.now()), events, errors, lag);
            context.progress(behind.isZero() ? line
                    : line + ", simulating " + dayLabel(LocalDate.ofInstant(system.clock().instant(), ZoneOffset.UTC)));
        }
    }

    /** e.g. {@code 2026-11-21 (Sat)}. */
    private static String dayLabel(LocalDate day) {
        return day + " (" + day.getDayOfWeek().getDisplayName(java.time.format.TextStyle.SHORT, Locale.ROOT) + ")";
    }

    /** The largest lag of an edge as the analytics freshness query reports it; empty when it cannot be had. */
    private static Optional<Duration> lag(LocalSystem system) {
        try {
            JsonNode freshness = analytics(system, AnalyticsQuery.FRESHNESS, List.of(), Map.of());
            long max = -1;
            for (JsonNode item : freshness.path("items")) {
                max = Math.max(max, item.path("lagSeconds").asLong(-1));
            }
            return max < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(max));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------ central against the edges

    /** Compares; when they differ, waits for the triggers once more and compares again (the sweeper may run). */
    private static Reconciliation.Outcome reconcile(LocalSystem system, List<Edge> edges, LocalDate from,
                                                    CliContext context) throws InterruptedException {
        Reconciliation.Outcome outcome = compare(system, edges, from);
        for (int attempt = 1; attempt <= 2 && !outcome.equal(); attempt++) {
            context.progress("central differs in " + outcome.differences().size()
                    + " places; waiting for the pipeline and checking again");
            system.awaitIdle(Duration.ofSeconds(30));
            outcome = compare(system, edges, from);
        }
        return outcome;
    }

    private static Reconciliation.Outcome compare(LocalSystem system, List<Edge> edges, LocalDate from) {
        Map<Reconciliation.Key, Reconciliation.Levels> regional = new LinkedHashMap<>();
        Map<Reconciliation.Key, Reconciliation.Levels> central = new LinkedHashMap<>();
        Map<String, Reconciliation.Levels> totals = new LinkedHashMap<>();
        Map<Reconciliation.Key, Long> ledger = new LinkedHashMap<>();
        Map<Reconciliation.Key, Long> topSellers = new LinkedHashMap<>();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<String> skus = edges.getFirst().catalog().skus();
        for (Edge e : edges) {
            for (String sku : e.catalog().skus()) {
                stock(http, e, sku).ifPresent(l -> regional.put(new Reconciliation.Key(e.region(), sku), l));
            }
            e.stores().ledger().unitsBySku()
                    .forEach((sku, qty) -> ledger.put(new Reconciliation.Key(e.region(), sku), qty));
            String to = LocalDate.now(ZoneOffset.UTC).toString();
            JsonNode top = analytics(system, AnalyticsQuery.TOP_SELLERS, List.of(),
                    Map.of("edge", e.region(), "from", from.toString(), "to", to, "limit", Integer.toString(MAX_PRODUCTS)));
            for (JsonNode item : top.path("items")) {
                topSellers.merge(new Reconciliation.Key(e.region(), item.path("sku").asText()),
                        item.path("qty").asLong(), Long::sum);
            }
        }
        for (String sku : skus) {
            JsonNode availability = analytics(system, AnalyticsQuery.AVAILABILITY, List.of(sku), Map.of());
            for (JsonNode item : availability.path("items")) {
                central.put(new Reconciliation.Key(item.path("region").asText(), sku), levels(item));
            }
            if (availability.path("totals").isObject()) {
                totals.put(sku, levels(availability.path("totals")));
            }
        }
        return Reconciliation.compare(regional, central, totals, new Reconciliation.Units("devices' ledger", ledger),
                new Reconciliation.Units("central top-sellers", topSellers));
    }

    /**
     * Every record the central stream received, scanned for the run's customer ids, device ids and device keys:
     * nothing personal may cross to central.
     */
    private static ResidencyCheck.Outcome residency(LocalSystem system, List<Edge> edges, String runId) {
        var kinesis = system.central().stack().clients().kinesis();
        String stream = system.central().stack().resources().physicalId("CentralStream");
        List<byte[]> records = new ArrayList<>();
        for (var shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(software.amazon.awssdk.services.kinesis.model.ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            while (iterator != null) {
                final String from = iterator;
                var page = kinesis.getRecords(b -> b.shardIterator(from).limit(10_000));
                page.records().forEach(r -> records.add(r.data().asByteArray()));
                iterator = page.records().isEmpty() ? null : page.nextShardIterator();
            }
        }
        Map<String, java.util.Collection<String>> identifiers = new LinkedHashMap<>();
        identifiers.put("customer id", ResidencyCheck.memberIds(runId, edges.stream().map(Edge::region).toList(),
                StoreSimulator.MEMBERS));
        List<String> devices = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Edge e : edges) {
            for (StoreSimulator.Device d : e.stores().config().devices()) {
                devices.add(d.deviceId());
                keys.add(d.authorization().substring(d.authorization().indexOf(':') + 1));
            }
        }
        identifiers.put("device id", devices);
        identifiers.put("device key", keys);
        return ResidencyCheck.scan(records, identifiers);
    }

    /** Per edge region, central's regional-performance and customer-behaviour over the run's days. */
    private static String regionSummary(LocalSystem system, LocalDate from, List<String> byDay) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<String, String> range = Map.of("from", from.toString(), "to", today.toString());
        try {
            Map<String, String> top = new java.util.HashMap<>(range);
            top.put("limit", "100");
            Map<String, Map<LocalDate, RegionSummary.Day>> demand = new LinkedHashMap<>();
            for (String region : byDay) {
                Map<LocalDate, RegionSummary.Day> days = new java.util.TreeMap<>();
                for (LocalDate day = from; !day.isAfter(today); day = day.plusDays(1)) {
                    Map<String, String> oneDay = Map.of("edge", region, "from", day.toString(), "to", day.toString(),
                            "limit", Integer.toString(MAX_PRODUCTS));
                    long sold = 0;
                    for (JsonNode item : analytics(system, AnalyticsQuery.TOP_SELLERS, List.of(), oneDay)
                            .path("items")) {
                        sold += item.path("qty").asLong();
                    }
                    long refused = 0;
                    for (JsonNode item : analytics(system, AnalyticsQuery.LOST_DEMAND, List.of(), oneDay)
                            .path("items")) {
                        refused += item.path("refusedUnits").asLong();
                    }
                    days.put(day, new RegionSummary.Day(sold, refused));
                }
                demand.put(region, days);
            }
            return RegionSummary.render(analytics(system, AnalyticsQuery.REGIONAL_PERFORMANCE, List.of(), range),
                    analytics(system, AnalyticsQuery.CUSTOMER_BEHAVIOUR, List.of(), range),
                    analytics(system, AnalyticsQuery.LOST_DEMAND, List.of(), top), demand);
        } catch (RuntimeException e) {
            return "Per region: the analytics queries failed: " + e.getMessage() + "\n";
        }
    }

    /** The drop's verdict: each edge's levels of the hot sku against its stock and the devices' ledger. */
    private static HotSkuReport.Drop drop(HotSku hot, List<Edge> edges, StoreSimulator.Stats stats) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<HotSkuReport.Region> regions = new ArrayList<>();
        for (Edge e : edges) {
            Reconciliation.Levels levels = stock(http, e, hot.sku()).orElse(new Reconciliation.Levels(0, 0, 0));
            long delivered = e.catalog().restocks().stream().mapToLong(f -> f.deltas().getOrDefault(hot.sku(), 0L))
                    .sum();
            regions.add(new HotSkuReport.Region(e.region(), hot.stock() + delivered, levels,
                    e.stores().ledger().unitsBySku().getOrDefault(hot.sku(), 0L)));
        }
        return new HotSkuReport.Drop(hot.sku(), hot.shards(), regions,
                stats.errors().getOrDefault("4xx concurrent-modification", 0L), stats.outOfStock(), stats.requests());
    }

    private static Reconciliation.Levels levels(JsonNode node) {
        return new Reconciliation.Levels(node.path("available").asLong(), node.path("reserved").asLong(),
                node.path("sold").asLong());
    }

    /** {@code GET /v1/stock/{sku}} of an edge's retail API; empty for 404 (not a product there). */
    private static Optional<Reconciliation.Levels> stock(HttpClient http, Edge edge, String sku) {
        String base = edge.retailApi().toString().replaceAll("/$", "");
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/stock/" + sku))
                .header("Authorization", edge.authorization()).timeout(Duration.ofSeconds(60)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new LocalRuntimeException("GET /v1/stock/" + sku + " in " + edge.region() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return Optional.of(levels(AnalyticsResponse.READER.readTree(response.body())));
        } catch (IOException e) {
            throw new LocalRuntimeException("GET /v1/stock/" + sku + " in " + edge.region() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalRuntimeException("interrupted", e);
        }
    }

    private static JsonNode analytics(LocalSystem system, AnalyticsQuery query, List<String> positional,
                                      Map<String, String> options) {
        RegionStack central = system.central();
        AnalyticsQuery.AnalyticsRequest request = query.request(NAME, positional, options);
        String event = HttpApiEvent.iamGet(request, central.name(), central.stack().template().accountId(),
                AwsClients.ACCESS_KEY, Instant.now(), UUID.randomUUID().toString()).toString();
        InvokeResult result = system.invoke(central.name(), LocalSystem.ANALYTICS_FUNCTION, event);
        if (!(result.outcome() instanceof InvokeOutcome.Success success)) {
            throw new LocalRuntimeException("the analytics query " + query.cliName() + " failed: " + result.outcome());
        }
        AnalyticsResponse response = AnalyticsResponse.fromFunction(success.responseJson());
        if (response.status() == 404) {
            return AnalyticsResponse.READER.missingNode(); // e.g. a sku central never heard of
        }
        if (!response.ok()) {
            throw new LocalRuntimeException("the analytics query " + query.cliName() + " answered "
                    + response.status() + ": " + response.body());
        }
        try {
            return AnalyticsResponse.READER.readTree(response.body());
        } catch (IOException e) {
            throw new LocalRuntimeException("the analytics query " + query.cliName() + " answered no JSON", e);
        }
    }
}
