package com.edgeinventory.local.moto;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import com.edgeinventory.local.aws.AwsClients;

class MotoServerIT {

    @Test
    void startsResetsAndStops() throws Exception {
        MotoServer moto = MotoServer.start();
        URI endpoint = moto.endpoint();
        try (AwsClients clients = new AwsClients(endpoint, "eu-west-1")) {
            clients.sqs().createQueue(b -> b.queueName("before-reset"));
            assertThat(clients.sqs().listQueues().queueUrls()).hasSize(1);

            moto.reset();

            assertThat(clients.sqs().listQueues().queueUrls()).isEmpty();
        } finally {
            moto.close();
        }

        assertThat(moto.isRunning()).isFalse();
        assertThat(moto.logFile()).exists();
        try (HttpClient http = HttpClient.newHttpClient()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(
                    endpoint.resolve("/moto-api/")).build(), HttpResponse.BodyHandlers.discarding()))
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void aStateFileCarriesTablesStreamsObjectsAndKinesisRecordsAcrossARestart(@org.junit.jupiter.api.io.TempDir
                                                                               java.nio.file.Path dir) {
        java.nio.file.Path state = dir.resolve("moto.state");
        String streamArn;
        String sequence;
        try (MotoServer moto = MotoServer.start(dir.resolve("1.log"), java.util.Optional.of(state));
             AwsClients aws = new AwsClients(moto.endpoint(), "eu-west-1")) {
            aws.dynamoDb().createTable(b -> b.tableName("t").billingMode("PAY_PER_REQUEST")
                    .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
                    .streamSpecification(x -> x.streamEnabled(true).streamViewType("NEW_AND_OLD_IMAGES")));
            aws.dynamoDb().putItem(b -> b.tableName("t").item(java.util.Map.of("pk",
                    software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("a"))));
            aws.s3().createBucket(b -> b.bucket("bucket-one"));
            aws.s3().putObject(b -> b.bucket("bucket-one").key("k"),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("hello"));
            aws.kinesis().createStream(b -> b.streamName("s").shardCount(1));
            sequence = aws.kinesis().putRecord(b -> b.streamName("s").partitionKey("p")
                    .data(software.amazon.awssdk.core.SdkBytes.fromUtf8String("x"))).sequenceNumber();
            streamArn = aws.dynamoDb().describeTable(b -> b.tableName("t")).table().latestStreamArn();
            moto.saveState();
            aws.dynamoDb().putItem(b -> b.tableName("t").item(java.util.Map.of("pk",
                    software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("after-the-save"))));
        }

        try (MotoServer moto = MotoServer.start(dir.resolve("2.log"), java.util.Optional.of(state));
             AwsClients aws = new AwsClients(moto.endpoint(), "eu-west-1")) {
            assertThat(aws.dynamoDb().scan(b -> b.tableName("t")).items()).extracting(i -> i.get("pk").s())
                    .containsExactly("a");
            assertThat(aws.dynamoDb().describeTable(b -> b.tableName("t")).table().latestStreamArn())
                    .isEqualTo(streamArn);
            assertThat(aws.s3().getObjectAsBytes(b -> b.bucket("bucket-one").key("k")).asUtf8String())
                    .isEqualTo("hello");
            String iterator = aws.kinesis().getShardIterator(b -> b.streamName("s").shardId("shardId-000000000000")
                    .shardIteratorType("TRIM_HORIZON")).shardIterator();
            assertThat(aws.kinesis().getRecords(b -> b.shardIterator(iterator)).records())
                    .extracting(r -> r.sequenceNumber()).containsExactly(sequence);
        }
    }

    @Test
    void savingWithoutAStateFileIsRefused() {
        try (MotoServer moto = MotoServer.start()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(moto::saveState)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("without a state file");
        }
    }

    @Test
    void aCancelledTransactionLeavesNoStreamRecordAndOlderIteratorsSeeLaterWrites() {
        try (MotoServer moto = MotoServer.start(); AwsClients aws = new AwsClients(moto.endpoint(), "eu-west-1")) {
            var dynamo = aws.dynamoDb();
            dynamo.createTable(b -> b.tableName("t").billingMode("PAY_PER_REQUEST")
                    .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
                    .streamSpecification(x -> x.streamEnabled(true).streamViewType("NEW_AND_OLD_IMAGES")));
            java.util.function.Function<String, java.util.Map<String,
                    software.amazon.awssdk.services.dynamodb.model.AttributeValue>> key = pk -> java.util.Map.of("pk",
                    software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(pk));
            dynamo.putItem(b -> b.tableName("t").item(key.apply("a")));
            String arn = dynamo.describeTable(b -> b.tableName("t")).table().latestStreamArn();
            var streams = aws.dynamoDbStreams();
            String shard = streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards().getFirst()
                    .shardId();
            String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard)
                    .shardIteratorType("TRIM_HORIZON")).shardIterator();

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> dynamo.transactWriteItems(b -> b.transactItems(
                    t -> t.put(p -> p.tableName("t").item(key.apply("rolled-back"))),
                    t -> t.conditionCheck(c -> c.tableName("t").key(key.apply("a"))
                            .conditionExpression("attribute_not_exists(pk)")))))
                    .isInstanceOf(software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException.class);
            dynamo.putItem(b -> b.tableName("t").item(key.apply("b")));

            assertThat(streams.getRecords(b -> b.shardIterator(iterator)).records())
                    .extracting(r -> r.dynamodb().keys().get("pk").s()).containsExactly("a", "b");
            assertThat(dynamo.scan(b -> b.tableName("t")).items()).extracting(i -> i.get("pk").s())
                    .containsExactlyInAnyOrder("a", "b");
        }
    }
}
