package com.edgeinventory.inventory.adapter;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the SDK clients a function uses, once per container, from the Lambda environment.
 *
 * <p>Credentials come from the SDK's default chain, as Lambda gives them: the access-key variables for an
 * on-demand function, but container credentials ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI} +
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}) for a SnapStart function, which gets no key variables. The region
 * comes from {@code AWS_REGION}. The endpoint is the SDK's own
 * {@code AWS_ENDPOINT_URL} handling; when it is set (a local endpoint such as moto or LocalStack), S3 is
 * addressed path-style, since local endpoints do not serve virtual-host buckets.
 */
public final class AwsClients {

    private AwsClients() {}

    /** The two clients every upload function needs. */
    public record S3AndDynamoDb(S3Client s3, DynamoDbClient dynamoDb) {}

    /**
     * Builds both clients side by side, S3 on a short-lived thread and DynamoDB on the caller's, and runs each
     * warm-up right after its client is built, on the same thread. A fresh JVM spends this time loading and
     * verifying classes, which overlaps on two or more cores (benchmarks/coldstart has the figures).
     *
     * @throws RuntimeException whatever building either client throws, unwrapped
     */
    public static S3AndDynamoDb s3AndDynamoDb(Consumer<S3Client> s3Warmup, Consumer<DynamoDbClient> dynamoDbWarmup) {
        FutureTask<S3Client> s3 = new FutureTask<>(() -> {
            S3Client client = s3();
            s3Warmup.accept(client);
            return client;
        });
        new Thread(s3, "s3-client-init").start();
        DynamoDbClient dynamoDb = dynamoDb();
        dynamoDbWarmup.accept(dynamoDb);
        return new S3AndDynamoDb(await(s3), dynamoDb);
    }

    /** The result of {@code task}, rethrowing what it threw as it was thrown. */
    private static <T> T await(FutureTask<T> task) {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the SDK clients", e);
        }
    }

    private static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder().build();
    }

    private static Region region() {
        return Region.of(SdkSystemSetting.AWS_REGION.getStringValueOrThrow());
    }

    public static DynamoDbClient dynamoDb() {
        return DynamoDbClient.builder()
                .httpClient(httpClient())
                .region(region())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .build();
    }

    public static SqsClient sqs() {
        return SqsClient.builder()
                .httpClient(httpClient())
                .region(region())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .build();
    }

    public static S3Client s3() {
        boolean localEndpoint = System.getenv("AWS_ENDPOINT_URL") != null;
        return S3Client.builder()
                .httpClient(httpClient())
                .region(region())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .forcePathStyle(localEndpoint)
                .build();
    }
}
