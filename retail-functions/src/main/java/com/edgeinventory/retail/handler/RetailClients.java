package com.edgeinventory.retail.handler;

import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Clients for the no-argument (Lambda) constructors of the customer, stock and authorizer handlers: the
 * url-connection HTTP client, credentials from the environment, region from {@code AWS_REGION}. The SDK honours
 * {@code AWS_ENDPOINT_URL} by itself, which is how {@code bin/edge-inventory invoke} points them at moto.
 */
final class RetailClients {

    private RetailClients() {}

    static DynamoDbClient dynamoDb() {
        return DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
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
