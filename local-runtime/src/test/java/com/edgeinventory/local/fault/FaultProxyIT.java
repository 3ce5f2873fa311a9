package com.edgeinventory.local.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.moto.MotoServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A real SDK client (as the functions build theirs) against moto through the proxy. With the default 3 attempts a
 * quarter of failed attempts leaves about 1.6% of calls failed after the SDK's retries (the functions' callers retry
 * those); with 8 attempts every call gets through.
 */
class FaultProxyIT {

    @Test
    void theSdkWorksThroughTheProxyAndItsRetriesRideOutThrottlesAndErrors() {
        try (MotoServer moto = MotoServer.start();
             AwsClients direct = new AwsClients(moto.endpoint(), "eu-west-1");
             FaultProxy proxy = FaultProxy.start(moto.endpoint(),
                     DynamoDbFaults.parse("throttle=0.2,error=0.05,ops=PutItem+UpdateItem,seed=3"), line -> { });
             DynamoDbClient sdk = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                     .endpointOverride(proxy.uri()).region(Region.EU_WEST_1)
                     .credentialsProvider(AwsClients.credentials())
                     .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                             .maxAttempts(8).build())).build()) {
            direct.dynamoDb().createTable(b -> b.tableName("t").billingMode("PAY_PER_REQUEST")
                    .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType("S")));

            for (int i = 0; i < 50; i++) {
                String pk = "k" + i;
                sdk.putItem(b -> b.tableName("t").item(Map.of("pk", AttributeValue.fromS(pk),
                        "n", AttributeValue.fromN("0"))));
                sdk.updateItem(b -> b.tableName("t").key(Map.of("pk", AttributeValue.fromS(pk)))
                        .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one",
                                AttributeValue.fromN("1"))));
            }

            assertThat(sdk.scan(b -> b.tableName("t")).items()).hasSize(50)
                    .allSatisfy(item -> assertThat(item.get("n").n()).as("applied once").isEqualTo("1"));
            FaultProxy.Counts puts = proxy.counts().get("PutItem");
            FaultProxy.Counts updates = proxy.counts().get("UpdateItem");
            long calls = puts.calls() + updates.calls();
            long injected = puts.injected() + updates.injected();
            assertThat(calls - injected).as("each call reached moto once").isEqualTo(100);
            assertThat((double) injected / calls).isBetween(0.15, 0.35);
            assertThat(puts.throttles() + updates.throttles()).isPositive();
            assertThat(puts.errors() + updates.errors()).isPositive();
            assertThat(proxy.counts().get("Scan")).isEqualTo(new FaultProxy.Counts(1, 0, 0));
        }
    }
}
