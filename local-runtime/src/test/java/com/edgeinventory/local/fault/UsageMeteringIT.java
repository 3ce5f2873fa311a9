package com.edgeinventory.local.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.meter.UsageMeter;
import com.edgeinventory.local.moto.MotoServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * The usage meter behind the proxy, with real SDK clients against moto: what each call is counted as, in the
 * units AWS bills (DynamoDB read and write units by item size, Kinesis PUT payload units, cross-region bytes).
 */
class UsageMeteringIT {

    static final String CALLER = "eu-west-1/InventoryStreamForwarder";

    @Test
    void everyForwardedCallIsCountedAsAwsBillsIt() {
        UsageMeter meter = new UsageMeter(Instant.now());
        System.setProperty("aws.cborEnabled", "false"); // moto speaks Kinesis over JSON only (as AwsClients sets)
        try (MotoServer moto = MotoServer.start();
             AwsClients direct = new AwsClients(moto.endpoint(), "eu-west-1");
             AwsClients central = new AwsClients(moto.endpoint(), "us-east-2");
             FaultProxy proxy = FaultProxy.start(moto.endpoint(), DynamoDbFaults.NONE, Optional.empty(),
                     Optional.empty(), Optional.of(new FaultProxy.Metering(meter, key -> Optional.of(CALLER))),
                     line -> { });
             DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                     .endpointOverride(proxy.uri()).region(Region.EU_WEST_1)
                     .credentialsProvider(AwsClients.credentials()).build();
             KinesisClient kinesis = KinesisClient.builder().httpClient(UrlConnectionHttpClient.create())
                     .endpointOverride(proxy.uri()).region(Region.US_EAST_2)
                     .credentialsProvider(AwsClients.credentials()).build()) {
            direct.dynamoDb().createTable(b -> b.tableName("t").billingMode("PAY_PER_REQUEST")
                    .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType("S")));
            central.kinesis().createStream(b -> b.streamName("central").shardCount(1));

            String big = "x".repeat(1500); // over 1 KB: 2 write units, 4 in a transaction
            dynamo.putItem(b -> b.tableName("t").item(Map.of("pk", AttributeValue.fromS("a"),
                    "v", AttributeValue.fromS(big))));
            dynamo.updateItem(b -> b.tableName("t").key(Map.of("pk", AttributeValue.fromS("b")))
                    .updateExpression("SET n = :n").expressionAttributeValues(Map.of(":n", AttributeValue.fromN("1"))));
            dynamo.getItem(b -> b.tableName("t").key(Map.of("pk", AttributeValue.fromS("a"))).consistentRead(true));
            dynamo.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName("t").item(Map.of("pk", AttributeValue.fromS("c"),
                            "v", AttributeValue.fromS(big)))).build(),
                    TransactWriteItem.builder().update(u -> u.tableName("t").key(Map.of("pk", AttributeValue.fromS("b")))
                            .updateExpression("ADD n :one")
                            .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))).build()));
            byte[] payload = new byte[30 * 1024]; // over one 25 KB PUT payload unit
            kinesis.putRecords(b -> b.streamName("central").records(
                    PutRecordsRequestEntry.builder().partitionKey("eu-west-1#A").data(SdkBytes.fromByteArray(payload))
                            .build(),
                    PutRecordsRequestEntry.builder().partitionKey("eu-west-1#B").data(SdkBytes.fromUtf8String("hi"))
                            .build()));
        }

        JsonNode usage = meter.toJson(Instant.now(), Map.of(), Map.of("purchases", 1L));
        assertThat(op(usage, "dynamodb", "PutItem").path("writeUnits").asDouble()).isEqualTo(2);
        assertThat(op(usage, "dynamodb", "UpdateItem").path("writeUnits").asDouble()).isEqualTo(1);
        assertThat(op(usage, "dynamodb", "GetItem").path("readUnits").asDouble()).isEqualTo(1);
        assertThat(op(usage, "dynamodb", "TransactWriteItems").path("writeUnits").asDouble()).isEqualTo(4 + 2);
        JsonNode put = op(usage, "kinesis", "PutRecords");
        assertThat(put.path("region").asText()).isEqualTo("us-east-2");
        assertThat(put.path("kinesisRecords").asLong()).isEqualTo(2);
        assertThat(put.path("kinesisPutUnits").asLong()).isEqualTo(2 + 1);
        assertThat(put.path("kinesisPayloadBytes").asLong()).isEqualTo(30 * 1024 + 11 + 2 + 11);
        assertThat(put.path("crossRegionBytes").asLong()).as("an edge function's call to central")
                .isGreaterThan(30 * 1024);
        assertThat(op(usage, "dynamodb", "PutItem").path("crossRegionBytes").asLong()).isZero();
        assertThat(usage.path("business").path("purchases").asLong()).isEqualTo(1);
        assertThat(usage.path("format").asText()).isEqualTo(UsageMeter.FORMAT);
    }

    static JsonNode op(JsonNode usage, String service, String operation) {
        return StreamSupport.stream(usage.path("aws").spliterator(), false)
                .filter(c -> c.path("service").asText().equals(service) && c.path("operation").asText().equals(operation)
                        && c.path("caller").asText().equals(CALLER))
                .findFirst().orElseThrow(() -> new AssertionError("no " + service + " " + operation + " in " + usage));
    }
}
