package com.edgeinventory.local.system;

import com.edgeinventory.local.LocalRuntimeException;
import com.edgeinventory.local.apigw.HttpApiRoutes;
import com.edgeinventory.local.apigw.HttpApiServer;
import com.edgeinventory.local.trigger.esm.SqsFailureDestination;
import com.edgeinventory.local.trigger.esm.StreamMapping;
import com.edgeinventory.local.trigger.esm.StreamPoller;
import com.edgeinventory.local.trigger.async.S3NotificationQueue;
import com.edgeinventory.local.fault.CentralOutage;
import com.edgeinventory.local.fault.DynamoDbFaults;
import com.edgeinventory.local.fault.FaultPlan;
import com.edgeinventory.local.fault.FaultProxy;
import com.edgeinventory.local.fault.IamGate;
import com.edgeinventory.local.fault.TransactionConflicts;
import com.edgeinventory.local.fault.FaultingInvoker;
import com.edgeinventory.local.invoke.FunctionIdentities;
import com.edgeinventory.local.metrics.FunctionMetrics;
import com.edgeinventory.local.meter.UsageMeter;
import com.edgeinventory.local.invoke.InvokeResult;
import com.edgeinventory.local.invoke.LocalInvoker;
import com.edgeinventory.local.invoke.WarmInvoker;
import com.edgeinventory.local.moto.MotoServer;
import com.edgeinventory.local.provision.NotificationQueues;
import com.edgeinventory.local.trigger.async.AsyncInvoker;
import com.edgeinventory.local.trigger.schedule.ScheduleRate;
import com.edgeinventory.local.template.EventSource;
import com.edgeinventory.local.template.FunctionDef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole multi-region system on one machine, started programmatically ({@code up}, {@code demo}, tests):
 * a local AWS endpoint, template.yaml provisioned as central and as edges forwarding to it, and every function
 * wired to its triggers with the template's settings (S3 notifications as asynchronous invocations, DynamoDB
 * Streams and Kinesis event source mappings, rate() schedules, HTTP APIs on local ports), in warm execution
 * environments.
 *
 * <p>With a data directory, moto's state and the mappings' checkpoints are saved together every
 * {@code snapshotEvery} and on {@link #close()}, while no stream batch is in flight (a write lock the pollers
 * share), and loaded at start: a restarted stack resumes each shard after its checkpoint. S3 notification messages
 * are deleted only once their invocation is finished with, so a kill loses none (they come back after the
 * visibility timeout).
 */
public final class LocalSystem implements AutoCloseable {

    /**
     * How to start it. {@code port} 0 = free ports; {@code dataDir} empty = fresh, nothing kept; {@code faults}
     * (function faults by event content) and {@code dynamoDbFaults} (the functions' DynamoDB calls go through a
     * {@link FaultProxy}) are test hooks, off by default.
     */
    /**
     * @param iam       the functions' AWS calls are checked against their roles (on by default; {@code --no-iam})
     * @param iamReport where {@link #close()} writes what each function's traffic was allowed (a test hook)
     * @param transactionConflicts DynamoDB's transaction conflicts emulated between the functions' calls (on by
     *                  default; {@code --no-transaction-conflicts})
     * @param meterCalls the functions' AWS calls metered in {@link #usage()} (sizing DynamoDB's units costs a read
     *                  of each updated item, so only a run that reports its usage asks for it: the demo)
     */
    public record Options(Path templateFile, String central, List<String> edges, Optional<URI> endpoint, int port,
                          Optional<Path> dataDir, Duration snapshotEvery, FaultPlan faults,
                          Optional<DynamoDbFaults> dynamoDbFaults, Optional<CentralOutage> centralOutage,
                          Map<String, String> parameterOverrides, boolean iam, boolean warm,
                          Optional<Path> iamReport, boolean transactionConflicts, boolean meterCalls) {
        public Options {
            edges = List.copyOf(edges);
            parameterOverrides = Map.copyOf(parameterOverrides);
        }

        public Options(Path templateFile, String central, List<String> edges, Optional<URI> endpoint, int port,
                       Optional<Path> dataDir, Duration snapshotEvery, FaultPlan faults,
                       Optional<DynamoDbFaults> dynamoDbFaults, Optional<CentralOutage> centralOutage,
                       Map<String, String> parameterOverrides) {
            this(templateFile, central, edges, endpoint, port, dataDir, snapshotEvery, faults, dynamoDbFaults,
                    centralOutage, parameterOverrides, true, false, Optional.empty(), true, false);
        }

        public Options withIam(boolean on) {
            return new Options(templateFile, central, edges, endpoint, port, dataDir, snapshotEvery, faults,
                    dynamoDbFaults, centralOutage, parameterOverrides, on, warm, iamReport,
                    transactionConflicts, meterCalls);
        }

        /** With {@code warm}, every function's first environment starts before ready (provisioned concurrency). */
        public Options withWarm(boolean on) {
            return new Options(templateFile, central, edges, endpoint, port, dataDir, snapshotEvery, faults,
                    dynamoDbFaults, centralOutage, parameterOverrides, iam, on, iamReport,
                    transactionConflicts, meterCalls);
        }

        public Options withTransactionConflicts(boolean on) {
            return new Options(templateFile, central, edges, endpoint, port, dataDir, snapshotEvery, faults,
                    dynamoDbFaults, centralOutage, parameterOverrides, iam, warm, iamReport, on, meterCalls);
        }

        public Options withCallsMetered(boolean on) {
            return new Options(templateFile, central, edges, endpoint, port, dataDir, snapshotEvery, faults,
                    dynamoDbFaults, centralOutage, parameterOverrides, iam, warm, iamReport, transactionConflicts, on);
        }

        public Options withIamReport(Optional<Path> file) {
            return new Options(templateFile, central, edges, endpoint, port, dataDir, snapshotEvery, faults,
                    dynamoDbFaults, centralOutage, parameterOverrides, iam, warm, file,
                    transactionConflicts, meterCalls);
        }

        /** {@code centralOutage}: the functions' Kinesis calls refused while its file exists (a test hook). */
        public Options(Path templateFile, String central, List<String> edges, Optional<URI> endpoint, int port,
                       Optional<Path> dataDir, Duration snapshotEvery, FaultPlan faults,
                       Optional<DynamoDbFaults> dynamoDbFaults) {
            this(templateFile, central, edges, endpoint, port, dataDir, snapshotEvery, faults, dynamoDbFaults,
                    Optional.empty(), Map.of());
        }

        public Options(Path templateFile, String central, List<String> edges, Optional<URI> endpoint, int port,
                       Optional<Path> dataDir, Duration snapshotEvery) {
            this(templateFile, central, edges, endpoint, port, dataDir, snapshotEvery, FaultPlan.none(),
                    Optional.empty());
        }
    }

    /** One HTTP API served locally. */
    public record Api(RegionStack region, String apiId, HttpApiServer server) {
    }

    static final int NOTIFICATION_VISIBILITY_SECONDS = 120;
    public static final String ANALYTICS_API = "AnalyticsApi";
    /** The edge HTTP API the store devices call. */
    public static final String RETAIL_API = "RetailApi";
    /** The central function behind the analytics API. */
    public static final String ANALYTICS_FUNCTION = "AnalyticsQueryFunction";

    private final Options options;
    private final Progress progress;
    private final Optional<MotoServer> moto;
    private final URI endpoint;
    private final WarmInvoker invoker;
    private final List<RegionStack> regions;
    private final List<AsyncInvoker> asyncs = new ArrayList<>();
    private final List<Api> apis = new ArrayList<>();
    private PrintStream functionLog;
    /** The functions' EMF business metrics, printed every minute and at the end. */
    private FunctionMetrics metrics = new FunctionMetrics();
    private Optional<FaultProxy> faultProxy = Optional.empty();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, StreamPoller> pollers = new LinkedHashMap<>();
    private final Map<String, Boolean> idle = new ConcurrentHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final ReentrantReadWriteLock batches = new ReentrantReadWriteLock(true);
    /** The functions' own credentials (container endpoint for SnapStart functions); closed last. */
    private FunctionIdentities identities;
    private FaultingInvoker faulting;
    /** What the functions used, as AWS bills it; restarted when the system is ready. */
    private UsageMeter usage;
    /** The IAM check in front of moto, unless --no-iam. */
    private Optional<IamGate> iam = Optional.empty();
    /** The time of the events the system makes (API requests, schedules); real unless a driver shifts it. */
    private final SimulatedClock clock = new SimulatedClock();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "local-system-timers");
        t.setDaemon(true);
        return t;
    });

    private LocalSystem(Options options, Progress progress, Optional<MotoServer> moto, URI endpoint,
                        WarmInvoker invoker, List<RegionStack> regions) {
        this.options = options;
        this.progress = progress;
        this.moto = moto;
        this.endpoint = endpoint;
        this.invoker = invoker;
        this.regions = regions;
    }

    /** Starts the system; {@code progress} gets a line for each step and for what the triggers do. */
    public static LocalSystem start(Options options, Progress progress) {
        PortCheck.requireFree(options); // before moto starts: a taken port is one line, not a stack trace
        Optional<Path> stateFile = options.dataDir().map(d -> d.resolve("moto.state"));
        options.dataDir().ifPresent(LocalSystem::createDirectories);
        if (options.dataDir().isPresent() && options.endpoint().isPresent()) {
            throw new LocalRuntimeException("--data keeps the state of the moto that up starts; it cannot be "
                    + "combined with --endpoint");
        }
        Optional<MotoServer> moto = Optional.empty();
        URI endpoint;
        if (options.endpoint().isPresent()) {
            endpoint = options.endpoint().get();
        } else {
            boolean restoring = stateFile.filter(Files::exists).isPresent();
            progress.accept("starting moto_server" + (restoring ? " from " + stateFile.get() : ""));
            Path log = options.dataDir().map(d -> d.resolve("moto.log")).orElseGet(LocalSystem::tempLog);
            MotoServer server = MotoServer.start(log, stateFile);
            moto = Optional.of(server);
            endpoint = server.endpoint();
        }
        // The functions' own output goes to a file, so the console keeps one line per invocation.
        Path functionLogFile = options.dataDir().map(d -> d.resolve("functions.log"))
                .orElseGet(() -> tempFile("edge-inventory-functions-"));
        FunctionMetrics metrics = new FunctionMetrics();
        UsageMeter usage = new UsageMeter(Instant.now());
        PrintStream functionLog = openLog(functionLogFile, metrics, usage);
        progress.accept("the functions' own logs go to " + functionLogFile);
        WarmInvoker invoker = new WarmInvoker(LocalInvoker.locateRic(options.templateFile().getParent()),
                functionLog, 2, WarmInvoker.DEFAULT_IDLE_TIMEOUT);
        // The functions' AWS endpoint is the proxy that checks IAM (and injects the test hooks' faults);
        // provisioning, the pollers and our own clients stay direct.
        URI direct = endpoint;
        FunctionIdentities identities = new FunctionIdentities();
        Optional<FaultProxy> proxy = !options.iam() && options.dynamoDbFaults().isEmpty()
                && options.centralOutage().isEmpty() && !options.transactionConflicts() && !options.meterCalls()
                ? Optional.empty()
                : Optional.of(FaultProxy.start(direct, options.dynamoDbFaults().orElse(DynamoDbFaults.NONE),
                options.centralOutage(),
                options.transactionConflicts() ? Optional.of(new TransactionConflicts()) : Optional.empty(),
                options.meterCalls() ? Optional.of(new FaultProxy.Metering(usage, key -> identities
                        .byAccessKeyId(key).map(i -> i.region() + "/" + i.function().logicalId())))
                        : Optional.empty(), progress));
        proxy.ifPresent(p -> progress.accept("the functions' AWS calls go through " + p.uri() + " ("
                + (options.iam() ? "IAM enforced; " : "IAM not checked (--no-iam); ")
                + (options.transactionConflicts() ? "transaction conflicts emulated; "
                        : "no transaction conflicts (--no-transaction-conflicts); ") + p.faults() + ")"
                + p.centralOutage().map(o -> "; " + o).orElse("")));
        invoker.onRestore(identities::restored);
        FaultingInvoker faulting = new FaultingInvoker(invoker::invoke, options.faults(),
                proxy.map(FaultProxy::uri), progress);
        java.util.function.Function<com.edgeinventory.local.invoke.InvokeRequest, InvokeResult> metered = request -> {
            InvokeResult result = faulting.apply(request);
            usage.invocation(request.region() + "/" + request.function().logicalId(), request.function().memorySize(),
                    result.duration(), result.succeeded());
            return result;
        };
        List<RegionStack> regions;
        Optional<IamGate> iamGate = Optional.empty();
        try {
            regions = RegionStack.openAll(options.templateFile(), options.central(), options.edges(), endpoint,
                    metered, identities, progress, Progress.to(functionLog), options.parameterOverrides());
            List<String> unknown = options.faults().unknownFunctions(regions.stream()
                    .flatMap(r -> r.stack().template().functions().stream()).map(FunctionDef::logicalId).toList());
            if (!unknown.isEmpty()) {
                regions.forEach(RegionStack::close);
                throw new LocalRuntimeException("--fault names functions the template does not have: " + unknown);
            }
            if (options.iam()) {
                Map<String, com.edgeinventory.local.template.ResolvedTemplate> templates = new LinkedHashMap<>();
                regions.forEach(r -> templates.put(r.name(), r.stack().template()));
                IamGate gate = new IamGate(identities, templates, progress);
                proxy.orElseThrow().enforce(gate);
                iamGate = Optional.of(gate);
            }
        } catch (RuntimeException e) {
            proxy.ifPresent(FaultProxy::close);
            invoker.close();
            identities.close();
            functionLog.close();
            moto.ifPresent(MotoServer::close);
            throw e;
        }
        LocalSystem system = new LocalSystem(options, progress, moto, endpoint, invoker, regions);
        system.functionLog = functionLog;
        system.metrics = metrics;
        system.faultProxy = proxy;
        system.identities = identities;
        system.iam = iamGate;
        system.faulting = faulting;
        system.usage = usage;
        try {
            system.wire();
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
        return system;
    }

    /**
     * {@code --warm}: one execution environment of every function of every region, started in parallel and
     * initialised (SnapStart hooks included) before the system is ready, as provisioned concurrency would.
     */
    private void prewarm() {
        long start = System.nanoTime();
        int[] done = inParallel(f -> true, request -> invoker.prewarm(request).isPresent());
        progress.accept("warm: " + done[0] + " of " + done[1] + " execution environments initialised in "
                + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    /**
     * What {@code sam deploy} does for a SnapStart function (every function here): publishing its version runs the
     * init and the {@code beforeCheckpoint} hooks once and keeps the snapshot, so that a cold start restores it
     * instead of initialising. In parallel, before any trigger is wired, as a deploy finishes before traffic.
     */
    private void publishSnapshots() {
        long start = System.nanoTime();
        int[] done = inParallel(FunctionDef::snapStart, request -> invoker.publish(request).isPresent());
        if (done[1] == 0) {
            return;
        }
        progress.accept("snapstart: " + done[0] + " of " + done[1] + " function versions published "
                + "(init and beforeCheckpoint run, snapshot kept) in " + (System.nanoTime() - start) / 1_000_000
                + " ms" + (done[0] < done[1] ? "; the others cold-start on first use" : ""));
    }

    /**
     * Runs {@code task} for the functions of every region that {@code which} selects, all at once, and returns
     * {how many succeeded, how many ran}.
     */
    private int[] inParallel(java.util.function.Predicate<FunctionDef> which,
                             java.util.function.Predicate<com.edgeinventory.local.invoke.InvokeRequest> task) {
        List<java.util.concurrent.Future<Boolean>> runs = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (RegionStack region : regions) {
                for (FunctionDef function : region.stack().template().functions()) {
                    if (which.test(function)) {
                        runs.add(pool.submit(() -> task.test(faulting.functionsView(
                                region.functions().request(function, "{}")))));
                    }
                }
            }
        }
        int succeeded = (int) runs.stream().filter(f -> {
            try {
                return f.get();
            } catch (Exception e) {
                return false;
            }
        }).count();
        return new int[] {succeeded, runs.size()};
    }

    private void wire() {
        publishSnapshots();
        Map<String, Map<String, String>> saved = loadCheckpoints();
        for (RegionStack region : regions) {
            AsyncInvoker async = new AsyncInvoker((f, e) -> region.functions().invoke(f, e),
                    new SqsFailureDestination(r -> region.stack().clients().sqs()), Clock.systemUTC(),
                    Duration.ofSeconds(1), 4, progress.prefixed(region.name() + " "));
            asyncs.add(async);
            streamLoops(region, saved);
            threads.add(s3Loop(region, async));
            schedules(region, async);
        }
        for (RegionStack region : regions) {
            for (String apiId : HttpApiRoutes.httpApiIds(region.stack().template())) {
                HttpApiRoutes routes = HttpApiRoutes.of(region.stack().template(), apiId);
                int port = options.port() == 0 ? 0 : options.port() + apis.size();
                apis.add(new Api(region, apiId, HttpApiServer.start(routes,
                        (f, e) -> region.functions().invoke(f, e),
                        HttpApiServer.Options.of(port, apiId, region.name(), region.stack().template().accountId())
                                .withClock(clock),
                        line -> {
                            usage.httpRequest(region.name() + "/" + apiId);
                            progress.accept(region.name() + " " + apiId + " " + line);
                        })));
            }
        }
        threads.forEach(Thread::start);
        if (options.warm()) {
            prewarm();
        }
        usage.restart(Instant.now());
        // What CloudWatch would show of the functions' EMF business metrics, a line a minute when any came in.
        timers.scheduleAtFixedRate(() -> {
            Map<String, Double> minute = metrics.sinceLast();
            if (!minute.isEmpty()) {
                progress.accept("metrics (last minute): " + FunctionMetrics.render(minute));
            }
        }, 60, 60, TimeUnit.SECONDS);
        if (options.dataDir().isPresent() && moto.isPresent()) {
            long every = options.snapshotEvery().toMillis();
            timers.scheduleWithFixedDelay(this::snapshotQuietly, every, every, TimeUnit.MILLISECONDS);
        }
    }

    // ------------------------------------------------------------------ accessors

    public URI endpoint() {
        return endpoint;
    }

    /**
     * The clock API requests and schedules are stamped with: shift it to simulate other days (the functions date
     * purchases by it).
     */
    public SimulatedClock clock() {
        return clock;
    }

    public List<RegionStack> regions() {
        return regions;
    }

    public RegionStack central() {
        return regions.getFirst();
    }

    public List<RegionStack> edges() {
        return regions.subList(1, regions.size());
    }

    public List<Api> apis() {
        return List.copyOf(apis);
    }

    /** The DynamoDB fault proxy in front of the endpoint for the functions, when {@code dynamoDbFaults} is on. */
    public Optional<FaultProxy> faultProxy() {
        return faultProxy;
    }

    /**
     * What the functions used since the system was ready (publishing the SnapStart versions is a deploy, not
     * use): invocations and handler time, HTTP API requests and log bytes, and with {@link Options#meterCalls()}
     * their AWS calls with DynamoDB units and Kinesis payload units.
     */
    public UsageMeter usage() {
        return usage;
    }

    /** The central region's analytics API, which the analysts' dashboard serves against. */
    public Optional<Api> analyticsApi() {
        return apis.stream().filter(a -> a.region().central() && a.apiId().equals(ANALYTICS_API)).findFirst();
    }

    /**
     * The port for one more local server after the HTTP APIs (the dashboard): the next of {@code --port}'s range,
     * which {@link PortCheck} checked before start, or 0 for a free one.
     */
    public int nextPort() {
        return options.port() == 0 ? 0 : options.port() + apis.size();
    }

    /** The local URL of a region's HTTP API (e.g. RetailApi, AnalyticsApi). */
    public URI httpApi(String region, String apiId) {
        return apis.stream().filter(a -> a.region().name().equals(region) && a.apiId().equals(apiId))
                .map(a -> a.server().uri()).findFirst()
                .orElseThrow(() -> new LocalRuntimeException("no HTTP API " + apiId + " in " + region));
    }

    /** Registers a device of {@code store} in the region's devices table; returns its Authorization value. */
    public String addDevice(String region, String store, String device) {
        RegionStack edge = edge(region);
        String table = edge.stack().resources().physicalId(LocalDevices.TABLE);
        return LocalDevices.register(edge.stack().clients().dynamoDb(), table, store, device);
    }

    public RegionStack edge(String region) {
        return edges().stream().filter(r -> r.name().equals(region)).findFirst()
                .orElseThrow(() -> new LocalRuntimeException("no edge region " + region));
    }

    /** Runs a function of a region once, like an API call would (warm). */
    public InvokeResult invoke(String region, String logicalId, String eventJson) {
        RegionStack r = regions.stream().filter(x -> x.name().equals(region)).findFirst()
                .orElseThrow(() -> new LocalRuntimeException("no region " + region));
        return r.functions().invoke(r.function(logicalId), eventJson);
    }

    /**
     * Waits until every trigger is quiet: no S3 notification queued or being handled, and every mapping's last
     * poll found nothing. Returns false when {@code max} passed first.
     */
    public boolean awaitIdle(Duration max) throws InterruptedException {
        Instant deadline = Instant.now().plus(max);
        int quietRounds = 0;
        while (Instant.now().isBefore(deadline)) {
            boolean quiet = asyncs.stream().allMatch(a -> a.pending() == 0)
                    && idle.values().stream().allMatch(Boolean::booleanValue)
                    && notificationsEmpty();
            quietRounds = quiet ? quietRounds + 1 : 0;
            if (quietRounds >= 3) {
                return true;
            }
            Thread.sleep(300);
        }
        return false;
    }

    // ------------------------------------------------------------------ triggers

    private void streamLoops(RegionStack region, Map<String, Map<String, String>> saved) {
        for (FunctionDef function : region.stack().template().functions()) {
            for (StreamMapping mapping : StreamMapping.of(function)) {
                String key = region.name() + "/" + mapping.label();
                StreamPoller poller = region.streamPoller(mapping, saved.getOrDefault(key, Map.of()),
                        progress.prefixed(region.name() + " "));
                pollers.put(key, poller);
                idle.put(key, false);
                long idleMillis = 200;
                threads.add(daemon(key, () -> {
                    while (!stopping.get()) {
                        boolean wasIdle = false;
                        batches.readLock().lock();
                        try {
                            wasIdle = poller.poll().idle();
                        } catch (RuntimeException e) {
                            progress.accept(key + ": polling failed, retrying: " + e.getMessage());
                        } finally {
                            batches.readLock().unlock();
                        }
                        idle.put(key, wasIdle && poller.buffered() == 0);
                        if (wasIdle) {
                            sleep(idleMillis);
                        }
                    }
                }));
            }
        }
    }

    private boolean notificationsEmpty() {
        for (RegionStack region : edges()) {
            for (S3NotificationQueue q : S3NotificationQueue.of(region.stack())) {
                Map<String, String> attributes = region.stack().clients().sqs().getQueueAttributes(
                        b -> b.queueUrl(q.url()).attributeNamesWithStrings("ApproximateNumberOfMessages",
                                "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
                if (!"0".equals(attributes.getOrDefault("ApproximateNumberOfMessages", "0"))
                        || !"0".equals(attributes.getOrDefault("ApproximateNumberOfMessagesNotVisible", "0"))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** S3 notifications moto put on each function's queue, invoked asynchronously; deleted once finished with. */
    private Thread s3Loop(RegionStack region, AsyncInvoker async) {
        List<S3NotificationQueue> queues = S3NotificationQueue.of(region.stack());
        SqsClient sqs = region.stack().clients().sqs();
        return daemon(region.name() + " s3", () -> {
            while (!stopping.get() && !queues.isEmpty()) {
                boolean any = false;
                for (S3NotificationQueue q : queues) {
                    try {
                        for (S3NotificationQueue.Notification n : q.receive(sqs, NOTIFICATION_VISIBILITY_SECONDS)) {
                            any = true;
                            Runnable delete = () -> q.delete(sqs, n);
                            if (n.objectUri() == null) {
                                delete.run();
                            } else {
                                async.submit(q.function(), n.objectUri(), n.event(), delete);
                            }
                        }
                    } catch (RuntimeException e) {
                        if (!stopping.get()) {
                            progress.accept(region.name() + " s3 notifications of " + q.function().logicalId()
                                    + ": " + e.getMessage());
                        }
                    }
                }
                if (!any) {
                    sleep(200);
                }
            }
        });
    }

    private void schedules(RegionStack region, AsyncInvoker async) {
        for (FunctionDef function : region.stack().template().functions()) {
            for (EventSource e : function.events()) {
                if (!(e instanceof EventSource.Generic g) || !g.type().equals("Schedule")) {
                    continue;
                }
                String expression = String.valueOf(g.properties().get("Schedule"));
                Optional<Duration> period = ScheduleRate.parse(expression);
                if (period.isEmpty()) {
                    progress.accept(region.name() + " " + function.logicalId() + "/" + g.name() + ": schedule "
                            + expression + " is not emulated (rate(...) only)");
                    continue;
                }
                long millis = period.get().toMillis();
                timers.scheduleAtFixedRate(() -> async.submit(function, "schedule " + expression,
                        scheduledEvent(region, function, g.name(), clock.instant()).toString()), millis, millis,
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    /** The EventBridge "Scheduled Event" a rule sends. */
    static ObjectNode scheduledEvent(RegionStack region, FunctionDef function, String eventName, Instant time) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        String account = region.stack().template().accountId();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", account);
        event.put("time", time.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        event.put("region", region.name());
        event.putArray("resources").add("arn:aws:events:" + region.name() + ":" + account + ":rule/"
                + function.functionName() + "-" + eventName);
        event.putObject("detail");
        return event;
    }

    // ------------------------------------------------------------------ --data

    /** Saves the checkpoints and moto's state together, with no stream batch in flight. */
    void snapshot() {
        if (options.dataDir().isEmpty() || moto.isEmpty()) {
            return;
        }
        batches.writeLock().lock();
        try {
            Map<String, Map<String, String>> checkpoints = new TreeMap<>();
            pollers.forEach((key, poller) -> checkpoints.put(key, new TreeMap<>(poller.checkpoints())));
            moto.get().saveState();
            Path file = options.dataDir().get().resolve("checkpoints.json");
            Path temporary = file.resolveSibling("checkpoints.json.tmp");
            Files.writeString(temporary, Json.pretty(Json.MAPPER.valueToTree(checkpoints)));
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the checkpoints to " + options.dataDir().get(), e);
        } finally {
            batches.writeLock().unlock();
        }
    }

    private void snapshotQuietly() {
        try {
            snapshot();
        } catch (RuntimeException e) {
            progress.accept("saving the state to " + options.dataDir().orElseThrow() + " failed: " + e.getMessage());
        }
    }

    private Map<String, Map<String, String>> loadCheckpoints() {
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        if (options.dataDir().isEmpty()) {
            return result;
        }
        Path file = options.dataDir().get().resolve("checkpoints.json");
        if (!Files.exists(file)) {
            return result;
        }
        try {
            JsonNode root = Json.MAPPER.readTree(file.toFile());
            root.fields().forEachRemaining(mapping -> {
                Map<String, String> shards = new LinkedHashMap<>();
                mapping.getValue().fields().forEachRemaining(shard -> shards.put(shard.getKey(),
                        shard.getValue().asText()));
                result.put(mapping.getKey(), shards);
            });
            progress.accept("resuming " + result.size() + " event source mappings from " + file);
            return result;
        } catch (IOException e) {
            throw new LocalRuntimeException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ lifecycle

    /** The functions' EMF business metrics so far, summed per name (lags: the maximum). */
    public Map<String, Double> metrics() {
        return metrics.total();
    }

    /**
     * With {@link Options#iamReport()} (a test hook), writes what each function's traffic was allowed,
     * {@code {"region/LogicalId": [{"action","resource"}, ...]}}: the permissions its real traffic needs.
     */
    private void writeIamReport() {
        if (options.iamReport().isEmpty() || iam.isEmpty()) {
            return;
        }
        var root = Json.MAPPER.createObjectNode();
        iamAllowed().forEach((function, checks) -> {
            var list = root.putArray(function);
            checks.forEach(c -> list.addObject().put("action", c.action()).put("resource", c.resource()));
        });
        try {
            Files.writeString(options.iamReport().get(), Json.pretty(root));
        } catch (IOException e) {
            progress.accept("cannot write the IAM report " + options.iamReport().get() + ": " + e.getMessage());
        }
    }

    /** What each function's traffic was allowed so far, by {@code region/LogicalId} (empty with --no-iam). */
    public Map<String, java.util.Set<com.edgeinventory.local.iam.ActionCheck>> iamAllowed() {
        return iam.map(IamGate::allowedSoFar).orElse(Map.of());
    }

    @Override
    public void close() {
        stopping.set(true);
        timers.shutdownNow();
        apis.forEach(a -> a.server().close());
        for (Thread t : threads) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        asyncs.forEach(AsyncInvoker::close);
        try {
            snapshot();
        } catch (RuntimeException e) {
            progress.accept("saving the state failed: " + e.getMessage());
        }
        regions.forEach(RegionStack::close);
        invoker.close();
        progress.accept("metrics (total): " + FunctionMetrics.render(metrics.total()));
        writeIamReport();
        if (identities != null) {
            identities.close();
        }
        faultProxy.ifPresent(p -> {
            progress.accept(p.summary());
            p.close();
        });
        moto.ifPresent(MotoServer::close);
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LocalRuntimeException("Cannot create the data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Path tempLog() {
        return tempFile("moto-server-");
    }

    private static Path tempFile(String prefix) {
        try {
            return Files.createTempFile(prefix, ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The functions' log file; the EMF lines in it feed {@code metrics}. */
    private static PrintStream openLog(Path file, FunctionMetrics metrics, UsageMeter usage) {
        try {
            java.io.OutputStream counted = new java.io.FilterOutputStream(Files.newOutputStream(file,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    usage.logBytes(len);
                    out.write(b, off, len);
                }

                @Override
                public void write(int b) throws IOException {
                    usage.logBytes(1);
                    out.write(b);
                }
            };
            return new PrintStream(metrics.tap(counted), true, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LocalRuntimeException("Cannot write the function log " + file + ": " + e.getMessage(), e);
        }
    }

}
