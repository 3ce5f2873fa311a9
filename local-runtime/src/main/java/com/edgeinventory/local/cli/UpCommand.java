package com.edgeinventory.local.cli;

import com.edgeinventory.local.api.HttpApiRoutes;
import com.edgeinventory.local.api.HttpApiServer;
import com.edgeinventory.local.esm.DynamoDbStreamReader;
import com.edgeinventory.local.esm.KinesisStreamReader;
import com.edgeinventory.local.esm.ShardReader;
import com.edgeinventory.local.esm.SqsFailureDestination;
import com.edgeinventory.local.esm.StreamMapping;
import com.edgeinventory.local.esm.StreamPoller;
import com.edgeinventory.local.events.S3Sequencers;
import com.edgeinventory.local.invoke.LocalInvoker;
import com.edgeinventory.local.invoke.WarmInvoker;
import com.edgeinventory.local.moto.MotoServer;
import com.edgeinventory.local.provision.NotificationQueues;
import com.edgeinventory.local.stack.AsyncInvoker;
import com.edgeinventory.local.stack.ScheduleRate;
import com.edgeinventory.local.template.EventSource;
import com.edgeinventory.local.template.FunctionDef;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code up}: the whole multi-region system on one machine. Starts moto (or uses {@code --endpoint}), provisions
 * template.yaml as central in {@code --central} and as an edge (forwarding to the central stream) in every
 * {@code --regions} region, then wires every function to its triggers as Lambda would, reading the settings from
 * the template: S3 notifications (through their SQS queues) as asynchronous invocations with retries and the
 * OnFailure destination, DynamoDB Streams and Kinesis event source mappings ({@link StreamPoller}), and
 * {@code rate(...)} schedules. Logs one line per invocation; Ctrl-C stops it.
 */
final class UpCommand {

    static final String NAME = "up";
    static final Set<String> OPTIONS = Set.of("regions", "central", "endpoint", "port", "template");
    static final String USAGE = """
            Usage: edge-inventory up [--regions eu-west-1,us-east-1] [--central us-east-2] [--endpoint URL]
                                     [--port N] [--template FILE]

            Runs the whole multi-region system locally until Ctrl-C: a moto_server on loopback (or the running
            endpoint given with --endpoint, e.g. LocalStack), template.yaml provisioned as DeploymentRole=central
            in --central and as DeploymentRole=edge in every --regions region, and every function wired to its
            triggers with the template's settings:
              S3 notifications      bucket -> SQS queue -> the function, invoked asynchronously (retries,
                                    EventInvokeConfig OnFailure destination)
              DynamoDB Streams,     event source mappings: order per shard, BatchSize, batching window,
              Kinesis               ReportBatchItemFailures, BisectBatchOnFunctionError, MaximumRetryAttempts,
                                    MaximumRecordAgeInSeconds, OnFailure destination
              Schedules             rate(...) expressions
              HTTP APIs             each region's HttpApi on its own local port (--port, --port+1, ...), as
                                    payload 2.0 events; the Lambda authorizer runs first (AWS_IAM: the
                                    SigV4 header is required, not verified)
            Prints the endpoint and the buckets, then one line per invocation: function, trigger, duration,
            outcome. Functions run in warm execution environments (a JVM with the Lambda runtime interface
            client per function, at most 2 each, kept 10 minutes), cold-started on first use as Lambda does.

              --regions R,R   edge regions (default eu-west-1,us-east-1)
              --central R     the central region (default us-east-2)
              --endpoint URL  use this running endpoint instead of starting moto_server
              --port N        the first HTTP API port (default 3000; 0 = free ports)
              --template FILE default: the repository's template.yaml
            """;

    private UpCommand() {
    }

    static int run(CliArgs args, CliContext context) {
        if (!args.positional().isEmpty()) {
            throw new UsageException(NAME, "up takes no arguments, got " + args.positional());
        }
        List<String> edges = RegionStack.regionList(NAME, args.option("regions").orElse("eu-west-1,us-east-1"));
        String central = args.option("central").orElse("us-east-2").trim();
        RegionStack.requireRegionName(NAME, central);
        if (edges.contains(central)) {
            throw new UsageException(NAME, "the central region " + central + " cannot also be an edge region");
        }
        int port = args.option("port").map(UpCommand::port).orElse(3000);
        Path templateFile = context.templateFile(args);
        WarmInvoker invoker = new WarmInvoker(LocalInvoker.locateRic(templateFile.getParent()), context.err(), 2,
                Duration.ofMinutes(10));
        Optional<MotoServer> moto = Optional.empty();
        URI endpoint;
        if (args.endpoint().isPresent()) {
            endpoint = args.endpoint().get();
        } else {
            context.progress("starting moto_server");
            MotoServer server = MotoServer.start();
            moto = Optional.of(server);
            endpoint = server.endpoint();
        }
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<RegionStack> regions = List.of();
        List<AsyncInvoker> asyncs = new ArrayList<>();
        List<Api> apis = new ArrayList<>();
        ScheduledExecutorService schedules = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "schedules");
            t.setDaemon(true);
            return t;
        });
        Thread hook = new Thread(() -> {
            stopping.set(true);
            try {
                stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "up-shutdown");
        try {
            regions = RegionStack.openAll(templateFile, central, edges, endpoint, invoker::invoke, context);
            for (RegionStack region : regions) {
                AsyncInvoker async = new AsyncInvoker((f, e) -> region.functions().invoke(f, e),
                        new SqsFailureDestination(r -> region.stack().clients().sqs()), Clock.systemUTC(),
                        Duration.ofSeconds(1), 2, line -> context.progress(region.name() + " " + line));
                asyncs.add(async);
                threads.addAll(streamLoops(region, stopping, context));
                threads.add(s3Loop(region, async, stopping, context));
                scheduleAll(region, async, schedules, context);
            }
            for (RegionStack region : regions) {
                for (String apiId : HttpApiRoutes.httpApiIds(region.stack().template())) {
                    HttpApiRoutes routes = HttpApiRoutes.of(region.stack().template(), apiId);
                    int next = port == 0 ? 0 : port + apis.size();
                    apis.add(new Api(region, apiId, HttpApiServer.start(routes,
                            (f, e) -> region.functions().invoke(f, e),
                            HttpApiServer.Options.of(next, apiId, region.name(), region.stack().template().accountId()),
                            line -> context.progress(region.name() + " " + apiId + " " + line))));
                }
            }
            Runtime.getRuntime().addShutdownHook(hook);
            threads.forEach(Thread::start);
            printEndpoints(endpoint, regions, apis, context);
            while (!stopping.get()) {
                Thread.sleep(200);
            }
            context.progress("stopping");
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            stopping.set(true);
            schedules.shutdownNow();
            apis.forEach(a -> a.server().close());
            for (Thread t : threads) {
                try {
                    t.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            asyncs.forEach(AsyncInvoker::close);
            regions.forEach(RegionStack::close);
            invoker.close();
            moto.ifPresent(MotoServer::close);
            stopped.countDown();
        }
    }

    /** One thread per event source mapping: poll, deliver, and wait a little when the stream is idle. */
    private static List<Thread> streamLoops(RegionStack region, AtomicBoolean stopping, CliContext context) {
        List<Thread> threads = new ArrayList<>();
        for (FunctionDef function : region.stack().template().functions()) {
            for (StreamMapping mapping : StreamMapping.of(function)) {
                ShardReader reader = mapping.kind() == StreamMapping.Kind.DYNAMODB
                        ? new DynamoDbStreamReader(region.stack().clients().dynamoDbStreams(), mapping.streamArn(),
                        region.name())
                        : new KinesisStreamReader(region.stack().clients().kinesis(), mapping.streamArn(),
                        region.name());
                StreamPoller poller = new StreamPoller(mapping, reader,
                        (m, event) -> region.functions().invoke(m.function(), event),
                        new SqsFailureDestination(r -> region.stack().clients().sqs()), Map.of(),
                        Clock.systemUTC(), line -> context.progress(region.name() + " " + line));
                long idleMillis = Math.max(250, mapping.batchingWindow().toMillis());
                threads.add(daemon(region.name() + " " + mapping.label(), () -> {
                    while (!stopping.get()) {
                        try {
                            StreamPoller.PollResult result = poller.poll();
                            if (result.idle()) {
                                Thread.sleep(idleMillis);
                            }
                        } catch (InterruptedException e) {
                            return;
                        } catch (RuntimeException e) {
                            context.progress(region.name() + " " + mapping.label() + ": polling failed, retrying: "
                                    + e.getMessage());
                            sleep(1000);
                        }
                    }
                }));
            }
        }
        return threads;
    }

    /** Takes the S3 notifications moto put on each function's queue and invokes the function asynchronously. */
    private static Thread s3Loop(RegionStack region, AsyncInvoker async, AtomicBoolean stopping,
                                 CliContext context) {
        record Queue(FunctionDef function, String event, String url) {
        }
        List<Queue> queues = new ArrayList<>();
        for (FunctionDef function : region.stack().template().functions()) {
            for (EventSource.S3 event : function.s3Events()) {
                queues.add(new Queue(function, event.name(),
                        region.stack().resources().queueUrl(NotificationQueues.logicalId(function, event))));
            }
        }
        return daemon(region.name() + " s3", () -> {
            while (!stopping.get() && !queues.isEmpty()) {
                boolean any = false;
                for (Queue q : queues) {
                    try {
                        List<Message> messages = region.stack().clients().sqs().receiveMessage(b -> b.queueUrl(q.url())
                                .maxNumberOfMessages(10).waitTimeSeconds(0).visibilityTimeout(600)).messages();
                        for (Message m : messages) {
                            any = true;
                            region.stack().clients().sqs().deleteMessage(b -> b.queueUrl(q.url())
                                    .receiptHandle(m.receiptHandle()));
                            String key = UploadSampleCommand.objectKey(m.body());
                            if (key != null) {
                                async.submit(q.function(), "s3://" + key, S3Sequencers.fillMissing(m.body()));
                            }
                        }
                    } catch (RuntimeException e) {
                        context.progress(region.name() + " s3 notifications of " + q.function().logicalId()
                                + ": " + e.getMessage());
                    }
                }
                if (!any) {
                    sleep(250);
                }
            }
        });
    }

    private static void scheduleAll(RegionStack region, AsyncInvoker async, ScheduledExecutorService schedules,
                                    CliContext context) {
        for (FunctionDef function : region.stack().template().functions()) {
            for (EventSource e : function.events()) {
                if (!(e instanceof EventSource.Generic g) || !g.type().equals("Schedule")) {
                    continue;
                }
                String expression = String.valueOf(g.properties().get("Schedule"));
                Optional<Duration> period = ScheduleRate.parse(expression);
                if (period.isEmpty()) {
                    context.progress(region.name() + " " + function.logicalId() + "/" + g.name() + ": schedule "
                            + expression + " is not emulated (rate(...) only)");
                    continue;
                }
                long millis = period.get().toMillis();
                schedules.scheduleAtFixedRate(() -> async.submit(function, "schedule " + expression,
                        scheduledEvent(region, function, g.name()).toString()), millis, millis, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** The EventBridge "Scheduled Event" a rule sends. */
    static ObjectNode scheduledEvent(RegionStack region, FunctionDef function, String eventName) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        String account = region.stack().template().accountId();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", account);
        event.put("time", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        event.put("region", region.name());
        event.putArray("resources").add("arn:aws:events:" + region.name() + ":" + account + ":rule/"
                + function.functionName() + "-" + eventName);
        event.putObject("detail");
        return event;
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(NAME, "--port must be a port number 0..65535, got '" + text + "'");
    }

    /** One region's HTTP API served locally. */
    private record Api(RegionStack region, String apiId, HttpApiServer server) {
    }

    private static void printEndpoints(URI endpoint, List<RegionStack> regions, List<Api> apis,
                                       CliContext context) {
        context.out().println("edge-inventory is up. AWS endpoint (moto): " + endpoint);
        for (RegionStack region : regions) {
            StringBuilder line = new StringBuilder("  " + region.name() + (region.central() ? " (central)" : " (edge)"));
            region.stack().resources().find(UploadSampleCommand.BUCKET)
                    .ifPresent(b -> line.append("  bucket s3://").append(b.physicalId()));
            region.stack().resources().find("CentralStream")
                    .ifPresent(s -> line.append("  stream ").append(s.physicalId()));
            context.out().println(line);
            for (Api api : apis) {
                if (api.region() == region) {
                    context.out().println("    " + api.apiId() + " " + api.server().uri());
                }
            }
        }
        context.out().println("Analytics: bin/edge-inventory analytics freshness --endpoint " + endpoint + " --region "
                + regions.getFirst().name());
        context.out().println("Ctrl-C stops it.");
        context.out().flush();
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
}
