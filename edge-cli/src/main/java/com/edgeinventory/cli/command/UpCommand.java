package com.edgeinventory.cli.command;

import com.edgeinventory.cli.dashboard.DashboardServer;

import com.edgeinventory.cli.UsageException;

import com.edgeinventory.local.system.LocalSystem;
import com.edgeinventory.local.system.RegionStack;
import com.edgeinventory.local.system.SampleUploads;

import com.edgeinventory.local.fault.CentralOutage;
import com.edgeinventory.local.fault.DynamoDbFaults;
import com.edgeinventory.local.fault.FaultPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code up}: the whole multi-region system on one machine. Starts moto (or uses {@code --endpoint}), provisions
 * template.yaml as central in {@code --central} and as an edge (forwarding to the central stream) in every
 * {@code --regions} region, then wires every function to its triggers as Lambda would, reading the settings from
 * the template: S3 notifications (through their SQS queues) as asynchronous invocations with retries and the
 * OnFailure destination, DynamoDB Streams and Kinesis event source mappings, HTTP APIs, and
 * {@code rate(...)} schedules (see {@link LocalSystem}). Logs one line per invocation; Ctrl-C stops it.
 */
final class UpCommand {

    static final String NAME = "up";
    static final Set<String> OPTIONS = Set.of("regions", "central", "endpoint", "port", "data", "template", "fault",
            "dynamodb-faults", "central-outage", "no-iam", "no-transaction-conflicts", "warm", CliArgs.PARAMETER_OVERRIDES);
    static final Set<String> FLAGS = Set.of("no-iam", "no-transaction-conflicts", "warm");
    static final String USAGE = """
            Usage: edge-inventory up [--regions eu-west-1,us-east-1] [--central us-east-2] [--endpoint URL]
                                     [--port N] [--data DIR] [--template FILE]
                                     [--fault F:KIND:TEXT[;...]] [--dynamodb-faults throttle=P,error=P[,...]]
                                     [--central-outage FILE] [--parameter-overrides K=V ...] [--no-iam] [--warm]
                                     [--no-transaction-conflicts]

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
            and the analysts' dashboard on the next port, reading the central analytics API.
            Prints the endpoint and the buckets, then one line per invocation: function, trigger, duration,
            outcome. Functions run in warm execution environments (a JVM with the Lambda runtime interface
            client per function, at most 2 each, kept 10 minutes). A SnapStart function (all of ours) is
            published before ready, as sam deploy does: its init and beforeCheckpoint hooks run once and the
            snapshot is kept; a cold start restores it, as Lambda does.

              --regions R,R   edge regions (default eu-west-1,us-east-1)
              --central R     the central region (default us-east-2)
              --endpoint URL  use this running endpoint instead of starting moto_server
              --port N        the first HTTP API port (default 3000; 0 = free ports)
              --data DIR      keep the state between runs: moto's tables, streams, buckets and queues and
                              the mappings' checkpoints, saved every 2 s and at Ctrl-C; a restart resumes
                              every shard after its checkpoint (default: fresh, nothing kept)
              --template FILE default: the repository's template.yaml
              --warm          also restore one execution environment of every function before ready, as
                              provisioned concurrency would (default: restored on first use, as Lambda)
              --no-iam        do not check the functions' AWS calls against their roles (IAM is enforced by
                              default: each function's requests to DynamoDB, S3, SQS and Kinesis need its
                              template role's permission on that action and ARN, else AWS's AccessDenied)
              --no-transaction-conflicts
                              do not emulate DynamoDB's transaction conflicts (emulated by default: a
                              TransactWriteItems that overlaps another in flight on one item is cancelled with
                              TransactionConflict, a single write of such an item gets
                              TransactionConflictException)
              --parameter-overrides K=V ...  template parameters for every region, e.g.
                              ForwarderMaxRecordAgeSeconds=60 (DeploymentRole and CentralStreamArn are set by up)

            Test hooks (faults, off by default):
              --fault SPEC    FunctionLogicalId:fail|crash|timeout:TEXT, several separated by ';': an event of
                              that function containing TEXT ('*' = any) ends as an error (InjectedFault),
                              a crash or a timeout without running it, e.g.
                              InventoryStreamForwarder:fail:TR-RUN-42-BLU
              --dynamodb-faults throttle=0.2,error=0.05[,ops=TransactWriteItems+UpdateItem][,seed=N]
                              the functions reach DynamoDB through a proxy that answers that share of calls
                              with a throttle (ProvisionedThroughputExceededException) or an HTTP 500
                              before they reach the table
              --central-outage FILE
                              while FILE exists, central is down for the edges: the functions' Kinesis
                              calls (forwarders, outbox drainers) are answered with HTTP 503; touch and
                              delete FILE while up runs
            """;

    private UpCommand() {
    }

    static int run(CliArgs args, CliContext context) {
        if (!args.positional().isEmpty()) {
            throw new UsageException(NAME, "up takes no arguments, got " + args.positional());
        }
        LocalSystem.Options options = options(args, context);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "up-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (LocalSystem system = LocalSystem.start(options, context::progress);
             DashboardServer dashboard = DashboardServer.startFor(system, line -> context.progress("dashboard " + line))
                     .orElse(null)) {
            printEndpoints(system, Optional.ofNullable(dashboard), context);
            stop.await();
            context.progress("stopping" + options.dataDir().map(d -> "; saving the state to " + d).orElse(""));
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            stopped.countDown();
        }
    }

    /** The options up and demo share. */
    static LocalSystem.Options options(CliArgs args, CliContext context) {
        List<String> edges = CliArgs.regionList(NAME, args.option("regions").orElse("eu-west-1,us-east-1"));
        String central = args.option("central").orElse("us-east-2").trim();
        CliArgs.requireRegionName(NAME, central);
        if (edges.contains(central)) {
            throw new UsageException(NAME, "the central region " + central + " cannot also be an edge region");
        }
        int port = args.option("port").map(UpCommand::port).orElse(3000);
        Optional<Path> data = args.option("data").map(context::resolve);
        if (data.isPresent() && args.endpoint().isPresent()) {
            throw new UsageException(NAME, "--data keeps the state of the moto that up starts; leave out --endpoint");
        }
        FaultPlan faults;
        Optional<DynamoDbFaults> dynamoDbFaults;
        try {
            faults = FaultPlan.parse(args.option("fault").map(List::of).orElse(List.of()));
            dynamoDbFaults = args.option("dynamodb-faults").map(DynamoDbFaults::parse);
        } catch (IllegalArgumentException e) {
            throw new UsageException(NAME, e.getMessage());
        }
        for (String fixed : List.of("DeploymentRole", "CentralStreamArn")) {
            if (args.parameterOverrides().containsKey(fixed)) {
                throw new UsageException(NAME, fixed + " is set by up for each region; leave it out of"
                        + " --parameter-overrides");
            }
        }
        return new LocalSystem.Options(context.templateFile(args), central, edges, args.endpoint(), port, data,
                Duration.ofSeconds(2), faults, dynamoDbFaults,
                args.option("central-outage").map(context::resolve).map(CentralOutage::new),
                args.parameterOverrides(), !args.flag("no-iam"), args.flag("warm"), context.iamReport(),
                !args.flag("no-transaction-conflicts"), false);
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

    private static void printEndpoints(LocalSystem system, Optional<DashboardServer> dashboard, CliContext context) {
        context.out().println("edge-inventory is up. AWS endpoint (moto): " + system.endpoint());
        system.faultProxy().ifPresent(p -> context.out().println("  functions' DynamoDB through the fault proxy "
                + p.uri() + " (" + p.faults() + ")"));
        for (RegionStack region : system.regions()) {
            StringBuilder line = new StringBuilder("  " + region.name() + (region.central() ? " (central)" : " (edge)"));
            region.stack().resources().find(SampleUploads.BUCKET)
                    .ifPresent(b -> line.append("  bucket s3://").append(b.physicalId()));
            region.stack().resources().find("CentralStream")
                    .ifPresent(s -> line.append("  stream ").append(s.physicalId()));
            context.out().println(line);
            for (LocalSystem.Api api : system.apis()) {
                if (api.region() == region) {
                    context.out().println("    " + api.apiId() + " " + api.server().uri());
                }
            }
        }
        dashboard.ifPresent(d -> context.out().println("Dashboard: " + d.url()));
        context.out().println("Analytics: bin/edge-inventory analytics freshness --endpoint " + system.endpoint()
                + " --region " + system.central().name());
        context.out().println("Ctrl-C stops it.");
        context.out().flush();
    }
}
