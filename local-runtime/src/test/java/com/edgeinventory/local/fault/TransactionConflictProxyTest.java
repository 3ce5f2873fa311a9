package com.edgeinventory.local.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * The emulated conflicts as the SDK sees them: a stub DynamoDB holds the first transaction's answer until the test
 * lets it go (later ones are answered at once), so the second one overlaps it for sure. The SDK must read our cancellation as DynamoDB's.
 */
class TransactionConflictProxyTest {

    HttpServer upstream;
    final CountDownLatch firstArrived = new CountDownLatch(1);
    final CountDownLatch releaseFirst = new CountDownLatch(1);
    final java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean();

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        upstream.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (target.endsWith("TransactWriteItems") && held.compareAndSet(false, true)) {
                firstArrived.countDown();
                try {
                    releaseFirst.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] reply = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(200, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        upstream.start();
    }

    @AfterEach
    void stop() {
        releaseFirst.countDown();
        upstream.stop(0);
    }

    static DynamoDbClient client(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "s")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
                .build();
    }

    static TransactWriteItem take(String sku) {
        return TransactWriteItem.builder().update(u -> u.tableName("inventory")
                .key(Map.of("pk", AttributeValue.fromS("SKU#" + sku), "sk", AttributeValue.fromS("PRODUCT")))
                .updateExpression("SET available = available - :one")
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))).build();
    }

    @Test
    void theSdkSeesDynamoDbsCancellationAndConflictWhileATransactionIsInFlight() throws Exception {
        URI target = URI.create("http://127.0.0.1:" + upstream.getAddress().getPort());
        try (FaultProxy proxy = FaultProxy.start(target, DynamoDbFaults.NONE, Optional.empty(),
                Optional.of(new TransactionConflicts()), line -> { });
             DynamoDbClient first = client(proxy.uri()); DynamoDbClient second = client(proxy.uri())) {
            CompletableFuture<Void> inFlight = CompletableFuture.runAsync(
                    () -> first.transactWriteItems(b -> b.transactItems(take("A"))));
            assertThat(firstArrived.await(30, TimeUnit.SECONDS)).isTrue();

            TransactionCanceledException cancelled = catchThrowableOfType(TransactionCanceledException.class,
                    () -> second.transactWriteItems(b -> b.transactItems(take("B"), take("A"))));
            TransactionConflictException single = catchThrowableOfType(TransactionConflictException.class,
                    () -> second.updateItem(b -> b.tableName("inventory").key(Map.of(
                            "pk", AttributeValue.fromS("SKU#A"), "sk", AttributeValue.fromS("PRODUCT")))
                            .updateExpression("SET x = :x")
                            .expressionAttributeValues(Map.of(":x", AttributeValue.fromN("1")))));
            second.transactWriteItems(b -> b.transactItems(take("B"))); // another item: not held

            releaseFirst.countDown();
            inFlight.get(30, TimeUnit.SECONDS);
            second.transactWriteItems(b -> b.transactItems(take("A"))); // free again

            assertThat(cancelled.cancellationReasons()).extracting(r -> r.code())
                    .containsExactly("None", "TransactionConflict");
            assertThat(cancelled.statusCode()).isEqualTo(400);
            assertThat(single.statusCode()).isEqualTo(400);
            assertThat(proxy.transactionConflicts().orElseThrow().counts())
                    .isEqualTo(new TransactionConflicts.Counts(4, 1, 1));
            assertThat(proxy.summary()).contains("1 of 4 TransactWriteItems cancelled with TransactionConflict");
        }
    }

    /**
     * DynamoDB's answer to a transaction means it is over: the caller's next write of the same item, sent the moment
     * the answer arrives, must not meet it (the hold ends before the answer goes back, not after).
     */
    @Test
    void theCallersNextWriteAfterItsTransactionsAnswerIsNeverRefused() {
        held.set(true); // the stub answers every transaction at once
        URI target = URI.create("http://127.0.0.1:" + upstream.getAddress().getPort());
        // Metered, as in the demo: the meter's work after the answer (reading updated items back) widens any gap.
        FaultProxy.Metering metering = new FaultProxy.Metering(
                new com.edgeinventory.local.meter.UsageMeter(java.time.Instant.now()), key -> Optional.of("caller"));
        try (FaultProxy proxy = FaultProxy.start(target, DynamoDbFaults.NONE, Optional.empty(),
                Optional.of(new TransactionConflicts()), Optional.of(metering), line -> { });
             DynamoDbClient client = client(proxy.uri())) {
            for (int i = 0; i < 300; i++) {
                client.transactWriteItems(b -> b.transactItems(take("C")));
                client.updateItem(b -> b.tableName("inventory").key(Map.of(
                        "pk", AttributeValue.fromS("SKU#C"), "sk", AttributeValue.fromS("PRODUCT")))
                        .updateExpression("SET x = :x").expressionAttributeValues(Map.of(":x", AttributeValue.fromN("1"))));
                client.transactWriteItems(b -> b.transactItems(take("C")));
            }
            assertThat(proxy.transactionConflicts().orElseThrow().counts())
                    .isEqualTo(new TransactionConflicts.Counts(600, 0, 0));
        }
    }
}
