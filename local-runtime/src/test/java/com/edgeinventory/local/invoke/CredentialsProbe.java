package com.edgeinventory.local.invoke;

import java.net.URI;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A stand-in for a function's client factory, run in a child JVM with the environment a Lambda execution
 * environment gets: builds a DynamoDB client with the named credentials provider and lists the tables. Prints
 * {@code OK <access key id>} or {@code FAILED <exception>}; exit status 0 or 1.
 */
public final class CredentialsProbe {

    private CredentialsProbe() {
    }

    public static void main(String[] args) {
        AwsCredentialsProvider provider = switch (args[0]) {
            case "environment-variables" -> EnvironmentVariableCredentialsProvider.create();
            case "default-chain" -> DefaultCredentialsProvider.builder().build();
            default -> throw new IllegalArgumentException(args[0]);
        };
        try (DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(System.getenv("AWS_REGION"))).endpointOverride(URI.create(args[1]))
                .credentialsProvider(provider).build()) {
            dynamo.listTables();
            System.out.println("OK " + provider.resolveCredentials().accessKeyId());
        } catch (RuntimeException e) {
            System.out.println("FAILED " + e);
            System.exit(1);
        }
    }
}
