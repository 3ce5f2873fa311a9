package com.edgeinventory.cli.command;

import com.edgeinventory.cli.UsageException;
import com.edgeinventory.local.apigw.HttpApiServer;


import com.edgeinventory.local.system.Progress;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.edgeinventory.local.LocalRuntimeException;

/**
 * {@code bin/edge-inventory}: provision, invoke, upload-sample, up, central-sample, device, analytics, redrive, demo,
 * deploy, cost, capacity, help. Exit
 * status 0 on success, 1 on failure, 2 on a usage error. Errors the user can fix are one clear line on stderr, never a stack trace.
 */
public final class Main {

    static final String PREFIX = Progress.PREFIX;
    /** System property bin/edge-inventory sets to the repository root. */
    public static final String REPO_ROOT_PROPERTY = "edge.repo.root";

    static final String USAGE = """
            Usage: edge-inventory <command> [options]

            Commands:
              provision      create template.yaml's tables, buckets, queues and streams at a local endpoint
              invoke         run one function locally through the real Lambda Java runtime client
              upload-sample  upload events/sample/ to a fresh local stack and run the functions it triggers
              device         add or disable a retail device (its key for the HTTP API's Authorization header)
              up             the whole multi-region system locally, every function wired to its triggers
              central-sample two edge regions and the central region end to end: uploads and sales in the edges,
                             the streams carried to the central aggregates, checked against the edges
              analytics      query the central analytics API: availability, low stock, top sellers, velocity, freshness
              redrive        put what the edge outboxes and the central aggregator's dead-letter queue hold back on
                             the central stream
              demo           the whole system under load: warehouses upload, store devices sell, then a summary and
                             whether central equals the edges
              deploy         deploy to AWS with sam: central first, then every edge with the central stream's ARN
              cost           what a month costs at given rates, from the usage the last demo measured, against an
                             always-on backend
              capacity       where it breaks at a peak rate: Lambda concurrency, the hottest item, Kinesis, HTTP API
                             (--plan prints the commands)
              help           show this help, or 'help <command>' for a command's options
            """;

    private final CliContext context;

    public Main(PrintStream out, PrintStream err, Path cwd, Map<String, String> environment,
                Optional<Path> repoRoot) {
        this.context = new CliContext(out, err, cwd, environment, repoRoot);
    }

    /**
     * jetty-http-spi (the local HTTP APIs' Jetty front, {@code HttpApiServer}) registers itself as the JVM-wide
     * {@code com.sun.net.httpserver} provider; the Runtime API, proxies and dashboard keep the JDK's server.
     */
    static final String JDK_HTTP_SERVER_PROVIDER = "sun.net.httpserver.DefaultHttpServerProvider";

    public static void main(String[] args) {
        if (System.getProperty("com.sun.net.httpserver.HttpServerProvider") == null) {
            System.setProperty("com.sun.net.httpserver.HttpServerProvider", JDK_HTTP_SERVER_PROVIDER);
        }
        Optional<Path> repoRoot = Optional.ofNullable(System.getProperty(REPO_ROOT_PROPERTY))
                .filter(s -> !s.isBlank()).map(Path::of);
        int status = new Main(System.out, System.err, Path.of("").toAbsolutePath(), System.getenv(), repoRoot)
                .run(args);
        System.out.flush();
        System.exit(status);
    }

    /** Runs one command line and returns the exit status. */
    public int run(String... args) {
        List<String> list = Arrays.asList(args);
        String command = list.isEmpty() ? "" : list.getFirst();
        try {
            return dispatch(command, list.isEmpty() ? List.of() : list.subList(1, list.size()));
        } catch (UsageException e) {
            context.err().println("error: " + e.getMessage());
            context.err().println();
            context.err().print(usage(e.command()));
            return 2;
        } catch (LocalRuntimeException e) {
            context.err().println("error: " + e.getMessage());
            return 1;
        }
    }

    private int dispatch(String command, List<String> rest) {
        return switch (command) {
            case "" -> throw new UsageException(null, "no command given");
            case "help", "-h", "--help" -> {
                if (rest.size() > 1) {
                    throw new UsageException(null, "help takes at most one command name");
                }
                String topic = rest.isEmpty() ? null : rest.getFirst();
                if (topic != null && usage(topic) == null) {
                    throw new UsageException(null, "Unknown command '" + topic + "'");
                }
                context.out().print(topic == null ? USAGE : usage(topic));
                yield 0;
            }
            case ProvisionCommand.NAME -> {
                CliArgs args = parse(command, rest, ProvisionCommand.OPTIONS, Map.of());
                yield args.help() ? help(command) : ProvisionCommand.run(args, context);
            }
            case InvokeCommand.NAME -> {
                CliArgs args = parse(command, rest, InvokeCommand.OPTIONS, Map.of("e", "event"));
                yield args.help() ? help(command) : InvokeCommand.run(args, context);
            }
            case UploadSampleCommand.NAME -> {
                CliArgs args = parse(command, rest, UploadSampleCommand.OPTIONS, Map.of());
                yield args.help() ? help(command) : UploadSampleCommand.run(args, context);
            }
            case DeviceCommand.NAME -> {
                CliArgs args = parse(command, rest, DeviceCommand.OPTIONS, Map.of());
                yield args.help() ? help(command) : DeviceCommand.run(args, context);
            }
            case UpCommand.NAME -> {
                CliArgs args = CliArgs.parse(command, rest, UpCommand.OPTIONS, Map.of(), UpCommand.FLAGS);
                yield args.help() ? help(command) : UpCommand.run(args, context);
            }
            case CentralSampleCommand.NAME -> {
                CliArgs args = CliArgs.parse(command, rest, CentralSampleCommand.OPTIONS, Map.of(),
                        CentralSampleCommand.FLAGS);
                yield args.help() ? help(command) : CentralSampleCommand.run(args, context);
            }
            case DemoCommand.NAME -> {
                CliArgs args = CliArgs.parse(command, rest, DemoCommand.OPTIONS, Map.of(), DemoCommand.FLAGS);
                yield args.help() ? help(command) : DemoCommand.run(args, context);
            }
            case DeployCommand.NAME -> {
                CliArgs args = CliArgs.parse(command, rest, DeployCommand.OPTIONS, Map.of(), DeployCommand.FLAGS);
                yield args.help() ? help(command) : DeployCommand.run(args, context);
            }
            case AnalyticsCommand.NAME -> {
                CliArgs args = parse(command, rest, AnalyticsCommand.OPTIONS, Map.of());
                yield args.help() ? help(command) : AnalyticsCommand.run(args, context);
            }
            case RedriveCommand.NAME -> {
                CliArgs args = parse(command, rest, RedriveCommand.OPTIONS, Map.of());
                yield args.help() ? help(command) : RedriveCommand.run(args, context);
            }
            case CostCommand.NAME -> {
                CliArgs args = parse(command, rest, CostCommand.OPTIONS, Map.of());
                yield args.help() ? help(command) : CostCommand.run(args, context);
            }
            case CapacityCommand.NAME -> {
                CliArgs args = parse(command, rest, CapacityCommand.OPTIONS, Map.of());
                yield args.help() ? help(command) : CapacityCommand.run(args, context);
            }
            default -> throw new UsageException(null, "Unknown command '" + command + "'");
        };
    }

    private static CliArgs parse(String command, List<String> rest, Set<String> options, Map<String, String> aliases) {
        return CliArgs.parse(command, rest, options, aliases);
    }

    private int help(String command) {
        context.out().print(usage(command));
        return 0;
    }

    private static String usage(String command) {
        if (command == null) {
            return USAGE;
        }
        return switch (command) {
            case ProvisionCommand.NAME -> ProvisionCommand.USAGE;
            case InvokeCommand.NAME -> InvokeCommand.USAGE;
            case UploadSampleCommand.NAME -> UploadSampleCommand.USAGE;
            case DeviceCommand.NAME -> DeviceCommand.USAGE;
            case UpCommand.NAME -> UpCommand.USAGE;
            case CentralSampleCommand.NAME -> CentralSampleCommand.USAGE;
            case AnalyticsCommand.NAME -> AnalyticsCommand.USAGE;
            case DemoCommand.NAME -> DemoCommand.USAGE;
            case DeployCommand.NAME -> DeployCommand.USAGE;
            case RedriveCommand.NAME -> RedriveCommand.USAGE;
            case CostCommand.NAME -> CostCommand.USAGE;
            case CapacityCommand.NAME -> CapacityCommand.USAGE;
            default -> null;
        };
    }
}
