package com.edgeinventory.central.handler;

import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

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
}
