package com.edgeinventory.cli.command;

import com.edgeinventory.local.system.Progress;

import com.edgeinventory.cli.UsageException;

import com.edgeinventory.cli.analytics.AnalyticsQuery;
import com.edgeinventory.cli.analytics.AnalyticsRenderer;
import com.edgeinventory.cli.analytics.AnalyticsResponse;
import com.edgeinventory.cli.analytics.ExecuteApiClient;
import com.edgeinventory.cli.analytics.HttpApiEvent;
import com.edgeinventory.local.provision.LocalStack;
import com.edgeinventory.local.system.FunctionInvoker;
import com.edgeinventory.local.system.LocalSystem;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.edgeinventory.local.LocalRuntimeException;
import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.cli.analytics.AnalyticsQuery.AnalyticsRequest;
import com.edgeinventory.cli.analytics.AnalyticsRenderer.Format;
import com.edgeinventory.local.invoke.EnvVarsOverrides;
import com.edgeinventory.local.invoke.FunctionIdentities;
import com.edgeinventory.local.invoke.InvokeOutcome;
import com.edgeinventory.local.invoke.InvokeResult;
import com.edgeinventory.local.invoke.LocalInvoker;
import com.edgeinventory.local.template.EventSource;
import com.edgeinventory.local.template.FunctionDef;
import com.edgeinventory.local.template.ResolveOptions;
import com.edgeinventory.local.template.ResolvedResource;
import com.edgeinventory.local.template.TemplateResolver;

/**
 * {@code analytics <query> [args] (--endpoint URL | --api URL) [--region R] [--format table|json|csv]}: the
 * analysts' view of the central region. With {@code --endpoint} the template's {@value #FUNCTION} (central role)
 * runs locally on an HTTP API event, like {@code invoke}; with {@code --api} the deployed API is called over
 * HTTPS, signed with SigV4. Either way the response is rendered the same.
 */
final class AnalyticsCommand {

    static final String NAME = "analytics";
    static final String FUNCTION = LocalSystem.ANALYTICS_FUNCTION;
    static final String ROLE_PARAMETER = "DeploymentRole";
    static final String CENTRAL = "central";
    static final Set<String> OPTIONS = options();
    static final String USAGE = """
            Usage: edge-inventory analytics <query> [ARGS] (--endpoint URL | --api URL) [--region R]
                                            [--format table|json|csv]

            Queries the central region's analytics API (AnalyticsQueryFunction, deployed with DeploymentRole=central).

            Queries:
              availability SKU                                    a SKU's levels per edge region and in total
              low-stock --edge R [--threshold N] [--limit N]      SKUs of an edge region with few available
              top-sellers --edge R [--from D] [--to D] [--limit N]
                                                                  best sellers of an edge region; D is YYYY-MM-DD
              velocity SKU [--days N] [--to D] [--edge R]         a SKU's sales per day, all or one edge region
              freshness                                           the newest data received from each edge region
              regional-performance [--edge R] [--from D] [--to D] revenue, baskets, units per basket per edge region
                                                                  and store (all edge regions without --edge)
              customer-behaviour [--edge R] [--from D] [--to D]   baskets of new, returning and anonymous customers,
                                                                  the returning share, units by category and size
              lost-demand [--edge R] [--from D] [--to D] [--limit N]
                                                                  skus with the most units refused as out of stock
              forecast SKU [--edge R] [--days N] [--history N] [--lead-time N] [--to D]
                                                                  demand per day for the next N days (Holt-Winters,
                                                                  weekly season, sold + refused), days of cover and
                                                                  the units to reorder for a lead time

            Where the API is (exactly one):
              --endpoint URL   a local AWS endpoint (e.g. moto) with the central tables, provisioned by
                               'provision --endpoint URL --parameter-overrides DeploymentRole=central'; the function
                               runs here, like 'invoke', on an API Gateway HTTP API event with IAM authorization
              --api URL        the deployed API, e.g. https://abc123.execute-api.us-east-2.amazonaws.com; the GET is
                               signed with SigV4 (execute-api) using the default AWS credentials (environment,
                               AWS_PROFILE or the default profile, SSO, container or instance role)

            Options:
              --region R       the central region. With --endpoint: default $AWS_REGION, else $AWS_DEFAULT_REGION,
                               else eu-west-1 (as for provision, so it finds what provision created). With --api:
                               default the region in the API's host name, else $AWS_REGION / $AWS_DEFAULT_REGION
              --edge R         the edge region to report on (the API's region parameter)
              --format F       table (default): aligned columns, totals last; json: the response body;
                               csv: RFC 4180 with a header row, totals last
              --parameter-overrides K=V, --template FILE
                               with --endpoint only, as for invoke; DeploymentRole=central is always set

            The result goes to stdout. Exit status 1 when the API refuses the query (its detail on stderr) or the
            function fails, 2 for a wrong command line.
            """;

    private AnalyticsCommand() {
    }

    private static Set<String> options() {
        Set<String> options = new HashSet<>(Set.of("endpoint", "api", "region", "format", "template",
                CliArgs.PARAMETER_OVERRIDES));
        options.addAll(AnalyticsQuery.QUERY_OPTIONS);
        return Set.copyOf(options);
    }

    static int run(CliArgs args, CliContext context) {
        AnalyticsRequest request = request(args);
        Format format = format(args);
        Target target = target(args, context.environment());
        return switch (target) {
            case Target.Api api -> callApi(api, request, format, context);
            case Target.Local local -> invokeLocally(local, args, request, format, context);
        };
    }

    /** The query's request; every command-line mistake is a {@link UsageException}. */
    static AnalyticsRequest request(CliArgs args) {
        List<String> positional = args.positional();
        if (positional.isEmpty()) {
            throw new UsageException(NAME, "analytics needs a query: " + AnalyticsQuery.names());
        }
        AnalyticsQuery query = AnalyticsQuery.named(NAME, positional.getFirst());
        return query.request(NAME, positional.subList(1, positional.size()), args.options());
    }

    static Format format(CliArgs args) {
        return args.option("format").map(name -> Format.named(name).orElseThrow(() -> new UsageException(NAME,
                "--format must be one of " + Format.NAMES + ", got '" + name + "'"))).orElse(Format.TABLE);
    }

    /** Where the query goes, from {@code --endpoint} / {@code --api} and {@code --region}. */
    sealed interface Target {

        /** @param parameterOverrides the user's, with {@code DeploymentRole=central} */
        record Local(URI endpoint, String region, Map<String, String> parameterOverrides) implements Target {
        }

        record Api(URI base, String region) implements Target {
        }
    }

    static Target target(CliArgs args, Map<String, String> environment) {
        boolean endpoint = args.option("endpoint").isPresent();
        boolean api = args.option("api").isPresent();
        if (endpoint && api) {
            throw new UsageException(NAME, "give either --endpoint or --api, not both");
        }
        if (!endpoint && !api) {
            throw new UsageException(NAME, "analytics needs --endpoint URL (a local endpoint with the central tables; "
                    + "the function runs here) or --api URL (the deployed analytics API, called with your AWS "
                    + "credentials)");
        }
        if (api) {
            if (args.option("template").isPresent()) {
                throw new UsageException(NAME, "--template applies only with --endpoint");
            }
            if (!args.parameterOverrides().isEmpty()) {
                throw new UsageException(NAME, "--parameter-overrides applies only with --endpoint");
            }
            URI base = ExecuteApiClient.baseUrl(NAME, args.option("api").orElseThrow());
            return new Target.Api(base, apiRegion(args, base, environment));
        }
        Map<String, String> overrides = new LinkedHashMap<>(args.parameterOverrides());
        String role = overrides.put(ROLE_PARAMETER, CENTRAL);
        if (role != null && !role.equals(CENTRAL)) {
            throw new UsageException(NAME, "analytics runs the central role; --parameter-overrides " + ROLE_PARAMETER
                    + "=" + role + " is not possible here");
        }
        return new Target.Local(args.endpoint().orElseThrow(), args.region(environment), overrides);
    }

    /**
     * {@code --region}, which must agree with an execute-api host name; else the host name's region; else
     * {@code AWS_REGION} / {@code AWS_DEFAULT_REGION}. A custom domain without any of them is a usage error, since
     * the signature is only valid for the API's region.
     */
    static String apiRegion(CliArgs args, URI base, Map<String, String> environment) {
        Optional<String> inHost = ExecuteApiClient.hostRegion(base);
        if (args.option("region").isPresent()) {
            String region = args.region(environment);
            if (inHost.isPresent() && !inHost.get().equals(region)) {
                throw new UsageException(NAME, "--region " + region + " does not match the API's region "
                        + inHost.get() + " in " + base);
            }
            return region;
        }
        if (inHost.isPresent()) {
            return inHost.get();
        }
        boolean inEnvironment = List.of("AWS_REGION", "AWS_DEFAULT_REGION").stream()
                .anyMatch(name -> environment.get(name) != null && !environment.get(name).isBlank());
        if (!inEnvironment) {
            throw new UsageException(NAME, "--api " + base + " names no region; give --region, the central region");
        }
        return args.region(environment);
    }

    private static int callApi(Target.Api api, AnalyticsRequest request, Format format, CliContext context) {
        context.progress("GET " + api.base() + request.pathAndQuery() + " (SigV4, " + ExecuteApiClient.SERVICE + ", "
                + api.region() + ")");
        try (ExecuteApiClient client = new ExecuteApiClient(api.base(), api.region(),
                ExecuteApiClient.credentials(context.environment()))) {
            return print(client.get(request), format, context);
        }
    }

    private static int invokeLocally(Target.Local local, CliArgs args, AnalyticsRequest request, Format format,
                                     CliContext context) {
        Path templateFile = context.templateFile(args);
        ResolveOptions options = ResolveOptions.defaults().withRegion(local.region())
                .withParameterOverrides(local.parameterOverrides());
        FunctionDef planned = TemplateResolver.resolve(templateFile, options).function(FUNCTION);
        if (!Files.exists(planned.codeUri())) {
            throw new LocalRuntimeException("Function code not found: " + planned.codeUri() + " (CodeUri of "
                    + FUNCTION + "). Build it with: ./mvnw package -DskipTests");
        }
        LocalInvoker invoker = LocalInvoker.create(templateFile.getParent(), context.err());
        try (LocalStack stack = LocalStack.open(templateFile, options, Optional.of(local.endpoint()), false,
                context::progress); FunctionIdentities identities = new FunctionIdentities()) {
            requireTables(stack, local);
            FunctionDef function = stack.template().function(FUNCTION);
            String event = HttpApiEvent.iamGet(request.withRouteKey(routeKey(function, request)), local.region(),
                    stack.template().accountId(), AwsClients.ACCESS_KEY, Instant.now(),
                    UUID.randomUUID().toString()).toString();
            InvokeResult result = new FunctionInvoker(stack, EnvVarsOverrides.none(), invoker, identities, Progress.to(context.err()))
                    .invoke(function, event);
            if (!(result.outcome() instanceof InvokeOutcome.Success success)) {
                return InvocationReport.print(result, context);
            }
            context.progress("END RequestId: " + result.requestId() + " Duration: " + result.duration().toMillis()
                    + " ms");
            return print(AnalyticsResponse.fromFunction(success.responseJson()), format, context);
        }
    }

    /**
     * The route key API Gateway would send: that of the function's {@code HttpApi} event with the request's path
     * ({@code ANY /analytics/low-stock} when the route takes any method), else {@code GET <path>}.
     */
    static String routeKey(FunctionDef function, AnalyticsRequest request) {
        return function.events().stream()
                .filter(e -> e instanceof EventSource.Generic g && g.type().equals("HttpApi")
                        && request.route().equals(String.valueOf(g.properties().get("Path"))))
                .map(e -> ((EventSource.Generic) e).properties().get("Method"))
                .filter(method -> method != null && !String.valueOf(method).isBlank())
                .map(method -> String.valueOf(method).toUpperCase(Locale.ROOT) + " " + request.route())
                .findFirst().orElse(request.routeKey());
    }

    /** The central tables must be there: the function would only fail on each of them. */
    private static void requireTables(LocalStack stack, Target.Local local) {
        List<String> missing = stack.template().tables().stream()
                .filter(t -> stack.resources().find(t.logicalId()).isEmpty())
                .map(ResolvedResource::physicalId).toList();
        if (!missing.isEmpty()) {
            throw new LocalRuntimeException("The central tables " + String.join(", ", missing) + " are not at "
                    + local.endpoint() + " in " + local.region() + ". Create them with: edge-inventory provision "
                    + "--endpoint " + local.endpoint() + " --region " + local.region()
                    + " --parameter-overrides " + ROLE_PARAMETER + "=" + CENTRAL);
        }
    }

    /** A 2xx body rendered on stdout; anything else one line on stderr and status 1. */
    static int print(AnalyticsResponse response, Format format, CliContext context) {
        if (!response.ok()) {
            context.err().println("error: " + response.errorMessage());
            return 1;
        }
        context.out().print(AnalyticsRenderer.render(response.json(), format));
        return 0;
    }
}
