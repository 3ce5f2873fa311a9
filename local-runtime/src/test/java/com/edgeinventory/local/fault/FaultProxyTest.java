package com.edgeinventory.local.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy against a stub upstream that echoes what reached it. */
class FaultProxyTest {

    HttpServer upstream;
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger forwarded = new AtomicInteger();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/", exchange -> {
            forwarded.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " auth="
                    + exchange.getRequestHeaders().getFirst("Authorization") + " target="
                    + exchange.getRequestHeaders().getFirst("X-Amz-Target") + " body="
                    + new String(body, StandardCharsets.UTF_8));
            exchange.getResponseHeaders().add("x-amz-crc32", "12345");
            exchange.getResponseHeaders().add("x-amz-meta-a", "1");
            exchange.getResponseHeaders().add("x-amz-meta-a", "2");
            byte[] reply = ("echo:" + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Length", "42");
                exchange.sendResponseHeaders(200, -1);
            } else {
                exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/missing") ? 404 : 200,
                        reply.length);
                exchange.getResponseBody().write(reply);
            }
            exchange.close();
        });
        upstream.start();
    }

    @AfterEach
    void stop() {
        upstream.stop(0);
        http.close();
    }

    URI upstreamUri() {
        return URI.create("http://127.0.0.1:" + upstream.getAddress().getPort());
    }

    HttpResponse<String> post(URI proxy, String path, String target, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(proxy.resolve(path)).header("Authorization", "AWS4-HMAC-SHA256 sig")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            b.header("X-Amz-Target", target);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void forwardsMethodPathQueryHeadersAndBodiesBothWays() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(upstreamUri(), DynamoDbFaults.parse("throttle=0"), line -> { })) {
            HttpResponse<String> response = post(proxy.uri(), "/bucket/key%20x?list-type=2&a=b", null, "hello");
            HttpResponse<String> missing = post(proxy.uri(), "/missing", "DynamoDB_20120810.GetItem", "{}");
            HttpResponse<Void> head = http.send(HttpRequest.newBuilder(proxy.uri().resolve("/bucket/key"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(proxy.uri().resolve("/bucket/key")).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("echo:hello");
            assertThat(response.headers().firstValue("x-amz-crc32")).contains("12345");
            assertThat(response.headers().allValues("x-amz-meta-a")).containsExactly("1", "2");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("content-length")).contains("42");
            assertThat(get.body()).isEqualTo("echo:");
            assertThat(seen).contains("POST /bucket/key%20x?list-type=2&a=b auth=AWS4-HMAC-SHA256 sig target=null"
                    + " body=hello", "POST /missing auth=AWS4-HMAC-SHA256 sig target=DynamoDB_20120810.GetItem body={}");
            assertThat(proxy.counts().get("GetItem")).isEqualTo(new FaultProxy.Counts(1, 0, 0));
        }
    }

    @Test
    void injectsThrottlesAndErrorsAtAboutTheConfiguredRateBeforeForwarding() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(upstreamUri(),
                DynamoDbFaults.parse("throttle=0.2,error=0.1,ops=TransactWriteItems,seed=1"), line -> { })) {
            int throttled = 0;
            int errors = 0;
            for (int i = 0; i < 1000; i++) {
                HttpResponse<String> r = post(proxy.uri(), "/", "DynamoDB_20120810.TransactWriteItems", "{}");
                if (r.statusCode() == 400) {
                    throttled++;
                    assertThat(r.body()).isEqualTo("{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
                            + "ProvisionedThroughputExceededException\",\"message\":\"injected\"}");
                    assertThat(r.headers().firstValue("content-type")).contains("application/x-amz-json-1.0");
                } else if (r.statusCode() == 500) {
                    errors++;
                    assertThat(r.body()).contains("#InternalServerError");
                } else {
                    assertThat(r.body()).isEqualTo("echo:{}");
                }
            }
            for (int i = 0; i < 100; i++) {
                assertThat(post(proxy.uri(), "/", "DynamoDB_20120810.GetItem", "{}").statusCode())
                        .as("an operation not in ops").isEqualTo(200);
                assertThat(post(proxy.uri(), "/", "DynamoDBStreams_20120810.GetRecords", "{}").statusCode())
                        .as("not DynamoDB").isEqualTo(200);
            }

            assertThat(throttled).isBetween(150, 250);
            assertThat(errors).isBetween(60, 140);
            assertThat(proxy.counts().get("TransactWriteItems"))
                    .isEqualTo(new FaultProxy.Counts(1000, throttled, errors));
            assertThat(forwarded.get()).as("faults never reach the table").isEqualTo(1000 - throttled - errors + 200);
            assertThat(proxy.summary()).contains("TransactWriteItems " + throttled + " throttles " + errors + " errors");
            assertThat(proxy.faults().operations()).isEqualTo(Set.of("TransactWriteItems"));
        }
    }
}
