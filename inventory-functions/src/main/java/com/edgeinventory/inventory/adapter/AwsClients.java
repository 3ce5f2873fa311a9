package com.edgeinventory.inventory.adapter;

import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the SDK clients a function uses, once per container, from the Lambda environment.
 *
 * <p>Credentials and region come straight from the environment variables Lambda sets, which skips the
 * default provider chain's probing (a measurable part of cold start). The endpoint is the SDK's own
 * {@code AWS_ENDPOINT_URL} handling; when it is set (a local endpoint such as moto or LocalStack), S3 is
 * addressed path-style, since local endpoints do not serve virtual-host buckets.
 */
public final class AwsClients {

    private AwsClients() {}

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
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .build();
    }

    public static S3Client s3() {
        boolean localEndpoint = System.getenv("AWS_ENDPOINT_URL") != null;
        return S3Client.builder()
                .httpClient(httpClient())
                .region(region())
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .forcePathStyle(localEndpoint)
                .build();
    }
}
