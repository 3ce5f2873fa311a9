package com.edgeinventory.local.apigw;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.edgeinventory.local.apigw.HttpApiEvents.ApiContext;
import com.edgeinventory.local.apigw.HttpApiEvents.ApiRequest;
import com.edgeinventory.local.apigw.HttpApiResponses.ApiResponse;
import com.edgeinventory.local.apigw.HttpApiRoutes.Auth;
import com.edgeinventory.local.invoke.InvokeOutcome;
import com.edgeinventory.local.invoke.InvokeResult;
import com.edgeinventory.local.template.FunctionDef;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import org.eclipse.jetty.http.spi.JettyHttpServer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A local API Gateway HTTP API (payload format 2.0) for one {@link HttpApiRoutes}: listens on 127.0.0.1, picks the
 * route, authorizes, invokes the route's function through an {@link Invoker} with the event API Gateway would
 * build, and maps the function's answer to the HTTP response as API Gateway does.
 *
 * <p>What it answers by itself, as API Gateway does: 404 {@code {"message":"Not Found"}} without a matching
 * route; 413 {@code {"message":"Request Entity Too Large"}} for a body over 10 MB; 401
 * {@code {"message":"Unauthorized"}} when a Lambda authorizer's identity source is missing; 403
 * {@code {"message":"Forbidden"}} when the authorizer denies or an {@code AWS_IAM} route gets no SigV4
 * {@code Authorization} header; 500 {@code {"message":"Internal Server Error"}} when the function or the
 * authorizer fails, times out or crashes; 502 for a response it cannot read (see {@link HttpApiResponses}); 503
 * {@code {"message":"Service Unavailable"}} when the function takes longer than the 30 s integration timeout.
 *
 * <p>Lambda authorizers (payload format 2.0): the REQUEST event has the shape of
 * {@code events/http-authorizer-request.json}. With simple responses {@code isAuthorized} decides; otherwise the
 * IAM policy must allow {@code execute-api:Invoke} on the route ARN with no Deny. The {@code context} becomes
 * {@code requestContext.authorizer.lambda}. Results are cached per authorizer and identity source values for the
 * authorizer's TTL (none when the TTL is 0 or there are no identity sources).
 *
 * <p>{@code AWS_IAM}: the {@code Authorization: AWS4-HMAC-SHA256 Credential=AKID/...} header must be there, but
 * <b>the signature is not verified locally</b> (there are no credentials to check it against); the access key
 * from the credential scope goes to {@code requestContext.authorizer.iam} with a local caller identity.
 *
 * <p>Bad clients are answered as a gateway answers them (Jetty behind the {@code com.sun.net.httpserver} API):
 * a request line and headers over {@link #MAX_HEAD_BYTES} (API Gateway's 10,240-byte quota) get 431; a
 * malformed request line or header, an invalid chunk size, or bytes that are not HTTP (a TLS ClientHello on the
 * plain port) get 400 and the connection is closed; a body over 10 MB or an event over Lambda's 6 MB payload
 * limit ({@link #MAX_EVENT_BYTES}) gets 413 without invoking the function, and a function response over that
 * limit gets 502 (Lambda fails such an invocation); a connection silent for
 * {@link #IDLE_TIMEOUT} is closed. Reads are non-blocking, so clients holding an unfinished request hold no
 * thread and never delay anyone else's request. Each request is reported to the request log as one line:
 * {@code GET /v1/stock/X -> 200 StockFunction 12 ms}.
 */
public final class HttpApiServer implements AutoCloseable {

    /** Invokes a function with an event; {@code up} passes the local invoker. */
    @FunctionalInterface
    public interface Invoker {
        InvokeResult invoke(FunctionDef function, String eventJson);
    }

    /** API Gateway's payload limit. */
    public static final long MAX_BODY_BYTES = 10L * 1024 * 1024;
    /**
     * Lambda's limit for a synchronous invocation's payload, 6 MB: a request whose event would be larger is
     * answered 413 by API Gateway without invoking the function.
     */
    public static final long MAX_EVENT_BYTES = 6L * 1024 * 1024;
    /** API Gateway HTTP API quota: the request line and headers together at most 10,240 bytes; larger gets 431. */
    public static final int MAX_HEAD_BYTES = 10_240;
    /**
     * A connection that sends nothing for this long (an unfinished request head or body, or idle keep-alive) is
     * closed; above the 30 s integration timeout so that no request in progress is cut.
     */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(35);
    /** API Gateway's maximum integration timeout for HTTP APIs. */
    public static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(30);
    /** The IAM principal an {@code AWS_IAM} request runs as locally. */
    public static final String LOCAL_IAM_USER = "local-caller";
    public static final String LOCAL_IAM_USER_ID = "AIDALOCALCALLER00000";

    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * How the server runs.
     *
     * @param port               0 for a free port
     * @param apiId              API id in events, domain name and route ARNs
     * @param region             the API's region
     * @param accountId          the API's account
     * @param threads            request threads
     * @param integrationTimeout 30 s in API Gateway; shorter in tests
     * @param maxBodyBytes       10 MB in API Gateway
     * @param clock              request times and the authorizer cache
     */
    public record Options(int port, String apiId, String region, String accountId, int threads,
                          Duration integrationTimeout, long maxBodyBytes, Clock clock) {
        public Options {
            Objects.requireNonNull(apiId, "apiId");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(integrationTimeout, "integrationTimeout");
            Objects.requireNonNull(clock, "clock");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
        }

        /** API Gateway's limits, 8 threads, the system clock. */
        public static Options of(int port, String apiId, String region, String accountId) {
            return new Options(port, apiId, region, accountId, 8, INTEGRATION_TIMEOUT, MAX_BODY_BYTES,
                    Clock.systemUTC());
        }

        public Options withIntegrationTimeout(Duration timeout) {
            return new Options(port, apiId, region, accountId, threads, timeout, maxBodyBytes, clock);
        }

        public Options withMaxBodyBytes(long max) {
            return new Options(port, apiId, region, accountId, threads, integrationTimeout, max, clock);
        }

        public Options withClock(Clock newClock) {
            return new Options(port, apiId, region, accountId, threads, integrationTimeout, maxBodyBytes, newClock);
        }
    }

    private record CachedAuth(Optional<JsonNode> allowedContext, Instant until) {
    }

    /** What authorization decided: the {@code requestContext.authorizer} node, or the response to send. */
    private sealed interface AuthResult {
        record Allowed(JsonNode authorizer) implements AuthResult {
        }

        record Refused(ApiResponse response) implements AuthResult {
        }
    }

    private final HttpApiRoutes routes;
    private final Invoker invoker;
    private final Options options;
    private final Consumer<String> requestLog;
    private final ApiContext api;
    private final Server jetty;
    private final JettyHttpServer server;
    private final ExecutorService invocations = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, CachedAuth> authCache = new ConcurrentHashMap<>();

    private HttpApiServer(HttpApiRoutes routes, Invoker invoker, Options options, Consumer<String> requestLog)
            throws IOException {
        this.routes = Objects.requireNonNull(routes, "routes");
        this.invoker = Objects.requireNonNull(invoker, "invoker");
        this.options = Objects.requireNonNull(options, "options");
        this.requestLog = Objects.requireNonNull(requestLog, "requestLog");
        for (HttpApiRoutes.Route route : routes.routes()) {
            if (route.auth() instanceof Auth.LambdaAuthorizer a && !a.payloadFormatVersion().equals("2.0")) {
                throw new IllegalArgumentException("Authorizer " + a.name() + " of " + routes.apiLogicalId()
                        + " uses payload format " + a.payloadFormatVersion() + "; only 2.0 runs locally");
            }
        }
        this.api = new ApiContext(options.apiId(), options.region(), options.accountId());
        // Jetty behind the com.sun.net.httpserver API: non-blocking reads, so a slow or idle client holds no
        // thread; malformed heads, chunking and non-HTTP bytes get 400, heads over MAX_HEAD_BYTES 431.
        QueuedThreadPool pool = new QueuedThreadPool(Math.max(16, options.threads() * 8), 2);
        pool.setName("http-api-" + options.apiId());
        pool.setDaemon(true);
        this.jetty = new Server(pool);
        jetty.setHandler(new ContextHandlerCollection());
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_HEAD_BYTES);
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        this.server = new JettyHttpServer(jetty, false, http);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 0);
        for (Connector connector : jetty.getConnectors()) {
            if (connector instanceof ServerConnector c) {
                c.setIdleTimeout(IDLE_TIMEOUT.toMillis());
            }
        }
        server.createContext("/", this::handle);
        try {
            server.start();
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Starts listening.
     *
     * @param requestLog receives one line per request
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static HttpApiServer start(HttpApiRoutes routes, Invoker invoker, Options options,
                                      Consumer<String> requestLog) {
        try {
            return new HttpApiServer(routes, invoker, options, requestLog);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on 127.0.0.1:" + options.port() + " for "
                    + routes.apiLogicalId() + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:{port}}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public HttpApiRoutes routes() {
        return routes;
    }

    @Override
    public void close() {
        server.stop(0);
        try {
            jetty.stop();
        } catch (Exception e) {
            // stopping anyway
        }
        invocations.shutdownNow();
    }

    // ---------------------------------------------------------------- request handling

    private void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String rawPath = exchange.getRequestURI().getRawPath();
        String requestId = requestId();
        String target = "-";
        ApiResponse response;
        try {
            Optional<HttpApiRoutes.Match> match = routes.match(method, rawPath == null ? "/" : rawPath);
            byte[] body = readBody(exchange);
            if (body == null) {
                response = ApiResponse.tooLarge();
            } else if (match.isEmpty()) {
                response = ApiResponse.notFound();
            } else {
                target = match.get().route().function().logicalId();
                response = dispatch(request(exchange, method, rawPath, body), match.get(), requestId);
            }
        } catch (IOException e) {
            // Only reading the body throws it: a body that does not parse (an invalid chunk size, a truncated
            // chunk) is the client's fault.
            response = ApiResponse.message(400, "Bad Request");
        } catch (RuntimeException e) {
            response = ApiResponse.internalError();
        }
        // Logged before the response goes out, so whoever got the response can also see its log line.
        long ms = (System.nanoTime() - started) / 1_000_000;
        requestLog.accept(method + " " + rawPath + " -> " + response.status() + " " + target + " " + ms + " ms");
        send(exchange, method, response, requestId);
    }

    private ApiResponse dispatch(ApiRequest request, HttpApiRoutes.Match match, String requestId) {
        Instant now = options.clock().instant();
        AuthResult auth = authorize(request, match, requestId, now);
        if (auth instanceof AuthResult.Refused refused) {
            return refused.response();
        }
        JsonNode authorizer = ((AuthResult.Allowed) auth).authorizer();
        ObjectNode event = HttpApiEvents.integrationEvent(request, match, api, authorizer, now, requestId);
        String eventJson = event.toString();
        if (eventJson.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_EVENT_BYTES) {
            return ApiResponse.tooLarge();
        }
        Optional<InvokeResult> result = invoke(match.route().function(), eventJson);
        if (result.isEmpty()) {
            return ApiResponse.unavailable();
        }
        if (result.get().outcome() instanceof InvokeOutcome.Success success
                && success.responseJson().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_EVENT_BYTES) {
            // Lambda fails an invocation whose response is over its 6 MB payload limit; API Gateway answers 502.
            return ApiResponse.malformed();
        }
        return HttpApiResponses.map(result.get().outcome());
    }

    private AuthResult authorize(ApiRequest request, HttpApiRoutes.Match match, String requestId, Instant now) {
        return switch (match.route().auth()) {
            case Auth.None none -> new AuthResult.Allowed(null);
            case Auth.Iam iam -> iam(request);
            case Auth.LambdaAuthorizer lambda -> lambda(lambda, request, match, requestId, now);
        };
    }

    private AuthResult iam(ApiRequest request) {
        String header = request.header("authorization").orElse("");
        Matcher credential = CREDENTIAL.matcher(header);
        if (!header.startsWith("AWS4-HMAC-SHA256 ") || !credential.find()) {
            return new AuthResult.Refused(ApiResponse.forbidden());
        }
        ObjectNode authorizer = HttpApiEvents.JSON.createObjectNode();
        ObjectNode iam = authorizer.putObject("iam");
        iam.put("accessKey", credential.group(1));
        iam.put("accountId", options.accountId());
        iam.put("callerId", LOCAL_IAM_USER_ID);
        iam.putNull("cognitoIdentity");
        iam.putNull("principalOrgId");
        iam.put("userArn", "arn:aws:iam::" + options.accountId() + ":user/" + LOCAL_IAM_USER);
        iam.put("userId", LOCAL_IAM_USER_ID);
        return new AuthResult.Allowed(authorizer);
    }

    private AuthResult lambda(Auth.LambdaAuthorizer authorizer, ApiRequest request, HttpApiRoutes.Match match,
                              String requestId, Instant now) {
        Optional<List<String>> identity = HttpApiEvents.identityValues(request, match, api,
                authorizer.identitySource());
        if (identity.isEmpty()) {
            return new AuthResult.Refused(ApiResponse.unauthorized());
        }
        boolean cacheable = authorizer.resultTtlSeconds() > 0 && !authorizer.identitySource().isEmpty();
        String key = authorizer.name() + "\u0000" + String.join("\u0000", identity.get());
        if (cacheable) {
            CachedAuth cached = authCache.get(key);
            if (cached != null && now.isBefore(cached.until())) {
                return allowedOrForbidden(cached.allowedContext());
            }
        }
        ObjectNode event = HttpApiEvents.authorizerEvent(request, match, api, identity.get(), now, requestId);
        Optional<InvokeResult> result = invoke(authorizer.function(), event.toString());
        if (result.isEmpty() || !(result.get().outcome() instanceof InvokeOutcome.Success success)) {
            return new AuthResult.Refused(ApiResponse.internalError());
        }
        Optional<Optional<JsonNode>> decision = decide(authorizer, success.responseJson(),
                api.routeArn(request.method(), request.rawPath()));
        if (decision.isEmpty()) {
            return new AuthResult.Refused(ApiResponse.internalError());
        }
        if (cacheable) {
            authCache.put(key, new CachedAuth(decision.get(), now.plusSeconds(authorizer.resultTtlSeconds())));
        }
        return allowedOrForbidden(decision.get());
    }

    private static AuthResult allowedOrForbidden(Optional<JsonNode> context) {
        if (context.isEmpty()) {
            return new AuthResult.Refused(ApiResponse.forbidden());
        }
        ObjectNode authorizer = HttpApiEvents.JSON.createObjectNode();
        authorizer.set("lambda", context.get());
        return new AuthResult.Allowed(authorizer);
    }

    /**
     * The authorizer's decision: empty when its response is unreadable (500), else the context when allowed or
     * empty when denied.
     */
    static Optional<Optional<JsonNode>> decide(Auth.LambdaAuthorizer authorizer, String responseJson,
                                               String routeArn) {
        JsonNode json;
        try {
            json = HttpApiEvents.JSON.readTree(responseJson);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (json == null || !json.isObject()) {
            return Optional.empty();
        }
        JsonNode context = json.path("context");
        JsonNode lambdaContext = context.isObject() ? context : HttpApiEvents.JSON.createObjectNode();
        if (authorizer.simpleResponses()) {
            JsonNode allowed = json.get("isAuthorized");
            if (allowed == null || !allowed.isBoolean()) {
                return Optional.empty();
            }
            return Optional.of(allowed.booleanValue() ? Optional.of(lambdaContext) : Optional.empty());
        }
        JsonNode statements = json.path("policyDocument").path("Statement");
        if (!statements.isArray() && !statements.isObject()) {
            return Optional.empty();
        }
        boolean allow = false;
        for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
            if (!covers(statement.path("Action"), "execute-api:Invoke")
                    || !covers(statement.path("Resource"), routeArn)) {
                continue;
            }
            if (statement.path("Effect").asText().equalsIgnoreCase("Deny")) {
                return Optional.of(Optional.empty());
            }
            allow |= statement.path("Effect").asText().equalsIgnoreCase("Allow");
        }
        return Optional.of(allow ? Optional.of(lambdaContext) : Optional.empty());
    }

    private static boolean covers(JsonNode patterns, String value) {
        List<String> list = new ArrayList<>();
        if (patterns.isTextual()) {
            list.add(patterns.textValue());
        } else if (patterns.isArray()) {
            patterns.forEach(p -> list.add(p.asText()));
        }
        for (String p : list) {
            String regex = ("\\Q" + p + "\\E").replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
            if (value.matches(regex)) {
                return true;
            }
        }
        return false;
    }

    /** The result, or empty when the function took longer than the integration timeout. */
    private Optional<InvokeResult> invoke(FunctionDef function, String eventJson) {
        Future<InvokeResult> future = invocations.submit(() -> invoker.invoke(function, eventJson));
        try {
            return Optional.of(future.get(options.integrationTimeout().toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            future.cancel(true);
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of(new InvokeResult("", new InvokeOutcome.Failed("invoke",
                    e.getCause().getClass().getName(), String.valueOf(e.getCause().getMessage()), "{}"),
                    Duration.ZERO));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return Optional.empty();
        }
    }

    private static ApiRequest request(HttpExchange exchange, String method, String rawPath, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
        String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();
        headers.putIfAbsent("x-forwarded-for", List.of(sourceIp));
        headers.putIfAbsent("x-forwarded-port", List.of(String.valueOf(exchange.getLocalAddress().getPort())));
        headers.putIfAbsent("x-forwarded-proto", List.of("http"));
        if (body.length > 0) {
            headers.put("content-length", List.of(String.valueOf(body.length)));
        }
        headers.remove("transfer-encoding");
        return new ApiRequest(method, rawPath, exchange.getRequestURI().getRawQuery(), headers, sourceIp,
                exchange.getProtocol(), body);
    }

    /** The body, or null when it is over the limit (then read on and dropped, so the client sees the 413). */
    private byte[] readBody(HttpExchange exchange) throws IOException {
        long limit = options.maxBodyBytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (InputStream in = exchange.getRequestBody()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total <= limit) {
                    out.write(buffer, 0, n);
                } else if (total > 8 * limit) {
                    break;
                }
            }
        }
        return total > limit ? null : out.toByteArray();
    }

    private static void send(HttpExchange exchange, String method, ApiResponse response, String requestId) {
        try (exchange) {
            var headers = exchange.getResponseHeaders();
            response.headers().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("transfer-encoding")) {
                    values.forEach(v -> headers.add(name, v));
                }
            });
            headers.set("apigw-requestid", requestId);
            int status = response.status();
            boolean noBody = method.equals("HEAD") || status == 204 || status == 304 || status < 200;
            if (noBody || response.body().length == 0) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, response.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        } catch (IOException e) {
            // The client went away; nothing to answer.
        }
    }

    private static String requestId() {
        byte[] bytes = new byte[11];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
