package com.edgeinventory.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.net.httpserver.HttpServer;

class DashboardServerTest {

    /** What the stub analytics API received. */
    record Received(String method, String rawPath, String rawQuery, String authorization, String amzDate) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer stub;
    private DashboardServer dashboard;

    @BeforeEach
    void startStub() throws IOException {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/", exchange -> {
            try (exchange) {
                var h = exchange.getRequestHeaders();
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(), h.getFirst("Authorization"), h.getFirst("X-Amz-Date")));
                boolean bad = exchange.getRequestURI().getRawPath().endsWith("/top-sellers");
                byte[] body = (bad
                        ? "{\"type\":\"https://edge-inventory.example/problems/invalid-request\",\"status\":400,\"field\":\"region\"}"
                        : "{\"query\":\"freshness\",\"params\":{},\"columns\":[],\"items\":[]}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", bad ? "application/problem+json" : "application/json");
                if (bad) {
                    exchange.getResponseHeaders().set("Retry-After", "3");
                }
                exchange.sendResponseHeaders(bad ? 400 : 200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        stub.start();
    }

    @AfterEach
    void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
        stub.stop(0);
        client.close();
    }

    private URI stubUrl(String basePath) {
        return URI.create("http://127.0.0.1:" + stub.getAddress().getPort() + basePath);
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return send(HttpRequest.newBuilder(dashboard.url().resolve(pathAndQuery)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void proxiesAnalyticsGetsSignedWithSigV4ForExecuteApiInTheCentralRegion() throws Exception {
        dashboard = DashboardServer.start(0, stubUrl(""), "us-east-2", log::add);

        HttpResponse<String> response = get("/api/analytics/low-stock?region=eu-west-1&threshold=5&limit=1000");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"query\":\"freshness\",\"params\":{},\"columns\":[],\"items\":[]}");
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(received).hasSize(1);
        Received r = received.getFirst();
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.rawPath()).isEqualTo("/analytics/low-stock");
        assertThat(r.rawQuery()).isEqualTo("region=eu-west-1&threshold=5&limit=1000");
        String day = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
        assertThat(r.authorization())
                .startsWith("AWS4-HMAC-SHA256 Credential=test/")
                .matches("AWS4-HMAC-SHA256 Credential=test/\\d{8}/us-east-2/execute-api/aws4_request, "
                        + "SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}");
        assertThat(r.authorization()).satisfiesAnyOf(
                a -> assertThat(a).contains("/" + day + "/"),
                a -> assertThat(a).contains("/" + LocalDate.now(ZoneOffset.UTC).minusDays(1)
                        .format(DateTimeFormatter.BASIC_ISO_DATE) + "/"));
        assertThat(r.amzDate()).matches("\\d{8}T\\d{6}Z");
        assertThat(log).isEmpty();
    }

    @Test
    void keepsTheApisBasePathAndEncodedCharacters() throws Exception {
        dashboard = DashboardServer.start(0, stubUrl("/prod/"), "eu-central-1", log::add);

        HttpResponse<String> response = get("/api/analytics/availability/TR-RUN-42-BLU?x=a%20b%26c");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.rawPath()).isEqualTo("/prod/analytics/availability/TR-RUN-42-BLU");
            assertThat(r.rawQuery()).isEqualTo("x=a%20b%26c");
            assertThat(r.authorization()).contains("/eu-central-1/execute-api/aws4_request");
        });
        assertThat(dashboard.analyticsApi()).isEqualTo(stubUrl("/prod"));
    }

    @Test
    void passesErrorStatusBodyAndRetryAfterThrough() throws Exception {
        dashboard = DashboardServer.start(0, stubUrl(""), "us-east-2", log::add);

        HttpResponse<String> response = get("/api/analytics/top-sellers?region=nowhere");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.headers().firstValue("Retry-After")).contains("3");
        assertThat(response.body()).contains("\"field\":\"region\"");
        assertThat(log).singleElement().asString().contains("/analytics/top-sellers?region=nowhere -> 400");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/other", "/api/analytics", "/api/analytics/", "/analytics/freshness",
            "/api/analytics/../../x", "/api/analytics/%2e%2e/x", "/api/analytics/./freshness", "/static/",
            "/static/../dashboard/DashboardServer.class", "/static/nothing.js", "/static/README",
            "/favicon.ico"})
    void refusesEverythingElseWith404(String path) throws Exception {
        dashboard = DashboardServer.start(0, stubUrl(""), "us-east-2", log::add);

        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(dashboard.url() + path.substring(1)))
                .GET().build());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(received).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "HEAD"})
    void refusesOtherMethodsWith404(String method) throws Exception {
        dashboard = DashboardServer.start(0, stubUrl(""), "us-east-2", log::add);

        HttpResponse<String> response = send(HttpRequest.newBuilder(dashboard.url().resolve("/api/analytics/freshness"))
                .method(method, method.equals("HEAD") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}"))
                .build());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(received).isEmpty();
    }

    @Test
    void answers502WhenTheApiIsDown() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        dashboard = DashboardServer.start(0, URI.create("http://127.0.0.1:" + closedPort), "us-east-2", log::add);

        HttpResponse<String> response = get("/api/analytics/freshness");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.body()).contains("\"status\":502").contains("connection refused");
        assertThat(log).singleElement().asString().contains("-> 502");
    }

    @Test
    void servesThePageItsScriptsAndTheVendoredChartJs() throws Exception {
        dashboard = DashboardServer.start(0, stubUrl(""), "us-east-2", log::add);

        HttpResponse<String> page = get("/");
        HttpResponse<String> chart = get("/static/chart.umd.min.js");
        HttpResponse<String> script = get("/static/dashboard.js");
        HttpResponse<String> css = get("/static/dashboard.css");

        assertThat(dashboard.url().toString()).matches("http://127\\.0\\.0\\.1:\\d+/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("default-src 'self'"));
        assertThat(page.body()).contains("<script src=\"/static/chart.umd.min.js\"></script>")
                .contains("<script type=\"module\" src=\"/static/dashboard.js\"></script>");
        assertThat(chart.statusCode()).isEqualTo(200);
        assertThat(chart.headers().firstValue("Content-Type")).contains("text/javascript; charset=utf-8");
        assertThat(chart.body()).startsWith("/*!\n * Chart.js v4.6.1").contains("Released under the MIT License");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).contains("from './api.js'");
        assertThat(css.headers().firstValue("Content-Type")).contains("text/css; charset=utf-8");
        assertThat(received).isEmpty();
    }

    @Test
    void refusesABaseUrlWithAQueryOrAnotherScheme() {
        assertThatThrownBy(() -> DashboardServer.start(0, URI.create("http://127.0.0.1:1/?a=b"), "us-east-2", log::add))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DashboardServer.start(0, URI.create("ftp://127.0.0.1:1/"), "us-east-2", log::add))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
