package com.edgeinventory.retail.handler;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Clients for the no-argument (Lambda) constructors of the retail handlers, the one place they are built: the
 * url-connection HTTP client, region from {@code AWS_REGION}, and the SDK's default credentials chain, which
 * takes the access-key variables of an on-demand function and the container credentials
 * ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI} + token) that Lambda gives a SnapStart function instead. The SDK honours
 * {@code AWS_ENDPOINT_URL} by itself, which is how {@code bin/edge-inventory invoke} points them at moto.
 */
final class RetailClients {

    private RetailClients() {}

    static DynamoDbClient dynamoDb() {
        return DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .region(Region.of(requiredEnv("AWS_REGION")))
                .build();
    }

    static String requiredEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }
}
