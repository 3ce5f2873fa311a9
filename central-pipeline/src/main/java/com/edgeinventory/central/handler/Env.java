package com.edgeinventory.central.handler;

import com.edgeinventory.central.adapter.OutboxQueue;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The central-pipeline functions' environment variables, as template.yaml declares them, and clients built from them. */
final class Env {

    private Env() {}

    static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }

    /**
     * A DynamoDB client for the function's region; {@code AWS_ENDPOINT_URL} is honoured by the SDK. Credentials
     * from the SDK's default chain: key variables on demand, container credentials under SnapStart.
     */
    static DynamoDbClient dynamoDb(Map<String, String> env) {
        return DynamoDbClient.builder()
                .region(Region.of(required(env, "AWS_REGION")))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** How long a drained outbox message stays hidden: longer than the drainer's Timeout (60 s). */
    static final Duration OUTBOX_VISIBILITY = Duration.ofSeconds(120);

    /** The edge outbox ({@code OUTBOX_QUEUE_URL}, {@code OUTBOX_DEAD_LETTER_QUEUE_URL}) in the function's region. */
    static OutboxQueue outbox(Map<String, String> env) {
        SqsClient sqs = SqsClient.builder()
                .region(Region.of(required(env, "AWS_REGION")))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        return new OutboxQueue(sqs, required(env, "OUTBOX_QUEUE_URL"), required(env, "OUTBOX_DEAD_LETTER_QUEUE_URL"),
                OUTBOX_VISIBILITY);
    }

    /**
     * Bounds of one central call (the SDK's retries included): a central region that accepts connections and then
     * hangs must not use up the function's 60 s, or the batch would fail instead of going to the outbox. The
     * sink makes at most 4 calls: 4 x 10 s leaves time to write the outbox.
     */
    static final Duration CENTRAL_CALL_TIMEOUT = Duration.ofSeconds(10);

    /** The central stream's client: {@code CENTRAL_REGION}; {@code CBOR_ENABLED=false} turns CBOR off (moto). */
    static KinesisClient centralKinesis(Map<String, String> env) {
        return centralKinesisBuilder(env).credentialsProvider(DefaultCredentialsProvider.builder().build()).build();
    }

    static KinesisClientBuilder centralKinesisBuilder(Map<String, String> env) {
        if ("false".equalsIgnoreCase(env.get("CBOR_ENABLED"))) {
            System.setProperty("aws.cborEnabled", "false");
        }
        return KinesisClient.builder()
                .overrideConfiguration(c -> c.apiCallTimeout(CENTRAL_CALL_TIMEOUT))
                .region(Region.of(required(env, "CENTRAL_REGION")))
                .httpClient(UrlConnectionHttpClient.create());
    }
}
