package com.edgeinventory.local.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.AccessDeniedException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The denial responses, and what the functions' SDK v2 clients make of them: a loopback server answers every call
 * with {@link AccessDenied#response}.
 */
class IamAccessDeniedTest {

    private static final String PRINCIPAL =
            "arn:aws:sts::123456789012:assumed-role/edge-inventory-StockFunctionRole/edge-inventory-dev-stock";

    private HttpServer server;
    private final AtomicReference<AccessDenied.Response> answer = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            AccessDenied.Response r = answer.get();
            r.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(r.status(), head || r.body().length == 0 ? -1 : r.body().length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(r.body());
                }
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
            & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, C>, C> C client(B builder) {
        return builder.endpointOverride(endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    @Test
    void dynamoDbImplicitDeny() throws Exception {
        String table = "arn:aws:dynamodb:eu-west-1:123456789012:table/edge-inventory-dev-inventory";
        PolicyEvaluator.Decision decision = PolicyEvaluator.evaluate(List.of(), "dynamodb:PutItem", table);
        AccessDenied.Response r = AccessDenied.response(AccessDenied.Protocol.DYNAMODB, PRINCIPAL, decision, "req-1");
        assertThat(r.status()).isEqualTo(400);
        JsonNode body = new ObjectMapper().readTree(r.body());
        assertThat(body.get("__type").asText()).isEqualTo("com.amazon.coral.service#AccessDeniedException");
        assertThat(body.get("Message").asText()).isEqualTo("User: " + PRINCIPAL
                + " is not authorized to perform: dynamodb:PutItem on resource: " + table
                + " because no identity-based policy allows the dynamodb:PutItem action");
        answer.set(r);

        try (DynamoDbClient ddb = client(DynamoDbClient.builder())) {
            DynamoDbException e = catchThrowableOfType(DynamoDbException.class, () -> ddb.putItem(b -> b
                    .tableName("edge-inventory-dev-inventory").item(java.util.Map.of("pk", AttributeValue.fromS("x")))));
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            assertThat(e.awsErrorDetails().errorMessage()).contains("dynamodb:PutItem").contains(table);
            assertThat(e.requestId()).isEqualTo("req-1");
            assertThat(e.retryable()).isFalse();
        }
    }

    @Test
    void dynamoDbExplicitDeny() {
        PolicyStatement deny = PolicyStatement.parse(java.util.Map.of("Sid", "NoDeletes", "Effect", "Deny",
                "Action", "dynamodb:DeleteItem", "Resource", "*"), "test");
        PolicyEvaluator.Decision decision = PolicyEvaluator.evaluate(List.of(deny), "dynamodb:DeleteItem", "arn:t");
        assertThat(AccessDenied.response(AccessDenied.Protocol.DYNAMODB, PRINCIPAL, decision, "r").bodyText())
                .contains("dynamodb:DeleteItem on resource: arn:t with an explicit deny in an identity-based policy");
    }

    @Test
    void kinesis() {
        String stream = "arn:aws:kinesis:eu-west-1:123456789012:stream/edge-inventory-dev-central";
        answer.set(AccessDenied.response(AccessDenied.Protocol.KINESIS, PRINCIPAL,
                new ActionCheck("kinesis:PutRecords", stream), false, "req-2"));
        String cbor = System.getProperty("aws.cborEnabled");
        System.setProperty("aws.cborEnabled", "false");
        try (KinesisClient kinesis = client(KinesisClient.builder())) {
            AccessDeniedException e = catchThrowableOfType(AccessDeniedException.class, () -> kinesis.putRecords(b -> b
                    .streamName("edge-inventory-dev-central").records(PutRecordsRequestEntry.builder()
                            .partitionKey("k").data(SdkBytes.fromUtf8String("x")).build())));
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: " + PRINCIPAL
                    + " is not authorized to perform: kinesis:PutRecords on resource: " + stream
                    + " because no identity-based policy allows the kinesis:PutRecords action");
        } finally {
            if (cbor == null) {
                System.clearProperty("aws.cborEnabled");
            } else {
                System.setProperty("aws.cborEnabled", cbor);
            }
        }
    }

    @Test
    void s3GetPutAndHead() {
        String object = "arn:aws:s3:::edge-inventory-dev-uploads-123456789012-eu-west-1/stock/a.csv";
        AccessDenied.Response r = AccessDenied.response(AccessDenied.Protocol.S3, PRINCIPAL,
                new ActionCheck("s3:GetObject", object), false, "req-3");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.bodyText()).contains("<Code>AccessDenied</Code>")
                .contains("s3:GetObject on resource: &quot;" + object + "&quot; because no identity-based policy "
                        + "allows the s3:GetObject action");
        answer.set(r);
        try (S3Client s3 = client(S3Client.builder().forcePathStyle(true))) {
            S3Exception get = catchThrowableOfType(S3Exception.class, () -> s3.getObjectAsBytes(b -> b
                    .bucket("edge-inventory-dev-uploads-123456789012-eu-west-1").key("stock/a.csv")));
            assertThat(get.statusCode()).isEqualTo(403);
            assertThat(get.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(get.awsErrorDetails().errorMessage()).isEqualTo("User: " + PRINCIPAL
                    + " is not authorized to perform: s3:GetObject on resource: \"" + object
                    + "\" because no identity-based policy allows the s3:GetObject action");

            answer.set(r.withoutBody());
            S3Exception head = catchThrowableOfType(S3Exception.class, () -> s3.headObject(b -> b
                    .bucket("edge-inventory-dev-uploads-123456789012-eu-west-1").key("stock/a.csv")));
            assertThat(head.statusCode()).isEqualTo(403);
        }
    }

    @Test
    void sqsJsonProtocol() {
        String queue = "arn:aws:sqs:eu-west-1:123456789012:edge-inventory-dev-upload-dlq";
        answer.set(AccessDenied.response(AccessDenied.Protocol.SQS_JSON, PRINCIPAL,
                new ActionCheck("sqs:SendMessage", queue), false, "req-4"));
        try (SqsClient sqs = client(SqsClient.builder())) {
            SqsException e = catchThrowableOfType(SqsException.class, () -> sqs.sendMessage(b -> b
                    .queueUrl(endpoint() + "/123456789012/edge-inventory-dev-upload-dlq").messageBody("x")));
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: " + PRINCIPAL
                    + " is not authorized to perform: sqs:sendmessage on resource: " + queue
                    + " because no identity-based policy allows the sqs:sendmessage action");
        }
    }

    @Test
    void sqsQueryProtocol() throws Exception {
        AccessDenied.Response r = AccessDenied.response(AccessDenied.Protocol.SQS_QUERY, PRINCIPAL,
                new ActionCheck("sqs:ReceiveMessage", "arn:aws:sqs:eu-west-1:123456789012:q<&>"), false, "req-5");
        assertThat(r.status()).isEqualTo(403);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(r.body()));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("ErrorResponse");
        assertThat(doc.getElementsByTagName("Code").item(0).getTextContent()).isEqualTo("AccessDenied");
        assertThat(doc.getElementsByTagName("Type").item(0).getTextContent()).isEqualTo("Sender");
        assertThat(doc.getElementsByTagName("Message").item(0).getTextContent())
                .contains("sqs:receivemessage on resource: arn:aws:sqs:eu-west-1:123456789012:q<&>");
        assertThat(doc.getElementsByTagName("RequestId").item(0).getTextContent()).isEqualTo("req-5");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).startsWith("<?xml");
    }
}
