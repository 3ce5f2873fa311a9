package com.edgeinventory.local.aws;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SDK v2 clients for a local AWS endpoint (moto or LocalStack): static test credentials, the url-connection
 * HTTP client, path-style S3 and CBOR off for Kinesis. Each client is built once, on first use.
 * Thread-safe; {@link #close()} closes every client built.
 */
public final class AwsClients implements AutoCloseable {

    public static final String ACCESS_KEY = "test";
    public static final String SECRET_KEY = "test";

    private final URI endpoint;
    private final String region;
    private final SdkHttpClient http;
    private final List<SdkClient> built = new ArrayList<>();
    private DynamoDbClient dynamoDb;
    private DynamoDbStreamsClient dynamoDbStreams;
    private S3Client s3;
    private SqsClient sqs;
    private KinesisClient kinesis;

    public AwsClients(URI endpoint, String region) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.region = Objects.requireNonNull(region, "region");
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(60))
                .build();
    }

    public URI endpoint() {
        return endpoint;
    }

    public String region() {
        return region;
    }

    public static AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    public synchronized DynamoDbClient dynamoDb() {
        if (dynamoDb == null) {
            dynamoDb = track(DynamoDbClient.builder().endpointOverride(endpoint).region(Region.of(region))
                    .credentialsProvider(credentials()).httpClient(http).build());
        }
        return dynamoDb;
    }

    public synchronized DynamoDbStreamsClient dynamoDbStreams() {
        if (dynamoDbStreams == null) {
            dynamoDbStreams = track(DynamoDbStreamsClient.builder().endpointOverride(endpoint)
                    .region(Region.of(region)).credentialsProvider(credentials()).httpClient(http).build());
        }
        return dynamoDbStreams;
    }

    public synchronized S3Client s3() {
        if (s3 == null) {
            s3 = track(S3Client.builder().endpointOverride(endpoint).region(Region.of(region))
                    .credentialsProvider(credentials()).httpClient(http).forcePathStyle(true).build());
        }
        return s3;
    }

    public synchronized SqsClient sqs() {
        if (sqs == null) {
            sqs = track(SqsClient.builder().endpointOverride(endpoint).region(Region.of(region))
                    .credentialsProvider(credentials()).httpClient(http).build());
        }
        return sqs;
    }

    /** Kinesis over JSON: moto does not speak CBOR, so {@code aws.cborEnabled} is set to false first. */
    public synchronized KinesisClient kinesis() {
        if (kinesis == null) {
            System.setProperty("aws.cborEnabled", "false");
            kinesis = track(KinesisClient.builder().endpointOverride(endpoint).region(Region.of(region))
                    .credentialsProvider(credentials()).httpClient(http).build());
        }
        return kinesis;
    }

    private <T extends SdkClient> T track(T client) {
        built.add(client);
        return client;
    }

    @Override
    public synchronized void close() {
        built.forEach(SdkClient::close);
        built.clear();
        http.close();
        dynamoDb = null;
        dynamoDbStreams = null;
        s3 = null;
        sqs = null;
        kinesis = null;
    }
}
