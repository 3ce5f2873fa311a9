package com.edgeinventory.cli.command;


import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.edgeinventory.cli.command.CliRunner.Run;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

/**
 * {@code analytics --api} against an in-process HTTP server on the loopback interface: the GET it sends, its
 * SigV4 signature (checked here by an independent implementation of the algorithm, not by the SDK), and what the
 * user sees for answers and refusals.
 */
class AnalyticsApiTest {

    private static final String KEY_ID = "AKIDEXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final Map<String, String> ENV = Map.of("AWS_ACCESS_KEY_ID", KEY_ID,
            "AWS_SECRET_ACCESS_KEY", SECRET);
    private static final Pattern AUTHORIZATION = Pattern.compile("AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/"
            + "([a-z0-9-]+)/([a-z-]+)/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");

    private static final String AVAILABILITY = """
            {"query": "availability", "params": {"sku": "TR-RUN-42-BLU"},
             "columns": ["region", "available", "reserved", "sold"],
             "items": [{"region": "eu-west-1", "available": 3, "reserved": 1, "sold": 2}],
             "totals": {"region": "ALL", "available": 3, "reserved": 1, "sold": 2}}
            """;

    /** What the server received. */
    record Received(String method, String rawPath, String rawQuery, Headers headers) {
    }

    private HttpServer server;
    private String base;
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private volatile int status = 200;
    private volatile String contentType = "application/json";
    private volatile String body = AVAILABILITY;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders()));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void getIsSignedWithSigV4ForExecuteApiAndTheAnswerPrintedAsATable() throws Exception {
        Run run = AnalyticsCommandTest.run(ENV, List.of("analytics", "availability", "TR-RUN-42-BLU", "--api", base,
                "--region", "us-east-2"));

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("""
                region     available  reserved  sold
                ---------  ---------  --------  ----
                eu-west-1          3         1     2
                ---------  ---------  --------  ----
                ALL                3         1     2
                """);
        assertThat(received).hasSize(1);
        Received request = received.peek();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.rawPath()).isEqualTo("/analytics/availability/TR-RUN-42-BLU");
        assertThat(request.rawQuery()).isNull();
        assertThat(request.headers().getFirst("X-Amz-Date")).matches("\\d{8}T\\d{6}Z");
        assertThat(request.headers().getFirst("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=" + KEY_ID + "/")
                .contains("/us-east-2/execute-api/aws4_request, SignedHeaders=")
                .contains("host").contains("x-amz-date");
        assertThat(request.headers().getFirst("X-Amz-Security-Token")).isNull();
        assertSignedBy(SECRET, request);
        assertThat(run.err()).contains("GET " + base + "/analytics/availability/TR-RUN-42-BLU (SigV4, execute-api, "
                + "us-east-2)");
    }

    @Test
    void queryParametersAndABasePathAreSentAndSigned() throws Exception {
        body = """
                {"query": "low-stock", "columns": ["sku", "available"], "items": [{"sku": "A,1", "available": 0}]}
                """;

        Run run = AnalyticsCommandTest.run(Map.of("AWS_ACCESS_KEY_ID", KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET,
                        "AWS_SESSION_TOKEN", "session/token=="),
                List.of("analytics", "low-stock", "--edge", "eu-west-1", "--threshold", "5", "--limit", "2",
                        "--api", base + "/prod/", "--region", "eu-central-1", "--format", "csv"));

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("sku,available\r\n\"A,1\",0\r\n");
        Received request = received.peek();
        assertThat(request.rawPath()).isEqualTo("/prod/analytics/low-stock");
        assertThat(request.rawQuery()).isEqualTo("region=eu-west-1&threshold=5&limit=2");
        assertThat(request.headers().getFirst("X-Amz-Security-Token")).isEqualTo("session/token==");
        assertThat(request.headers().getFirst("Authorization")).contains("/eu-central-1/execute-api/aws4_request")
                .contains("x-amz-security-token");
        assertSignedBy(SECRET, request);
    }

    @Test
    void pathAndQueryWithReservedCharactersAreEncodedOnceOnTheWireAndSignedAsSigV4Requires() throws Exception {
        Run run = AnalyticsCommandTest.run(ENV, List.of("analytics", "velocity", "A B/ü", "--to", "2026 11",
                "--api", base, "--region", "us-east-2", "--format", "json"));

        assertThat(run.status()).as(run.err()).isZero();
        Received request = received.peek();
        assertThat(request.rawPath()).isEqualTo("/analytics/velocity/A%20B%2F%C3%BC");
        assertThat(request.rawQuery()).isEqualTo("to=2026%2011");
        assertSignedBy(SECRET, request);
    }

    @Test
    void aProblemIsExitOneWithItsDetailOnStderr() {
        status = 400;
        contentType = "application/problem+json";
        body = """
                {"type": "https://edge-inventory.example/problems/invalid-request", "title": "The request is invalid",
                 "status": 400, "detail": "threshold must be a whole number from 0 to 1000000000; got 'lots'",
                 "field": "threshold"}
                """;

        Run run = AnalyticsCommandTest.run(ENV, List.of("analytics", "low-stock", "--edge", "eu-west-1",
                "--threshold", "lots", "--api", base, "--region", "us-east-2"));

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("error: threshold must be a whole number from 0 to 1000000000; got 'lots' "
                + "(field threshold; HTTP 400 The request is invalid)").doesNotContain("Usage:");
        assertThat(received.peek().rawQuery()).isEqualTo("region=eu-west-1&threshold=lots");
    }

    @Test
    void apiGatewaysOwnRefusalIsExitOne() {
        status = 403;
        body = "{\"message\":\"The security token included in the request is invalid.\"}";

        Run run = AnalyticsCommandTest.run(ENV, List.of("analytics", "freshness", "--api", base, "--region",
                "us-east-2"));

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("error: the analytics API answered HTTP 403: The security token included in "
                + "the request is invalid.");
    }

    @Test
    void anUnreachableApiIsExitOne() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }

        Run run = AnalyticsCommandTest.run(ENV, List.of("analytics", "freshness", "--api", "http://127.0.0.1:" + port,
                "--region", "us-east-2"));

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("error: Cannot reach the analytics API at http://127.0.0.1:" + port)
                .doesNotContain("\tat ");
    }

    // ------------------------------------------------------------------ SigV4, written out from the specification

    /** Recomputes the signature from what arrived and compares it with the one in the Authorization header. */
    private static void assertSignedBy(String secret, Received request) throws GeneralSecurityException {
        Matcher auth = AUTHORIZATION.matcher(request.headers().getFirst("Authorization"));
        assertThat(auth.matches()).as(request.headers().getFirst("Authorization")).isTrue();
        String date = auth.group(2);
        String region = auth.group(3);
        String service = auth.group(4);
        List<String> signedHeaders = List.of(auth.group(5).split(";"));
        assertThat(service).isEqualTo("execute-api");
        String amzDate = request.headers().getFirst("X-Amz-Date");
        assertThat(amzDate).startsWith(date);

        String canonicalUri = Arrays.stream(request.rawPath().split("/", -1)).map(AnalyticsApiTest::uriEncode)
                .collect(Collectors.joining("/"));
        List<String> pairs = new ArrayList<>();
        if (request.rawQuery() != null) {
            for (String pair : request.rawQuery().split("&")) {
                int eq = pair.indexOf('=');
                pairs.add(uriEncode(decode(pair.substring(0, eq))) + "=" + uriEncode(decode(pair.substring(eq + 1))));
            }
        }
        pairs.sort(null);
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : signedHeaders) {
            canonicalHeaders.append(name).append(':')
                    .append(request.headers().getFirst(name).strip().replaceAll(" +", " ")).append('\n');
        }
        String canonicalRequest = String.join("\n", request.method(), canonicalUri, String.join("&", pairs),
                canonicalHeaders.toString(), String.join(";", signedHeaders), hex(sha256("")));
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = String.join("\n", "AWS4-HMAC-SHA256", amzDate, scope, hex(sha256(canonicalRequest)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");

        assertThat(auth.group(6)).as("signature of\n" + canonicalRequest)
                .isEqualTo(hex(hmac(key, stringToSign)));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** SigV4's URI encoding: everything but unreserved characters, upper-case hex. */
    private static String uriEncode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 128 || "-_.~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append(String.format("%%%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(String s) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
