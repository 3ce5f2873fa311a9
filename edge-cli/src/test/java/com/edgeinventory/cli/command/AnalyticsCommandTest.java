package com.edgeinventory.cli.command;

import com.edgeinventory.cli.analytics.AnalyticsQuery;
import com.edgeinventory.cli.analytics.AnalyticsResponse;
import com.edgeinventory.cli.analytics.HttpApiEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.edgeinventory.local.LocalRuntimeException;
import com.edgeinventory.cli.command.AnalyticsCommand.Target;
import com.edgeinventory.cli.analytics.AnalyticsQuery.AnalyticsRequest;
import com.edgeinventory.local.template.EventSource;
import com.edgeinventory.local.template.FunctionDef;
import com.edgeinventory.local.template.ResolveOptions;
import com.edgeinventory.local.template.TemplateResolver;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The analytics command line, the event it builds and how it reads responses; nothing here reaches a network. */
class AnalyticsCommandTest {

    private static final Path REPO_TEMPLATE = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir")));
    private static final String E = "http://127.0.0.1:1";
    private static final String API = "https://abc123.execute-api.us-east-2.amazonaws.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** args after "analytics", the expected stderr fragment; all exit 2 with the analytics usage. */
    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                row(List.of(), "error: analytics needs a query: availability, low-stock, top-sellers, velocity, "
                        + "freshness"),
                row(List.of("stock", "--endpoint", E), "error: Unknown analytics query 'stock'; use one of "
                        + "availability, low-stock, top-sellers, velocity, freshness"),
                row(List.of("availability", "--endpoint", E),
                        "error: analytics availability needs a SKU, e.g. analytics availability TR-RUN-42-BLU"),
                row(List.of("availability", "A", "B", "--endpoint", E),
                        "error: analytics availability takes one SKU, got [A, B]"),
                row(List.of("availability", " ", "--endpoint", E),
                        "error: analytics availability needs a non-empty SKU"),
                row(List.of("velocity", "--endpoint", E), "error: analytics velocity needs a SKU"),
                row(List.of("freshness", "now", "--endpoint", E),
                        "error: analytics freshness takes no arguments, got [now]"),
                row(List.of("low-stock", "--endpoint", E), "error: analytics low-stock needs --edge REGION"),
                row(List.of("top-sellers", "--threshold", "3", "--edge", "eu-west-1", "--endpoint", E),
                        "error: --threshold does not apply to analytics top-sellers (its options: --edge, --from, "
                                + "--to, --limit)"),
                row(List.of("availability", "S", "--edge", "eu-west-1", "--endpoint", E),
                        "error: --edge does not apply to analytics availability, which takes no options"),
                row(List.of("freshness", "--days", "3", "--endpoint", E),
                        "error: --days does not apply to analytics freshness, which takes no options"),
                row(List.of("freshness", "--since", "3", "--endpoint", E),
                        "error: Unknown option --since for analytics"),
                row(List.of("freshness", "--limit", "--endpoint", E), "error: Option --limit needs a value"),
                row(List.of("freshness", "--format", "xml", "--endpoint", E),
                        "error: --format must be one of table, json, csv, got 'xml'"),
                row(List.of("freshness"), "error: analytics needs --endpoint URL (a local endpoint with the central "
                        + "tables; the function runs here) or --api URL (the deployed analytics API"),
                row(List.of("freshness", "--endpoint", E, "--api", API),
                        "error: give either --endpoint or --api, not both"),
                row(List.of("freshness", "--endpoint", "localhost:5000"),
                        "error: --endpoint must be an http(s) URL like http://127.0.0.1:5000, got 'localhost:5000'"),
                row(List.of("freshness", "--endpoint", E, "--region", "central"),
                        "error: --region 'central' is not an AWS region name like eu-west-1"),
                row(List.of("freshness", "--endpoint", E, "--parameter-overrides", "DeploymentRole=edge"),
                        "error: analytics runs the central role; --parameter-overrides DeploymentRole=edge is not "
                                + "possible here"),
                row(List.of("freshness", "--api", "abc123.execute-api.us-east-2.amazonaws.com"),
                        "error: --api must be the API's https URL like https://abc123.execute-api.us-east-2."
                                + "amazonaws.com, got 'abc123.execute-api.us-east-2.amazonaws.com'"),
                row(List.of("freshness", "--api", "http://abc123.execute-api.us-east-2.amazonaws.com"),
                        "error: --api must use https (http only to localhost)"),
                row(List.of("freshness", "--api", API + "/?x=1"),
                        "error: --api must be a base URL without user, query or fragment"),
                row(List.of("freshness", "--api", API, "--region", "eu-west-1"),
                        "error: --region eu-west-1 does not match the API's region us-east-2 in " + API),
                row(List.of("freshness", "--api", "https://analytics.example.com"),
                        "error: --api https://analytics.example.com names no region; give --region, the central "
                                + "region"),
                row(List.of("freshness", "--api", API, "--template", "t.yaml"),
                        "error: --template applies only with --endpoint"),
                row(List.of("freshness", "--api", API, "--parameter-overrides", "Stage=qa"),
                        "error: --parameter-overrides applies only with --endpoint"));
    }

    private static Arguments row(List<String> args, String message) {
        return Arguments.of(args, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCommandLines")
    void badCommandLinesAreUsageErrors(List<String> args, String message) {
        CliRunner.Run run = run(Map.of(), Stream.concat(Stream.of("analytics"), args.stream()).toList());

        assertThat(run.status()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(message).contains("Usage: edge-inventory analytics <query>")
                .doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void helpListsTheQueriesOnStdout() {
        CliRunner.Run help = run(Map.of(), List.of("analytics", "--help"));
        CliRunner.Run topic = run(Map.of(), List.of("help", "analytics"));
        CliRunner.Run general = run(Map.of(), List.of("help"));

        assertThat(help.status()).isZero();
        assertThat(help.out()).startsWith("Usage: edge-inventory analytics <query>")
                .contains("low-stock --edge R [--threshold N] [--limit N]").contains("--api URL");
        assertThat(topic.out()).isEqualTo(help.out());
        assertThat(general.out()).contains("  analytics ");
    }

    @Test
    void theCentralFunctionMustBeInTheTemplate() {
        String logicalIds = String.join(" ", TemplateResolver.resolve(REPO_TEMPLATE,
                        ResolveOptions.defaults().withParameterOverrides(Map.of("DeploymentRole", "central")))
                .functions().stream().map(FunctionDef::logicalId).toList());
        CliRunner.Run run = run(Map.of(), List.of("analytics", "freshness", "--endpoint", E));

        assertThat(run.status()).isEqualTo(1);
        if (logicalIds.contains(AnalyticsCommand.FUNCTION)) {
            // Nothing listens on port 1 (or the runtime client is not built yet): no function runs.
            assertThat(run.err()).contains("error: ").doesNotContain("does not exist").doesNotContain("\tat ");
        } else {
            assertThat(run.err()).contains("error: Function AnalyticsQueryFunction does not exist in " + REPO_TEMPLATE);
        }
    }

    @Test
    void requestsCarryTheQueryParametersInTheApisNames() {
        AnalyticsRequest lowStock = request("low-stock", "--limit", "5", "--edge", "eu-west-1", "--threshold=-1");
        AnalyticsRequest topSellers = request("top-sellers", "--edge", "us-east-1", "--from", "2026-11-01",
                "--to", "2026-11-30");
        AnalyticsRequest velocity = request("velocity", "TR-RUN-42-BLU", "--days", "14");
        AnalyticsRequest odd = request("availability", "A B/ü");
        AnalyticsRequest freshness = request("freshness", "--format", "csv");

        assertThat(lowStock.routeKey()).isEqualTo("GET /analytics/low-stock");
        assertThat(lowStock.pathAndQuery()).isEqualTo("/analytics/low-stock?region=eu-west-1&threshold=-1&limit=5");
        assertThat(topSellers.pathAndQuery())
                .isEqualTo("/analytics/top-sellers?region=us-east-1&from=2026-11-01&to=2026-11-30");
        assertThat(velocity.routeKey()).isEqualTo("GET /analytics/velocity/{sku}");
        assertThat(velocity.pathAndQuery()).isEqualTo("/analytics/velocity/TR-RUN-42-BLU?days=14");
        assertThat(velocity.pathParameters()).containsExactly(Map.entry("sku", "TR-RUN-42-BLU"));
        assertThat(odd.rawPath()).isEqualTo("/analytics/availability/A%20B%2F%C3%BC");
        assertThat(odd.pathParameters()).containsExactly(Map.entry("sku", "A B/ü"));
        assertThat(freshness.pathAndQuery()).isEqualTo("/analytics/freshness");
        assertThat(freshness.rawQueryString()).isEmpty();
    }

    @Test
    void queryValuesAreEncodedAsSigV4Does() {
        assertThat(AnalyticsQuery.encode("a-Z_0.9~")).isEqualTo("a-Z_0.9~");
        assertThat(AnalyticsQuery.encode("a b+c&d=e/f*")).isEqualTo("a%20b%2Bc%26d%3De%2Ff%2A");
        assertThat(AnalyticsQuery.encode("€")).isEqualTo("%E2%82%AC");
    }

    @Test
    void eventIsAnHttpApiV2EventWithIamAuthorization() throws Exception {
        AnalyticsRequest request = request("velocity", "TR-RUN-42-BLU", "--days", "7", "--edge", "eu-west-1");

        JsonNode event = JSON.readTree(HttpApiEvent.iamGet(request, "us-east-2", "123456789012", "test",
                Instant.parse("2026-11-27T08:00:00Z"), "req-1").toString());

        assertThat(event.get("version").asText()).isEqualTo("2.0");
        assertThat(event.get("routeKey").asText()).isEqualTo("GET /analytics/velocity/{sku}");
        assertThat(event.get("rawPath").asText()).isEqualTo("/analytics/velocity/TR-RUN-42-BLU");
        assertThat(event.get("rawQueryString").asText()).isEqualTo("days=7&region=eu-west-1");
        assertThat(event.get("queryStringParameters")).isEqualTo(JSON.readTree(
                "{\"days\": \"7\", \"region\": \"eu-west-1\"}"));
        assertThat(event.get("pathParameters")).isEqualTo(JSON.readTree("{\"sku\": \"TR-RUN-42-BLU\"}"));
        assertThat(event.get("isBase64Encoded").asBoolean()).isFalse();
        assertThat(event.at("/headers/accept").asText()).isEqualTo("application/json");
        JsonNode context = event.get("requestContext");
        assertThat(context.at("/http/method").asText()).isEqualTo("GET");
        assertThat(context.at("/http/path").asText()).isEqualTo("/analytics/velocity/TR-RUN-42-BLU");
        assertThat(context.get("routeKey").asText()).isEqualTo("GET /analytics/velocity/{sku}");
        assertThat(context.get("stage").asText()).isEqualTo("$default");
        assertThat(context.get("requestId").asText()).isEqualTo("req-1");
        assertThat(context.get("time").asText()).isEqualTo("27/Nov/2026:08:00:00 +0000");
        assertThat(context.get("timeEpoch").asLong()).isEqualTo(1795766400000L);
        assertThat(context.get("domainName").asText()).isEqualTo("local.execute-api.us-east-2.amazonaws.com");
        assertThat(context.at("/authorizer/iam/accessKey").asText()).isEqualTo("test");
        assertThat(context.at("/authorizer/iam/accountId").asText()).isEqualTo("123456789012");
        assertThat(context.at("/authorizer/iam/userArn").asText())
                .isEqualTo("arn:aws:iam::123456789012:user/local-analyst");
        assertThat(context.at("/authorizer/lambda").isMissingNode()).isTrue();
    }

    @Test
    void eventLeavesOutEmptyParameterMaps() throws Exception {
        JsonNode event = JSON.readTree(HttpApiEvent.iamGet(request("freshness"), "eu-west-1", "123456789012",
                "test", Instant.EPOCH, "r").toString());

        assertThat(event.has("queryStringParameters")).isFalse();
        assertThat(event.has("pathParameters")).isFalse();
        assertThat(event.get("rawQueryString").asText()).isEmpty();
        assertThat(event.get("routeKey").asText()).isEqualTo("GET /analytics/freshness");
    }

    @Test
    void routeKeyIsThatOfTheFunctionsHttpApiEventForThePath() {
        FunctionDef function = new FunctionDef("AnalyticsQueryFunction", "fn", "a.B::c", "java25", Path.of("x.jar"),
                512, 29, Map.of(), List.of(
                        new EventSource.Generic("LowStock", "HttpApi",
                                Map.of("Path", "/analytics/low-stock", "Method", "any")),
                        new EventSource.Generic("Velocity", "HttpApi",
                                Map.of("Path", "/analytics/velocity/{sku}", "Method", "GET")),
                        new EventSource.Generic("Nightly", "Schedule", Map.of("Schedule", "rate(1 day)"))),
                Map.of(), "/aws/lambda/fn", FunctionDef.Logging.TEXT,
                "arn:aws:lambda:eu-west-1:123456789012:function:fn");

        assertThat(AnalyticsCommand.routeKey(function, request("low-stock", "--edge", "eu-west-1")))
                .isEqualTo("ANY /analytics/low-stock");
        assertThat(AnalyticsCommand.routeKey(function, request("velocity", "SKU-1")))
                .isEqualTo("GET /analytics/velocity/{sku}");
        assertThat(AnalyticsCommand.routeKey(function, request("freshness"))).isEqualTo("GET /analytics/freshness");
        assertThat(request("velocity", "SKU-1").withRouteKey("ANY /analytics/velocity/{sku}").rawPath())
                .isEqualTo("/analytics/velocity/SKU-1");
    }

    @Test
    void localTargetAlwaysRunsTheCentralRole() {
        Target target = AnalyticsCommand.target(args("freshness", "--endpoint", E + "/", "--parameter-overrides",
                "Stage=qa", "DeploymentRole=central"), Map.of("AWS_REGION", "us-east-2"));
        Target plain = AnalyticsCommand.target(args("freshness", "--endpoint", E), Map.of());

        assertThat(target).isEqualTo(new Target.Local(URI.create(E), "us-east-2",
                Map.of("Stage", "qa", "DeploymentRole", "central")));
        assertThat(plain).isEqualTo(new Target.Local(URI.create(E), "eu-west-1", Map.of("DeploymentRole", "central")));
    }

    @Test
    void apiRegionComesFromTheOptionTheHostOrTheEnvironment() {
        Map<String, String> env = Map.of("AWS_REGION", "ap-south-1");

        assertThat(AnalyticsCommand.target(args("freshness", "--api", API + "/"), env))
                .isEqualTo(new Target.Api(URI.create(API), "us-east-2"));
        assertThat(AnalyticsCommand.target(args("freshness", "--api", API + "/prod/", "--region", "us-east-2"), env))
                .isEqualTo(new Target.Api(URI.create(API + "/prod"), "us-east-2"));
        assertThat(AnalyticsCommand.target(args("freshness", "--api", "https://analytics.example.com/v1"), env))
                .isEqualTo(new Target.Api(URI.create("https://analytics.example.com/v1"), "ap-south-1"));
        assertThat(AnalyticsCommand.target(args("freshness", "--api", "https://analytics.example.com",
                "--region", "eu-central-1"), env))
                .isEqualTo(new Target.Api(URI.create("https://analytics.example.com"), "eu-central-1"));
        assertThat(AnalyticsCommand.target(args("freshness", "--api", "http://localhost:8080"),
                Map.of("AWS_DEFAULT_REGION", "us-west-2")))
                .isEqualTo(new Target.Api(URI.create("http://localhost:8080"), "us-west-2"));
    }

    @Test
    void functionResponsesAreReadAsApiGatewayReadsThem() {
        AnalyticsResponse full = AnalyticsResponse.fromFunction("""
                {"statusCode": 400, "headers": {"Content-Type": "application/problem+json"},
                 "body": "{\\"title\\":\\"The request is invalid\\",\\"status\\":400}", "isBase64Encoded": false}
                """);
        AnalyticsResponse encoded = AnalyticsResponse.fromFunction(
                "{\"statusCode\": 200, \"body\": \"eyJpdGVtcyI6W119\", \"isBase64Encoded\": true}");
        AnalyticsResponse bare = AnalyticsResponse.fromFunction("{\"columns\": [\"a\"], \"items\": []}");

        assertThat(full.status()).isEqualTo(400);
        assertThat(full.ok()).isFalse();
        assertThat(full.headers()).containsEntry("content-type", "application/problem+json");
        assertThat(full.body()).isEqualTo("{\"title\":\"The request is invalid\",\"status\":400}");
        assertThat(encoded.body()).isEqualTo("{\"items\":[]}");
        assertThat(bare.status()).isEqualTo(200);
        assertThat(bare.json().get("columns").get(0).asText()).isEqualTo("a");
        assertThatThrownBy(() -> AnalyticsResponse.fromFunction("{\"statusCode\": \"x\"}"))
                .isInstanceOf(LocalRuntimeException.class).hasMessageContaining("invalid statusCode");
        assertThatThrownBy(() -> new AnalyticsResponse(200, Map.of(), "[1]").json())
                .isInstanceOf(LocalRuntimeException.class)
                .hasMessage("The analytics API answered HTTP 200 with a body that is not a JSON object: [1]");
    }

    @Test
    void errorMessagesNameTheDetailTheFieldAndTheOptionItCameFrom() {
        assertThat(new AnalyticsResponse(400, Map.of(), """
                {"type": "x", "title": "The request is invalid", "status": 400,
                 "detail": "region must be an AWS region name such as eu-west-1; got 'mars'", "field": "region"}
                """).errorMessage()).isEqualTo("region must be an AWS region name such as eu-west-1; got 'mars' "
                + "(field region, given as --edge; HTTP 400 The request is invalid)");
        assertThat(new AnalyticsResponse(400, Map.of(), """
                {"title": "The request is invalid", "status": 400, "detail": "limit too big", "field": "limit"}
                """).errorMessage()).isEqualTo("limit too big (field limit; HTTP 400 The request is invalid)");
        assertThat(new AnalyticsResponse(400, Map.of(), """
                {"title": "The request is invalid", "detail": "a sku is 3-40 upper-case letters", "field": "sku"}
                """).errorMessage()).isEqualTo("a sku is 3-40 upper-case letters (field sku, given as the SKU "
                + "argument; HTTP 400 The request is invalid)");
        assertThat(new AnalyticsResponse(404, Map.of(), "{\"title\": \"Not found\", \"status\": 404}").errorMessage())
                .isEqualTo("Not found (HTTP 404)");
        assertThat(new AnalyticsResponse(403, Map.of(), "{\"message\":\"Forbidden\"}").errorMessage())
                .isEqualTo("the analytics API answered HTTP 403: Forbidden");
        assertThat(new AnalyticsResponse(502, Map.of(), "<html>\n bad gateway </html>").errorMessage())
                .isEqualTo("the analytics API answered HTTP 502: <html> bad gateway </html>");
        assertThat(new AnalyticsResponse(500, Map.of(), "").errorMessage())
                .isEqualTo("the analytics API answered HTTP 500 with no body");
    }

    @Test
    void optionsOfEveryQueryAreKnownToTheParser() {
        assertThat(AnalyticsCommand.OPTIONS).containsAll(AnalyticsQuery.QUERY_OPTIONS)
                .containsAll(Set.of("endpoint", "api", "region", "format", "template", "parameter-overrides"));
    }

    private static CliArgs args(String... args) {
        return CliArgs.parse(AnalyticsCommand.NAME, List.of(args), AnalyticsCommand.OPTIONS, Map.of());
    }

    private static AnalyticsRequest request(String... args) {
        return AnalyticsCommand.request(args(args));
    }

    static CliRunner.Run run(Map<String, String> environment, List<String> args) {
        return CliRunner.run(REPO_TEMPLATE.getParent(), environment, Optional.of(REPO_TEMPLATE.getParent()), args);
    }
}
