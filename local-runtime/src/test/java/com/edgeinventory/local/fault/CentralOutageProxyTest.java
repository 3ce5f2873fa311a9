package com.edgeinventory.local.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The central outage switch: Kinesis calls refused while the file exists, nothing else touched. */
class CentralOutageProxyTest {

    @TempDir
    Path dir;
    HttpServer upstream;
    final AtomicInteger forwarded = new AtomicInteger();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/", exchange -> {
            forwarded.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("{}".getBytes());
            exchange.close();
        });
        upstream.start();
    }

    @AfterEach
    void stop() {
        upstream.stop(0);
        http.close();
    }

    int post(URI proxy, String target) throws Exception {
        return http.send(HttpRequest.newBuilder(proxy.resolve("/")).header("X-Amz-Target", target)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    @Test
    void kinesisIsRefusedOnlyWhileTheSwitchFileExists() throws Exception {
        Path file = dir.resolve("central-down");
        URI target = URI.create("http://127.0.0.1:" + upstream.getAddress().getPort());
        try (FaultProxy proxy = FaultProxy.start(target, DynamoDbFaults.NONE,
                Optional.of(new CentralOutage(file)), line -> { })) {
            assertThat(post(proxy.uri(), "Kinesis_20131202.PutRecords")).isEqualTo(200);

            Files.createFile(file);
            assertThat(post(proxy.uri(), "Kinesis_20131202.PutRecords")).isEqualTo(503);
            assertThat(post(proxy.uri(), "Kinesis_20131202.ListShards")).isEqualTo(503);
            assertThat(post(proxy.uri(), "DynamoDB_20120810.PutItem")).as("DynamoDB unaffected").isEqualTo(200);
            assertThat(post(proxy.uri(), "AmazonSQS.SendMessage")).as("SQS (the outbox) unaffected").isEqualTo(200);

            Files.delete(file);
            assertThat(post(proxy.uri(), "Kinesis_20131202.PutRecords")).isEqualTo(200);

            assertThat(proxy.kinesisRefused()).isEqualTo(2);
            assertThat(forwarded.get()).isEqualTo(4);
            assertThat(proxy.summary()).contains("Kinesis calls refused during the central outage: 2");
        }
    }
}
