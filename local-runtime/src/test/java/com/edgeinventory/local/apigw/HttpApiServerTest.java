package com.edgeinventory.local.apigw;

import static com.edgeinventory.local.apigw.HttpApiRoutesTest.function;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.edgeinventory.testing.TestClock;
import com.edgeinventory.local.apigw.HttpApiRoutes.Auth;
import com.edgeinventory.local.apigw.HttpApiRoutes.Route;
import com.edgeinventory.local.invoke.InvokeOutcome;
import com.edgeinventory.local.invoke.InvokeResult;
import com.edgeinventory.local.template.FunctionDef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class HttpApiServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EVENTS = HttpApiRoutesTest.TEMPLATE.toAbsolutePath().getParent().resolve("events");
    /** The fixtures' requestContext.timeEpoch. */
    private static final Instant FIXTURE_TIME = Instant.ofEpochMilli(1795766400000L);
    private static final String SECRET = "Device POS-01:<secret>";
    private static final String SIGV4 = "AWS4-HMAC-SHA256 Credential=AKIDLOCALEXAMPLE/20261127/eu-west-1/execute-api/"
            + "aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeInvoker invoker = new FakeInvoker();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final TestClock clock = new TestClock(FIXTURE_TIME);
    private HttpApiServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Answers per function logical id; records every call. */
    static final class FakeInvoker implements HttpApiServer.Invoker {
        final Map<String, Function<JsonNode, InvokeOutcome>> behaviours = new ConcurrentHashMap<>();
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final Map<String, List<JsonNode>> events = new ConcurrentHashMap<>();

        @Override
        public InvokeResult invoke(FunctionDef function, String eventJson) {
            calls.add(function.logicalId());
            try {
                JsonNode event = JSON.readTree(eventJson);
                events.computeIfAbsent(function.logicalId(), k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(event);
                var behaviour = behaviours.getOrDefault(function.logicalId(),
                        e -> new InvokeOutcome.Success("{\"statusCode\":200,\"body\":\"ok\"}"));
                return new InvokeResult("req", behaviour.apply(event), Duration.ofMillis(1));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        JsonNode lastEvent(String function) {
            List<JsonNode> list = events.get(function);
            return list.getLast();
        }

        long callsOf(String function) {
            return calls.stream().filter(function::equals).count();
        }
    }

    private static final Auth.LambdaAuthorizer DEVICE_AUTHORIZER = new Auth.LambdaAuthorizer("DeviceAuthorizer",
            function("DeviceAuthorizerFunction"), List.of("$request.header.Authorization"), "2.0", true, 300);

    private static Route route(String method, String path, String function, Auth auth) {
        return new Route(method, path, function(function), function, auth);
    }

    private HttpApiServer start(Auth auth, HttpApiServer.Options options) {
        HttpApiRoutes routes = new HttpApiRoutes("TestApi", auth, List.of(
                route("GET", "/v1/stock/{sku}", "StockFunction", auth),
                route("POST", "/v1/transactions/{clientId}/items", "TransactionFunction", auth),
                route("ANY", "/echo/{proxy+}", "EchoFunction", auth),
                route("GET", "/open", "OpenFunction", new Auth.None())));
        server = HttpApiServer.start(routes, invoker, options, log::add);
        return server;
    }

    private HttpApiServer start(Auth auth) {
        return start(auth, options());
    }

    private HttpApiServer.Options options() {
        return HttpApiServer.Options.of(0, "a1b2c3d4e5", "eu-west-1", "123456789012").withClock(clock);
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(server.uri() + pathAndQuery)).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder builder = request(pathAndQuery).GET();
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder);
    }

    private static JsonNode fixture(String name) throws IOException {
        return JSON.readTree(Files.readString(EVENTS.resolve(name)));
    }

    private void respond(String function, String responseJson) {
        invoker.behaviours.put(function, e -> new InvokeOutcome.Success(responseJson));
    }

    private void allowDevice() {
        respond("DeviceAuthorizerFunction",
                "{\"isAuthorized\":true,\"context\":{\"storeId\":\"STORE-MUC-01\",\"deviceId\":\"POS-01\"}}");
    }

    // ---------------------------------------------------------------- routing and event shape

    @Test
    void noRouteIs404AndNoFunctionRuns() throws Exception {
        start(new Auth.None());

        HttpResponse<String> response = get("/v2/nothing");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"message\":\"Not Found\"}");
        assertThat(invoker.calls).isEmpty();
        assertThat(log).singleElement().asString().matches("GET /v2/nothing -> 404 - \\d+ ms");
    }

    @Test
    void theEventHasTheShapeOfTheGetStockFixture() throws Exception {
        start(DEVICE_AUTHORIZER);
        allowDevice();

        HttpResponse<String> response = get("/v1/stock/TR-RUN-42-BLU", "content-type", "application/json",
                "user-agent", "pos-terminal/4.2", "authorization", SECRET);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode expected = fixture("http-get-stock.json");
        JsonNode actual = invoker.lastEvent("StockFunction");
        for (String field : List.of("version", "routeKey", "rawPath", "rawQueryString", "isBase64Encoded",
                "pathParameters")) {
            assertThat(actual.get(field)).as(field).isEqualTo(expected.get(field));
        }
        for (String header : List.of("content-type", "user-agent", "authorization")) {
            assertThat(actual.at("/headers/" + header)).as(header).isEqualTo(expected.at("/headers/" + header));
        }
        assertThat(actual.at("/headers/x-forwarded-for").asText()).isEqualTo("127.0.0.1");
        JsonNode context = actual.get("requestContext");
        List<String> names = new ArrayList<>();
        context.fieldNames().forEachRemaining(names::add);
        List<String> expectedNames = new ArrayList<>();
        expected.get("requestContext").fieldNames().forEachRemaining(expectedNames::add);
        assertThat(names).containsExactlyInAnyOrderElementsOf(expectedNames);
        for (String field : List.of("accountId", "apiId", "domainName", "domainPrefix", "routeKey", "stage", "time",
                "timeEpoch", "authorizer")) {
            assertThat(context.get(field)).as(field).isEqualTo(expected.at("/requestContext/" + field));
        }
        for (String field : List.of("method", "path", "protocol", "userAgent")) {
            assertThat(context.at("/http/" + field)).as(field).isEqualTo(expected.at("/requestContext/http/" + field));
        }
        assertThat(context.at("/http/sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(context.get("requestId").asText()).matches("[A-Za-z0-9+/]{15}=");
        assertThat(response.headers().firstValue("apigw-requestid")).contains(context.get("requestId").asText());
        assertThat(actual.has("body")).isFalse();
        assertThat(actual.has("queryStringParameters")).isFalse();
        assertThat(actual.has("cookies")).isFalse();
    }

    @Test
    void queryCookiesRepeatedHeadersAndGreedyParameters() throws Exception {
        start(new Auth.None());

        get("/echo/a/b%20c?a=1&a=2&b=x%20y&flag", "Cookie", "c1=v1; c2=v2", "X-Repeat", "one", "X-Repeat", "two");

        JsonNode event = invoker.lastEvent("EchoFunction");
        assertThat(event.get("routeKey").asText()).isEqualTo("ANY /echo/{proxy+}");
        assertThat(event.get("rawPath").asText()).isEqualTo("/echo/a/b%20c");
        assertThat(event.at("/requestContext/http/path").asText()).isEqualTo("/echo/a/b c");
        assertThat(event.get("pathParameters")).isEqualTo(JSON.readTree("{\"proxy\":\"a/b c\"}"));
        assertThat(event.get("rawQueryString").asText()).isEqualTo("a=1&a=2&b=x%20y&flag");
        assertThat(event.get("queryStringParameters"))
                .isEqualTo(JSON.readTree("{\"a\":\"1,2\",\"b\":\"x y\",\"flag\":\"\"}"));
        assertThat(event.get("cookies")).isEqualTo(JSON.readTree("[\"c1=v1\",\"c2=v2\"]"));
        assertThat(event.get("headers").has("cookie")).isFalse();
        assertThat(event.at("/headers/x-repeat").asText()).isEqualTo("one,two");
        assertThat(event.get("headers").properties()).allSatisfy(h ->
                assertThat(h.getKey()).isEqualTo(h.getKey().toLowerCase(java.util.Locale.ROOT)));
    }

    @Test
    void jsonBodiesArriveAsTextOthersBase64() throws Exception {
        start(new Auth.None());
        byte[] binary = {0, 1, 2, (byte) 0xff};

        send(request("/echo/json").header("content-type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"X\",\"qty\":2}")));
        JsonNode json = invoker.lastEvent("EchoFunction");
        send(request("/echo/bin").header("content-type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(binary)));
        JsonNode bin = invoker.lastEvent("EchoFunction");

        assertThat(json.get("body").asText()).isEqualTo("{\"sku\":\"X\",\"qty\":2}");
        assertThat(json.get("isBase64Encoded").asBoolean()).isFalse();
        assertThat(json.at("/requestContext/http/method").asText()).isEqualTo("POST");
        assertThat(Base64.getDecoder().decode(bin.get("body").asText())).isEqualTo(binary);
        assertThat(bin.get("isBase64Encoded").asBoolean()).isTrue();
    }

    @Test
    void aBodyOver10MbIs413() throws Exception {
        start(new Auth.None());
        byte[] big = new byte[(int) HttpApiServer.MAX_BODY_BYTES + 1];

        HttpResponse<String> response = send(request("/echo/upload").header("content-type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).isEqualTo("{\"message\":\"Request Entity Too Large\"}");
        assertThat(invoker.calls).isEmpty();
    }

    // ---------------------------------------------------------------- Lambda authorizer

    @Test
    void withoutTheIdentitySourceIs401AndTheAuthorizerIsNotCalled() throws Exception {
        start(DEVICE_AUTHORIZER);
        allowDevice();

        HttpResponse<String> response = get("/v1/stock/X");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
        assertThat(invoker.calls).isEmpty();
    }

    @Test
    void aDeniedRequestIs403() throws Exception {
        start(DEVICE_AUTHORIZER);
        respond("DeviceAuthorizerFunction", "{\"isAuthorized\":false}");

        HttpResponse<String> response = get("/v1/stock/X", "authorization", SECRET);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(invoker.calls).containsExactly("DeviceAuthorizerFunction");
    }

    @Test
    void anAuthorizerErrorIs500() throws Exception {
        start(DEVICE_AUTHORIZER);
        invoker.behaviours.put("DeviceAuthorizerFunction",
                e -> new InvokeOutcome.Failed("invoke", "RuntimeException", "boom", "{}"));

        HttpResponse<String> response = get("/v1/stock/X", "authorization", SECRET);

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(invoker.calls).containsExactly("DeviceAuthorizerFunction");
    }

    @Test
    void theAuthorizerEventHasTheShapeOfTheFixture() throws Exception {
        start(DEVICE_AUTHORIZER);
        allowDevice();

        send(request("/v1/transactions/basket-0001/items").header("authorization", SECRET)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));

        JsonNode expected = fixture("http-authorizer-request.json");
        JsonNode actual = invoker.lastEvent("DeviceAuthorizerFunction");
        List<String> names = new ArrayList<>();
        actual.fieldNames().forEachRemaining(names::add);
        List<String> expectedNames = new ArrayList<>();
        expected.fieldNames().forEachRemaining(expectedNames::add);
        assertThat(names).containsExactlyInAnyOrderElementsOf(expectedNames);
        for (String field : List.of("version", "type", "routeArn", "identitySource", "routeKey", "rawPath",
                "rawQueryString", "pathParameters")) {
            assertThat(actual.get(field)).as(field).isEqualTo(expected.get(field));
        }
        assertThat(actual.at("/headers/authorization")).isEqualTo(expected.at("/headers/authorization"));
        assertThat(actual.get("requestContext").has("authorizer")).isFalse();
        assertThat(actual.at("/requestContext/routeKey")).isEqualTo(expected.at("/requestContext/routeKey"));
        assertThat(invoker.lastEvent("TransactionFunction").at("/requestContext/authorizer/lambda/storeId").asText())
                .isEqualTo("STORE-MUC-01");
    }

    @Test
    void authorizerResultsAreCachedPerIdentityForTheTtl() throws Exception {
        start(DEVICE_AUTHORIZER);
        allowDevice();

        get("/v1/stock/A", "authorization", SECRET);
        get("/v1/stock/B", "authorization", SECRET);
        assertThat(invoker.callsOf("DeviceAuthorizerFunction")).isEqualTo(1);
        assertThat(invoker.callsOf("StockFunction")).isEqualTo(2);
        assertThat(invoker.lastEvent("StockFunction").at("/requestContext/authorizer/lambda/deviceId").asText())
                .isEqualTo("POS-01");

        get("/v1/stock/A", "authorization", "Device POS-02:<other>");
        assertThat(invoker.callsOf("DeviceAuthorizerFunction")).isEqualTo(2);

        clock.set(FIXTURE_TIME.plusSeconds(301));
        get("/v1/stock/A", "authorization", SECRET);
        assertThat(invoker.callsOf("DeviceAuthorizerFunction")).isEqualTo(3);
    }

    @Test
    void deniedResultsAreCachedToo() throws Exception {
        start(DEVICE_AUTHORIZER);
        respond("DeviceAuthorizerFunction", "{\"isAuthorized\":false}");

        assertThat(get("/v1/stock/A", "authorization", SECRET).statusCode()).isEqualTo(403);
        assertThat(get("/v1/stock/A", "authorization", SECRET).statusCode()).isEqualTo(403);
        assertThat(invoker.callsOf("DeviceAuthorizerFunction")).isEqualTo(1);
    }

    @Test
    void aRouteWithAuthNoneSkipsTheAuthorizer() throws Exception {
        start(DEVICE_AUTHORIZER);

        assertThat(get("/open").statusCode()).isEqualTo(200);
        assertThat(invoker.calls).containsExactly("OpenFunction");
        assertThat(invoker.lastEvent("OpenFunction").get("requestContext").has("authorizer")).isFalse();
    }

    @Test
    void iamPolicyResponsesAreEvaluatedWhenSimpleResponsesAreOff() {
        var policyAuthorizer = new Auth.LambdaAuthorizer("Policy", function("PolicyFunction"),
                List.of("$request.header.Authorization"), "2.0", false, 0);
        String arn = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/$default/GET/v1/stock/X";

        assertThat(HttpApiServer.decide(policyAuthorizer, """
                {"principalId":"p","policyDocument":{"Version":"2012-10-17","Statement":[
                 {"Effect":"Allow","Action":"execute-api:Invoke","Resource":["arn:aws:execute-api:*:*:a1b2c3d4e5/*"]}]},
                 "context":{"k":"v"}}""", arn)).hasValueSatisfying(c -> assertThat(c).isPresent());
        assertThat(HttpApiServer.decide(policyAuthorizer, """
                {"principalId":"p","policyDocument":{"Statement":[
                 {"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"},
                 {"Effect":"Deny","Action":"execute-api:*","Resource":"*/GET/v1/stock/*"}]}}""", arn))
                .hasValueSatisfying(c -> assertThat(c).isEmpty());
        assertThat(HttpApiServer.decide(policyAuthorizer, "{\"isAuthorized\":true}", arn)).isEmpty();
    }

    // ---------------------------------------------------------------- IAM

    @Test
    void iamWithoutASignatureIs403() throws Exception {
        start(new Auth.Iam());

        assertThat(get("/v1/stock/X").statusCode()).isEqualTo(403);
        HttpResponse<String> bearer = get("/v1/stock/X", "authorization", "Bearer abc");
        assertThat(bearer.statusCode()).isEqualTo(403);
        assertThat(bearer.body()).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(invoker.calls).isEmpty();
    }

    @Test
    void iamPassesTheAccessKeyOfTheCredentialScope() throws Exception {
        start(new Auth.Iam());

        assertThat(get("/v1/stock/X", "authorization", SIGV4, "x-amz-date", "20261127T080000Z").statusCode())
                .isEqualTo(200);

        JsonNode iam = invoker.lastEvent("StockFunction").at("/requestContext/authorizer/iam");
        assertThat(iam.get("accessKey").asText()).isEqualTo("AKIDLOCALEXAMPLE");
        assertThat(iam.get("accountId").asText()).isEqualTo("123456789012");
        assertThat(iam.get("userArn").asText()).startsWith("arn:aws:iam::123456789012:user/");
        assertThat(iam.has("cognitoIdentity")).isTrue();
    }

    // ---------------------------------------------------------------- response mapping

    @Test
    void aStructuredResponseIsMapped() throws Exception {
        start(new Auth.None());
        respond("OpenFunction", """
                {"statusCode":201,"headers":{"content-type":"text/plain","x-single":"1"},
                 "multiValueHeaders":{"x-multi":["a","b"]},"cookies":["s=1; Path=/","t=2"],"body":"created"}""");

        HttpResponse<String> response = get("/open");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("created");
        assertThat(response.headers().firstValue("content-type")).contains("text/plain");
        assertThat(response.headers().firstValue("x-single")).contains("1");
        assertThat(response.headers().allValues("x-multi")).containsExactly("a", "b");
        assertThat(response.headers().allValues("set-cookie")).containsExactly("s=1; Path=/", "t=2");
        assertThat(log).singleElement().asString().matches("GET /open -> 201 OpenFunction \\d+ ms");
    }

    @Test
    void anyOtherJsonIs200ApplicationJson() throws Exception {
        start(new Auth.None());
        respond("OpenFunction", "{\"sku\":\"X\",\"available\":3}");

        HttpResponse<String> response = get("/open");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        assertThat(response.body()).isEqualTo("{\"sku\":\"X\",\"available\":3}");
    }

    @Test
    void aBase64BodyIsDecoded() throws Exception {
        start(new Auth.None());
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 0};
        respond("OpenFunction", "{\"statusCode\":200,\"isBase64Encoded\":true,\"headers\":{\"content-type\":"
                + "\"image/png\"},\"body\":\"" + Base64.getEncoder().encodeToString(png) + "\"}");

        HttpResponse<byte[]> response = client.send(request("/open").build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.body()).isEqualTo(png);
        assertThat(response.headers().firstValue("content-type")).contains("image/png");
    }

    @Test
    void functionErrorsTimeoutsAndCrashesAre500() throws Exception {
        start(new Auth.None());
        for (InvokeOutcome outcome : List.of(new InvokeOutcome.Failed("invoke", "E", "boom", "{}"),
                new InvokeOutcome.TimedOut(10), new InvokeOutcome.Crashed(137))) {
            invoker.behaviours.put("OpenFunction", e -> outcome);

            HttpResponse<String> response = get("/open");

            assertThat(response.statusCode()).as(outcome.toString()).isEqualTo(500);
            assertThat(response.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
        }
        invoker.behaviours.put("OpenFunction", e -> {
            throw new IllegalStateException("code not built");
        });
        assertThat(get("/open").statusCode()).isEqualTo(500);
    }

    @Test
    void aMalformedResponseIs502() throws Exception {
        start(new Auth.None());
        for (String malformed : List.of("{\"statusCode\":\"abc\"}", "{\"statusCode\":42}",
                "{\"statusCode\":200,\"body\":{\"not\":\"a string\"}}", "not json")) {
            respond("OpenFunction", malformed);

            HttpResponse<String> response = get("/open");

            assertThat(response.statusCode()).as(malformed).isEqualTo(502);
            assertThat(response.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
        }
    }

    @Test
    void aFunctionSlowerThanTheIntegrationTimeoutIs503() throws Exception {
        start(new Auth.None(), options().withIntegrationTimeout(Duration.ofMillis(200)));
        invoker.behaviours.put("OpenFunction", e -> {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            return new InvokeOutcome.Success("{}");
        });

        HttpResponse<String> response = get("/open");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("{\"message\":\"Service Unavailable\"}");
    }

    @Test
    void thePortIsChosenWhenZero() {
        start(new Auth.None());

        assertThat(server.port()).isPositive();
        assertThat(server.uri().toString()).isEqualTo("http://127.0.0.1:" + server.port());
    }
}
