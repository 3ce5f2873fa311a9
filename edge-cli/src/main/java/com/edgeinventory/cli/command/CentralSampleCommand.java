package com.edgeinventory.cli.command;

import com.edgeinventory.cli.UsageException;
import com.edgeinventory.local.apigw.HttpApiEvents;
import com.edgeinventory.local.system.Progress;

import com.edgeinventory.cli.analytics.AnalyticsQuery;
import com.edgeinventory.cli.analytics.AnalyticsRenderer;
import com.edgeinventory.cli.analytics.AnalyticsResponse;
import com.edgeinventory.cli.analytics.HttpApiEvent;
import com.edgeinventory.local.system.Json;
import com.edgeinventory.local.system.LocalSystem;
import com.edgeinventory.local.system.RegionStack;
import com.edgeinventory.local.system.SampleUploads;

import com.edgeinventory.local.LocalRuntimeException;
import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.trigger.esm.KinesisStreamReader;
import com.edgeinventory.local.trigger.esm.PolledRecord;
import com.edgeinventory.local.trigger.esm.ShardReader;
import com.edgeinventory.local.trigger.esm.StreamEvents;
import com.edgeinventory.local.trigger.esm.StreamMapping;
import com.edgeinventory.local.trigger.esm.StreamPoller;
import com.edgeinventory.local.invoke.EnvVarsOverrides;
import com.edgeinventory.local.invoke.FunctionIdentities;
import com.edgeinventory.local.invoke.InvokeOutcome;
import com.edgeinventory.local.invoke.InvokeResult;
import com.edgeinventory.local.invoke.LocalInvoker;
import com.edgeinventory.local.moto.MotoServer;
import com.edgeinventory.local.template.FunctionDef;
import com.edgeinventory.local.template.ResolveOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * {@code central-sample}: the central analytics pipeline end to end on one local endpoint. Provisions the central
 * role and two (or more) edge roles of template.yaml into one moto, uploads {@code events/sample/} in every edge,
 * sells through the retail API's function there (a device retry included), carries the inventory and purchases
 * streams through {@code InventoryStreamForwarder} and the central Kinesis stream through
 * {@code CentralAggregatorFunction} with the event source mappings emulated from the template, then redelivers every
 * central record once more, shuffled. It prints the analytics API's answers and checks them against each edge's own
 * stock API: exit status 1 when they differ.
 */
final class CentralSampleCommand {

    static final String NAME = "central-sample";
    static final Set<String> OPTIONS = Set.of("edges", "central", "keep", "template", "seed");
    static final Set<String> FLAGS = Set.of("keep");
    static final String USAGE = """
            Usage: edge-inventory central-sample [--edges eu-west-1,us-east-1] [--central us-east-2] [--keep]
                                                 [--seed N] [--template FILE]

            Runs the central analytics pipeline end to end in a fresh moto_server: provisions template.yaml as
            DeploymentRole=central in --central and as DeploymentRole=edge (forwarding to the central stream) in
            every --edges region; uploads events/sample/ in each edge and sells the sample product there through
            TransactionFunction (POST /v1/sales, one device retry with the same Idempotency-Key included); runs
            InventoryStreamForwarder on the edge tables' streams and CentralAggregatorFunction on the central
            Kinesis stream with the event source mappings of template.yaml (batch size, partial batch failures,
            retries, OnFailure); then redelivers every central record once more, in a shuffled order (--seed).
            Prints the analytics API's availability and top sellers, and checks them against each edge's
            GET /v1/stock. Exit status 1 when the central aggregates differ from the edges.

              --edges R,R     edge regions (default eu-west-1,us-east-1)
              --central R     the central region (default us-east-2)
              --keep          keep moto_server running afterwards (until Ctrl-C) and print the analytics
                              commands to try against it
              --seed N        the shuffle of the redelivery (default: random, printed)
              --template FILE default: the repository's template.yaml
            """;

    static final String SKU = "TR-RUN-42-BLU";
    static final String STORE = "STORE-MUC-01";

    private CentralSampleCommand() {
    }

    static int run(CliArgs args, CliContext context) {
        if (!args.positional().isEmpty()) {
            throw new UsageException(NAME, "central-sample takes no arguments, got " + args.positional());
        }
        List<String> edges = CliArgs.regionList(NAME, args.option("edges").orElse("eu-west-1,us-east-1"));
        String centralRegion = args.option("central").orElse("us-east-2").trim();
        CliArgs.requireRegionName(NAME, centralRegion);
        if (edges.contains(centralRegion)) {
            throw new UsageException(NAME, "the central region " + centralRegion + " cannot also be an edge region");
        }
        long seed = args.option("seed").map(s -> parseSeed(s)).orElseGet(() -> new Random().nextLong());
        boolean keep = args.flag("keep");
        Path templateFile = context.templateFile(args);
        Path samples = templateFile.getParent().resolve("events").resolve("sample");
        List<Path> files = SampleUploads.sampleFiles(samples);
        LocalInvoker invoker = LocalInvoker.create(templateFile.getParent(), context.err());

        context.progress("starting moto_server");
        List<RegionStack> regions = List.of();
        try (MotoServer moto = MotoServer.start(); FunctionIdentities identities = new FunctionIdentities()) {
            URI endpoint = moto.endpoint();
            context.progress("moto_server at " + endpoint + ", log " + moto.logFile());
            try {
                regions = RegionStack.openAll(templateFile, centralRegion, edges, endpoint, invoker::invoke, identities,
                        context::progress, Progress.to(context.err()));
                RegionStack central = regions.getFirst();
                int failures = 0;
                for (int i = 1; i < regions.size(); i++) {
                    failures += warehouseAndStores(regions.get(i), i, templateFile.getParent(), samples, files,
                            context);
                }
                for (RegionStack edge : regions.subList(1, regions.size())) {
                    forward(edge, context);
                }
                aggregate(central, context);
                JsonNode before = snapshot(central, edges, context);
                int redelivered = redeliverShuffled(central, seed, context);
                JsonNode after = snapshot(central, edges, context);
                boolean unchanged = before.equals(after);
                boolean match = report(regions.subList(1, regions.size()), templateFile.getParent(), after, context);
                context.out().println("redelivered " + redelivered + " central records once more, shuffled (seed "
                        + seed + "): aggregates " + (unchanged ? "unchanged" : "CHANGED"));
                context.out().println("central aggregates equal the edges: " + (match ? "yes" : "NO"));
                if (failures > 0) {
                    context.progress(failures + " invocations failed (see above)");
                }
                if (keep) {
                    keepRunning(endpoint, centralRegion, edges, context);
                }
                return match && unchanged && failures == 0 ? 0 : 1;
            } finally {
                regions.forEach(RegionStack::close);
            }
        }
    }

    private static long parseSeed(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(NAME, "--seed must be a whole number, got '" + text + "'");
        }
    }

    // ------------------------------------------------------------------ the edge: warehouse and stores

    /** Uploads the samples, runs what they trigger, then sells; returns the failed invocations. */
    private static int warehouseAndStores(RegionStack edge, int number, Path repository, Path samples, List<Path> files,
                                          CliContext context) {
        String bucket = edge.stack().resources().physicalId(SampleUploads.BUCKET);
        List<String> keys = SampleUploads.upload(edge.stack(), bucket, samples, files, context::progress);
        int[] counts = SampleUploads.deliverNotifications(edge.stack(), edge.functions(), keys,
                context::progress, r -> InvocationReport.print(r, context.errOnly()));
        int failures = counts[1];
        // Different quantities per region, so the per-region rows of the analytics differ.
        List<Integer> sales = List.of(number, 2);
        int n = 0;
        for (int qty : sales) {
            n++;
            String key = "sample-" + edge.name() + "-" + n;
            ObjectNode event = saleEvent(repository, qty, key);
            failures += sell(edge, event, context);
            if (n == 1) {
                context.progress(edge.name() + ": the device retries its first sale (same Idempotency-Key)");
                failures += sell(edge, event, context);
            }
        }
        return failures;
    }

    private static ObjectNode saleEvent(Path repositoryRoot, int qty, String idempotencyKey) {
        ObjectNode event;
        try {
            event = (ObjectNode) Json.MAPPER.readTree(repositoryRoot.resolve("events").resolve("http-sale.json")
                    .toFile());
        } catch (IOException e) {
            throw new LocalRuntimeException("Cannot read events/http-sale.json: " + e.getMessage(), e);
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putArray("lines").addObject().put("sku", SKU).put("qty", qty);
        event.put("body", body.toString());
        ((ObjectNode) event.get("headers")).put("idempotency-key", idempotencyKey);
        // Sold now, as API Gateway would stamp the request on arrival: the function dates the purchase by it.
        HttpApiEvents.stampReceived(((ObjectNode) event.get("requestContext"))
                .put("requestId", UUID.randomUUID().toString()), Instant.now());
        return event;
    }

    private static int sell(RegionStack edge, ObjectNode event, CliContext context) {
        FunctionDef function = edge.stack().template().function("TransactionFunction");
        InvokeResult result = edge.functions().invoke(function, event.toString());
        if (result.outcome() instanceof InvokeOutcome.Success s) {
            JsonNode response = readJson(s.responseJson());
            context.progress(edge.name() + ": POST /v1/sales -> " + response.path("statusCode").asText()
                    + " " + response.path("body").asText());
            return response.path("statusCode").asInt() / 100 == 2 ? 0 : 1;
        }
        InvocationReport.print(result, errOnly(context));
        return 1;
    }

    // ------------------------------------------------------------------ the pipeline

    private static void forward(RegionStack edge, CliContext context) {
        FunctionDef forwarder = edge.stack().template().function("InventoryStreamForwarder");
        AwsClients clients = edge.stack().clients();
        for (StreamMapping mapping : StreamMapping.of(forwarder)) {
            int records = poller(edge, mapping, context).drain();
            context.progress(edge.name() + ": " + mapping.label() + " carried " + records + " stream records");
        }
    }

    private static void aggregate(RegionStack central, CliContext context) {
        FunctionDef aggregator = central.stack().template().function("CentralAggregatorFunction");
        for (StreamMapping mapping : StreamMapping.of(aggregator)) {
            int records = poller(central, mapping, context).drain();
            context.progress(central.name() + ": " + mapping.label() + " aggregated " + records
                    + " central records");
        }
    }

    private static StreamPoller poller(RegionStack region, StreamMapping mapping, CliContext context) {
        return region.streamPoller(mapping, Map.of(), line -> context.progress(region.name() + ": " + line));
    }

    /** Every record of the central stream again, in a shuffled order, in batches of the mapping's size. */
    private static int redeliverShuffled(RegionStack central, long seed, CliContext context) {
        FunctionDef aggregator = central.stack().template().function("CentralAggregatorFunction");
        int total = 0;
        for (StreamMapping mapping : StreamMapping.of(aggregator)) {
            KinesisStreamReader reader = new KinesisStreamReader(central.stack().clients().kinesis(),
                    mapping.streamArn(), central.name());
            List<PolledRecord> all = new ArrayList<>();
            for (String shard : reader.shards()) {
                String iterator = reader.iterator(shard, Optional.empty(), true);
                while (iterator != null) {
                    ShardReader.Page page = reader.read(shard, iterator, 1000);
                    if (page.records().isEmpty()) {
                        break;
                    }
                    all.addAll(page.records());
                    iterator = page.nextIterator();
                }
            }
            Collections.shuffle(all, new Random(seed));
            int batch = Math.max(1, Math.min(mapping.batchSize(), (all.size() + 1) / 2));
            for (int from = 0; from < all.size(); from += batch) {
                List<PolledRecord> records = all.subList(from, Math.min(all.size(), from + batch));
                InvokeResult result = central.functions().invoke(aggregator, StreamEvents.event(records).toString());
                if (!(result.outcome() instanceof InvokeOutcome.Success s)
                        || readJson(s.responseJson()).path("batchItemFailures").size() > 0) {
                    throw new LocalRuntimeException("the shuffled redelivery of " + records.size()
                            + " central records failed: " + result.outcome().summary());
                }
            }
            total += all.size();
        }
        context.progress(central.name() + ": redelivered " + total + " central records, shuffled (seed " + seed + ")");
        return total;
    }

    // ------------------------------------------------------------------ what the analysts see

    /** The analytics API's availability and top sellers of every edge, as one JSON document. */
    private static JsonNode snapshot(RegionStack central, List<String> edges, CliContext context) {
        ObjectNode snapshot = Json.MAPPER.createObjectNode();
        snapshot.set("availability", analytics(central, AnalyticsQuery.AVAILABILITY, List.of(SKU), Map.of()));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        for (String edge : edges) {
            snapshot.set("top-sellers " + edge, analytics(central, AnalyticsQuery.TOP_SELLERS, List.of(),
                    Map.of("edge", edge, "from", today, "to", today)));
        }
        return snapshot;
    }

    private static JsonNode analytics(RegionStack central, AnalyticsQuery query, List<String> positional,
                                      Map<String, String> options) {
        AnalyticsQuery.AnalyticsRequest request = query.request(NAME, positional, options);
        String event = HttpApiEvent.iamGet(request, central.name(), central.stack().template().accountId(),
                AwsClients.ACCESS_KEY, Instant.now(), UUID.randomUUID().toString()).toString();
        InvokeResult result = central.functions().invoke(
                central.stack().template().function(LocalSystem.ANALYTICS_FUNCTION), event);
        if (!(result.outcome() instanceof InvokeOutcome.Success s)) {
            throw new LocalRuntimeException("the analytics query " + query.cliName() + " failed: "
                    + result.outcome().summary());
        }
        AnalyticsResponse response = AnalyticsResponse.fromFunction(s.responseJson());
        if (!response.ok()) {
            throw new LocalRuntimeException("the analytics query " + query.cliName() + " answered " + response.status()
                    + ": " + response.body());
        }
        return readJson(response.body());
    }

    /** Prints what the analysts and the stores see, and whether they agree. */
    private static boolean report(List<RegionStack> edges, Path repository, JsonNode snapshot, CliContext context) {
        boolean match = true;
        JsonNode availability = snapshot.get("availability");
        context.out().println("Central availability of " + SKU + " (bin/edge-inventory analytics availability " + SKU
                + "):");
        context.out().print(AnalyticsRenderer.table(availability));
        long[] sum = new long[3];
        for (RegionStack edge : edges) {
            JsonNode stock = stock(edge, repository);
            JsonNode row = null;
            for (JsonNode item : availability.path("items")) {
                if (item.path("region").asText().equals(edge.name())) {
                    row = item;
                }
            }
            String[] fields = {"available", "reserved", "sold"};
            for (int i = 0; i < fields.length; i++) {
                long expected = stock.path(fields[i]).asLong();
                sum[i] += expected;
                long actual = row == null ? Long.MIN_VALUE : row.path(fields[i]).asLong();
                if (expected != actual) {
                    match = false;
                    context.out().println("  DIFFERENT: " + edge.name() + " " + fields[i] + ": edge stock API "
                            + expected + ", central " + (row == null ? "missing" : actual));
                }
            }
            JsonNode top = snapshot.get("top-sellers " + edge.name());
            context.out().println("Top sellers today in " + edge.name() + " (analytics top-sellers --edge "
                    + edge.name() + "):");
            context.out().print(AnalyticsRenderer.table(top));
            long qty = 0;
            for (JsonNode item : top.path("items")) {
                if (item.path("sku").asText().equals(SKU)) {
                    qty = item.path("qty").asLong();
                }
            }
            if (qty != stock.path("sold").asLong()) {
                match = false;
                context.out().println("  DIFFERENT: " + edge.name() + " units sold today: edge stock API "
                        + stock.path("sold").asLong() + ", central sales counters " + qty);
            }
        }
        JsonNode totals = availability.path("totals");
        String[] fields = {"available", "reserved", "sold"};
        for (int i = 0; i < fields.length; i++) {
            if (totals.path(fields[i]).asLong() != sum[i]) {
                match = false;
                context.out().println("  DIFFERENT: total " + fields[i] + ": sum of the edges " + sum[i]
                        + ", central " + totals.path(fields[i]).asLong());
            }
        }
        return match;
    }

    /** GET /v1/stock/{sku} of an edge's retail API, through StockFunction. */
    private static JsonNode stock(RegionStack edge, Path repository) {
        ObjectNode event;
        try {
            event = (ObjectNode) Json.MAPPER.readTree(repository.resolve("events")
                    .resolve("http-get-stock.json").toFile());
        } catch (IOException e) {
            throw new LocalRuntimeException("Cannot read events/http-get-stock.json: " + e.getMessage(), e);
        }
        InvokeResult result = edge.functions().invoke(edge.stack().template().function("StockFunction"),
                event.toString());
        if (!(result.outcome() instanceof InvokeOutcome.Success s)) {
            throw new LocalRuntimeException("GET /v1/stock in " + edge.name() + " failed: "
                    + result.outcome().summary());
        }
        JsonNode response = readJson(s.responseJson());
        if (response.path("statusCode").asInt() != 200) {
            throw new LocalRuntimeException("GET /v1/stock in " + edge.name() + " answered "
                    + response.path("statusCode").asText() + ": " + response.path("body").asText());
        }
        return readJson(response.path("body").asText());
    }

    private static void keepRunning(URI endpoint, String central, List<String> edges, CliContext context) {
        context.out().println();
        context.out().println("moto_server keeps running at " + endpoint + " until Ctrl-C. Try:");
        context.out().println("  bin/edge-inventory analytics availability " + SKU + " --endpoint " + endpoint
                + " --region " + central);
        context.out().println("  bin/edge-inventory analytics top-sellers --edge " + edges.getFirst()
                + " --endpoint "
                + endpoint + " --region " + central + " --format csv");
        context.out().println("  bin/edge-inventory analytics freshness --endpoint " + endpoint + " --region " + central);
        context.out().flush();
        CountDownLatch forever = new CountDownLatch(1);
        try {
            forever.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return AnalyticsResponse.READER.readTree(text);
        } catch (IOException e) {
            throw new LocalRuntimeException("not JSON: " + text);
        }
    }


    private static CliContext errOnly(CliContext context) {
        return new CliContext(context.err(), context.err(), context.cwd(), context.environment(), context.repoRoot());
    }
}
