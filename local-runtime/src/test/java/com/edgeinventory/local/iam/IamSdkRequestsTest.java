package com.edgeinventory.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The requests the functions' SDK v2 clients really send, captured on a loopback server, classified: what the
 * classifier parses is what goes on the wire (signing scope, path encoding, copy source, DeleteObjects XML,
 * QueueUrl, Kinesis JSON).
 */
class IamSdkRequestsTest {

    private static final String BUCKET = "edge-inventory-dev-uploads-123456789012-eu-west-1";

    private HttpServer server;
    private final List<AwsHttpRequest> captured = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            captured.add(new AwsHttpRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body));
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C client(B builder, Region region) {
        return builder.endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDFN", "s")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    private List<ActionCheck> classify(Runnable call) {
        captured.clear();
        try {
            call.run();
        } catch (RuntimeException expected) {
            // the server answers 500: only the request matters
        }
        assertThat(captured).hasSize(1);
        RequestActions actions = new AwsRequestActions().classify(captured.getFirst());
        assertThat(actions.reason()).isEmpty();
        assertThat(actions.accessKeyId()).isEqualTo("AKIDFN");
        return actions.checks();
    }

    private static List<ActionCheck> checks(String... pairs) {
        List<ActionCheck> out = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.add(new ActionCheck(pairs[i], pairs[i + 1]));
        }
        return out;
    }

    @Test
    void dynamoDb() {
        String t = "arn:aws:dynamodb:eu-west-1:123456789012:table/";
        try (DynamoDbClient ddb = client(DynamoDbClient.builder(), Region.EU_WEST_1)) {
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("x"));
            assertThat(classify(() -> ddb.getItem(b -> b.tableName("inv").key(key))))
                    .isEqualTo(checks("dynamodb:GetItem", t + "inv"));
            assertThat(classify(() -> ddb.query(b -> b.tableName("inv").indexName("byStyle")
                    .keyConditionExpression("s = :s").expressionAttributeValues(Map.of(":s", AttributeValue.fromS("a"))))))
                    .isEqualTo(checks("dynamodb:Query", t + "inv/index/byStyle"));
            assertThat(classify(() -> ddb.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().update(u -> u.tableName("inv").key(key).updateExpression("SET a = :a")
                            .expressionAttributeValues(Map.of(":a", AttributeValue.fromN("1")))).build(),
                    TransactWriteItem.builder().put(p -> p.tableName("purchases").item(key)).build()))))
                    .isEqualTo(checks("dynamodb:UpdateItem", t + "inv", "dynamodb:PutItem", t + "purchases"));
        }
    }

    @Test
    void s3PathStyle() {
        String b = "arn:aws:s3:::" + BUCKET;
        try (S3Client s3 = client(S3Client.builder().forcePathStyle(true), Region.EU_WEST_1)) {
            assertThat(classify(() -> s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("products/a b+c/ü.json"))))
                    .isEqualTo(checks("s3:GetObject", b + "/products/a b+c/ü.json"));
            assertThat(classify(() -> s3.putObject(r -> r.bucket(BUCKET).key("derived/p/128.jpg"),
                    RequestBody.fromString("x")))).isEqualTo(checks("s3:PutObject", b + "/derived/p/128.jpg"));
            assertThat(classify(() -> s3.copyObject(r -> r.sourceBucket(BUCKET).sourceKey("products/p 1.json")
                    .destinationBucket(BUCKET).destinationKey("rejected/p 1.json"))))
                    .isEqualTo(checks("s3:PutObject", b + "/rejected/p 1.json", "s3:GetObject",
                            b + "/products/p 1.json"));
            assertThat(classify(() -> s3.deleteObjects(r -> r.bucket(BUCKET).delete(d -> d.objects(
                    ObjectIdentifier.builder().key("derived/a&b.jpg").build(),
                    ObjectIdentifier.builder().key("derived/c.jpg").build())))))
                    .isEqualTo(checks("s3:DeleteObject", b + "/derived/a&b.jpg", "s3:DeleteObject",
                            b + "/derived/c.jpg"));
            assertThat(classify(() -> s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("stock/"))))
                    .isEqualTo(checks("s3:ListBucket", b));
            assertThat(classify(() -> s3.headObject(r -> r.bucket(BUCKET).key("stock/x.csv"))))
                    .isEqualTo(checks("s3:GetObject", b + "/stock/x.csv"));
            assertThat(classify(() -> s3.createMultipartUpload(r -> r.bucket(BUCKET).key("big"))))
                    .isEqualTo(checks("s3:PutObject", b + "/big"));
        }
    }

    @Test
    void sqsAndKinesis() {
        try (SqsClient sqs = client(SqsClient.builder(), Region.EU_WEST_1)) {
            assertThat(classify(() -> sqs.sendMessage(r -> r.queueUrl("http://127.0.0.1:" + server.getAddress()
                    .getPort() + "/123456789012/edge-inventory-dev-upload-dlq").messageBody("x"))))
                    .isEqualTo(checks("sqs:SendMessage",
                            "arn:aws:sqs:eu-west-1:123456789012:edge-inventory-dev-upload-dlq"));
            assertThat(classify(() -> sqs.getQueueUrl(r -> r.queueName("q1"))))
                    .isEqualTo(checks("sqs:GetQueueUrl", "arn:aws:sqs:eu-west-1:123456789012:q1"));
        }
        String cbor = System.getProperty("aws.cborEnabled");
        System.setProperty("aws.cborEnabled", "false");
        try (KinesisClient kinesis = client(KinesisClient.builder(), Region.US_EAST_2)) {
            assertThat(classify(() -> kinesis.putRecords(r -> r.streamName("edge-inventory-dev-central")
                    .records(PutRecordsRequestEntry.builder().partitionKey("k").data(SdkBytes.fromUtf8String("x"))
                            .build()))))
                    .isEqualTo(checks("kinesis:PutRecords",
                            "arn:aws:kinesis:us-east-2:123456789012:stream/edge-inventory-dev-central"));
        } finally {
            if (cbor == null) {
                System.clearProperty("aws.cborEnabled");
            } else {
                System.setProperty("aws.cborEnabled", cbor);
            }
        }
    }
}
