package com.edgeinventory.cli.dashboard;

import com.edgeinventory.local.system.LocalSystem;

import com.edgeinventory.cli.analytics.ExecuteApiSigner;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import com.edgeinventory.local.LocalRuntimeException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The analysts' dashboard for the local stack, on 127.0.0.1: a static page (plain HTML and JS modules, with a
 * vendored Chart.js, no build step) that reads the central analytics API through this server.
 *
 * <ul>
 *   <li>{@code GET /} the page; {@code GET /static/{name}} its scripts, stylesheet and Chart.js.</li>
 *   <li>{@code GET /api/analytics/{rest}?{query}} proxies to {@code {analyticsApi}/analytics/{rest}?{query}},
 *       signed with SigV4 (service {@code execute-api}, the central region, the local test credentials), and
 *       passes the status, {@code Content-Type}, {@code Retry-After} and body back. 502
 *       ({@code application/problem+json}) when the API cannot be reached or does not answer in time.</li>
 *   <li>Anything else (another path or method, dot segments) is 404.</li>
 * </ul>
 *
 * <p>The browser talks only to this origin, so the page needs no credentials and no CORS.
 */
public final class DashboardServer implements AutoCloseable {

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final String PROXY_PREFIX = "/api/analytics/";
    private static final String STATIC_PREFIX = "/static/";
    private static final String RESOURCES = "/com/edgeinventory/cli/dashboard/static/";
    /** Static files are flat: one name, no directories, no dot-only names. */
    private static final Pattern STATIC_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    /** A dot segment, also percent-encoded, anywhere in a raw path. */
    private static final Pattern DOT_SEGMENT =
            Pattern.compile("(^|/)(\\.|%2e){1,2}(/|$)", Pattern.CASE_INSENSITIVE);
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "map", "application/json",
            "svg", "image/svg+xml",
            "md", "text/markdown; charset=utf-8");
    /** Same origin only; Chart.js sizes its canvas through inline styles. */
    private static final String CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI analyticsApi;
    private final ExecuteApiSigner signer;
    private final Consumer<String> log;
    private final HttpClient http;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer server;

    private DashboardServer(int port, URI analyticsApi, ExecuteApiSigner signer, Consumer<String> log)
            throws IOException {
        this.analyticsApi = analyticsApi;
        this.signer = signer;
        this.log = log;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts serving on 127.0.0.1.
     *
     * @param port          the port, or 0 for any free one ({@link #url()} tells which)
     * @param analyticsApi  the analytics API's base URL (the stack output {@code AnalyticsApiUrl}, or the local
     *                      AnalyticsApi of {@code up}), optionally with a base path; a trailing slash is ignored
     * @param centralRegion the central region, the SigV4 signing region
     * @param log           gets one line per failed proxied request (not per success: the page refreshes often)
     */
    /**
     * The dashboard of a running local system: on the port after its HTTP APIs, against its central analytics API.
     * Empty when the template has no analytics API.
     */
    public static Optional<DashboardServer> startFor(LocalSystem system, Consumer<String> log) {
        return system.analyticsApi().map(api -> start(system.nextPort(), api.server().uri(), api.region().name(), log));
    }

    public static DashboardServer start(int port, URI analyticsApi, String centralRegion, Consumer<String> log) {
        Objects.requireNonNull(log, "log");
        URI base = baseUrl(analyticsApi);
        try {
            return new DashboardServer(port, base, ExecuteApiSigner.localTest(centralRegion), log);
        } catch (IOException e) {
            throw new LocalRuntimeException("Cannot start the dashboard on 127.0.0.1:" + port + ": " + e.getMessage(),
                    e);
        }
    }

    /** {@code http://127.0.0.1:{port}/}, the page. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The analytics API the proxy signs for, without a trailing slash. */
    public URI analyticsApi() {
        return analyticsApi;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
        http.close();
    }

    public static URI baseUrl(URI analyticsApi) {
        Objects.requireNonNull(analyticsApi, "analyticsApi");
        String scheme = analyticsApi.getScheme() == null ? "" : analyticsApi.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || analyticsApi.getRawAuthority() == null
                || analyticsApi.getRawQuery() != null || analyticsApi.getRawFragment() != null) {
            throw new IllegalArgumentException("analyticsApi must be an http(s) base URL without query, got "
                    + analyticsApi);
        }
        String path = analyticsApi.getRawPath() == null ? "" : analyticsApi.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme + "://" + analyticsApi.getRawAuthority() + path);
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            boolean get = exchange.getRequestMethod().equals("GET");
            if (!get || path == null || DOT_SEGMENT.matcher(path).find()) {
                notFound(exchange);
            } else if (path.startsWith(PROXY_PREFIX) && path.length() > PROXY_PREFIX.length()) {
                proxy(exchange, path.substring("/api".length()), exchange.getRequestURI().getRawQuery());
            } else if (path.equals("/") || path.equals("/index.html")) {
                serveStatic(exchange, "index.html");
            } else if (path.startsWith(STATIC_PREFIX)) {
                serveStatic(exchange, path.substring(STATIC_PREFIX.length()));
            } else {
                notFound(exchange);
            }
        } catch (IOException e) {
            // The browser went away; nothing to answer.
            log.accept("dashboard: " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + ": " + e);
        }
    }

    private void proxy(HttpExchange exchange, String analyticsPath, String rawQuery) throws IOException {
        URI target = URI.create(analyticsApi + analyticsPath + (rawQuery == null ? "" : "?" + rawQuery));
        long started = System.nanoTime();
        HttpResponse<byte[]> response;
        try {
            response = http.send(signer.signedGet(target).timeout(REQUEST_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            badGateway(exchange, target, "did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
            return;
        } catch (ConnectException e) {
            badGateway(exchange, target, "connection refused");
            return;
        } catch (IOException e) {
            badGateway(exchange, target, e.toString());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            badGateway(exchange, target, "interrupted");
            return;
        }
        int status = response.statusCode();
        if (status >= 400) {
            log.accept("dashboard: GET " + target + " -> " + status + " "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");
        }
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", response.headers().firstValue("Content-Type").orElse("application/json"));
        response.headers().firstValue("Retry-After").ifPresent(v -> headers.set("Retry-After", v));
        headers.set("Cache-Control", "no-store");
        send(exchange, status, response.body());
    }

    private void badGateway(HttpExchange exchange, URI target, String reason) throws IOException {
        String detail = "The analytics API at " + analyticsApi + " " + reason;
        log.accept("dashboard: GET " + target + " -> 502: " + reason);
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        ObjectNode problem = JSON.createObjectNode().put("type", "about:blank").put("title", "Bad Gateway")
                .put("status", 502).put("detail", detail);
        send(exchange, 502, JSON.writeValueAsBytes(problem));
    }

    private static void serveStatic(HttpExchange exchange, String name) throws IOException {
        Optional<String> type = contentType(name);
        if (!STATIC_NAME.matcher(name).matches() || type.isEmpty()) {
            notFound(exchange);
            return;
        }
        byte[] body;
        try (InputStream in = DashboardServer.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                notFound(exchange);
                return;
            }
            body = in.readAllBytes();
        }
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", type.get());
        headers.set("Cache-Control", "no-cache");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Content-Security-Policy", CSP);
        send(exchange, 200, body);
    }

    private static Optional<String> contentType(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? Optional.empty()
                : Optional.ofNullable(CONTENT_TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, 404, "{\"message\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        drain(exchange);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void drain(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
