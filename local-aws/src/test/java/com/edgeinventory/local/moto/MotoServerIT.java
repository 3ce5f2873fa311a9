package com.edgeinventory.local.moto;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.edgeinventory.local.aws.AwsClients;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

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

    // A table with a hash and a range key, a GSI and a stream; a transaction that updates one item (and moves it
    // between GSI partitions), deletes one, puts a new one in a new partition and one in an existing partition.
    private static final String TABLE = "undo";

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", s(pk), "sk", s(sk));
    }

    private static void createUndoTable(DynamoDbClient dynamo) {
        dynamo.createTable(b -> b.tableName(TABLE).billingMode("PAY_PER_REQUEST")
                .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE"))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"),
                        a -> a.attributeName("sk").attributeType("S"), a -> a.attributeName("g").attributeType("S"))
                .globalSecondaryIndexes(i -> i.indexName("by-g").projection(p -> p.projectionType("ALL"))
                        .keySchema(k -> k.attributeName("g").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE")))
                .streamSpecification(x -> x.streamEnabled(true).streamViewType("NEW_AND_OLD_IMAGES")));
        dynamo.putItem(b -> b.tableName(TABLE).item(Map.of("pk", s("p1"), "sk", s("1"), "g", s("red"),
                "n", AttributeValue.fromN("1"), "tags", AttributeValue.fromL(List.of(s("a"))))));
        dynamo.putItem(b -> b.tableName(TABLE).item(Map.of("pk", s("p1"), "sk", s("2"), "g", s("red"))));
        dynamo.putItem(b -> b.tableName(TABLE).item(Map.of("pk", s("p2"), "sk", s("1"), "g", s("blue"))));
    }

    private static List<TransactWriteItem> undoTransaction(boolean failing) {
        List<TransactWriteItem> items = new ArrayList<>(List.of(
                TransactWriteItem.builder().update(u -> u.tableName(TABLE).key(key("p1", "1"))
                        .updateExpression("SET n = n + :one, g = :blue, tags = list_append(tags, :b)")
                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":blue", s("blue"),
                                ":b", AttributeValue.fromL(List.of(s("b")))))).build(),
                TransactWriteItem.builder().delete(d -> d.tableName(TABLE).key(key("p2", "1"))
                        .conditionExpression("attribute_exists(pk)")).build(),
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(Map.of("pk", s("p3"), "sk", s("1"),
                        "g", s("red"))).conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(Map.of("pk", s("p1"), "sk", s("3"),
                        "g", s("blue")))).build()));
        if (failing) {
            items.add(TransactWriteItem.builder().conditionCheck(c -> c.tableName(TABLE).key(key("p1", "2"))
                    .conditionExpression("attribute_not_exists(pk)")).build());
        }
        return items;
    }

    /** Every item, as sorted maps, sorted by key. */
    private static List<Map<String, AttributeValue>> items(DynamoDbClient dynamo) {
        return dynamo.scan(b -> b.tableName(TABLE)).items().stream()
                .map(i -> (Map<String, AttributeValue>) new TreeMap<>(i))
                .sorted(Comparator.comparing(i -> i.get("pk").s() + "/" + i.get("sk").s())).toList();
    }

    private static List<String> gsi(DynamoDbClient dynamo, String g) {
        return dynamo.query(b -> b.tableName(TABLE).indexName("by-g").keyConditionExpression("g = :g")
                        .expressionAttributeValues(Map.of(":g", s(g)))).items().stream()
                .map(i -> i.get("pk").s() + "/" + i.get("sk").s() + " n=" + (i.containsKey("n") ? i.get("n").n() : "-"))
                .toList();
    }

    private static String trimHorizon(DynamoDbClient dynamo, DynamoDbStreamsClient streams) {
        String arn = dynamo.describeTable(b -> b.tableName(TABLE)).table().latestStreamArn();
        String shard = streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards().getFirst().shardId();
        return streams.getShardIterator(b -> b.streamArn(arn).shardId(shard).shardIteratorType("TRIM_HORIZON"))
                .shardIterator();
    }

    private static List<String> stream(DynamoDbStreamsClient streams, String iterator) {
        List<Record> records = streams.getRecords(b -> b.shardIterator(iterator)).records();
        return records.stream().map(r -> r.eventNameAsString() + " " + r.dynamodb().keys().get("pk").s() + "/"
                + r.dynamodb().keys().get("sk").s() + " " + r.dynamodb().sequenceNumber()).toList();
    }

    @Test
    void aCancelledTransactionLeavesEveryTouchedItemTheIndexAndTheStreamAsTheyWere() {
        try (MotoServer moto = MotoServer.start(); AwsClients aws = new AwsClients(moto.endpoint(), "eu-west-1")) {
            DynamoDbClient dynamo = aws.dynamoDb();
            createUndoTable(dynamo);
            List<Map<String, AttributeValue>> before = items(dynamo);
            List<String> redBefore = gsi(dynamo, "red");
            List<String> blueBefore = gsi(dynamo, "blue");
            String iterator = trimHorizon(dynamo, aws.dynamoDbStreams());
            List<String> streamBefore = stream(aws.dynamoDbStreams(), iterator);
            assertThat(before).hasSize(3);
            assertThat(streamBefore).hasSize(3);

            TransactionCanceledException cancelled = org.assertj.core.api.Assertions.catchThrowableOfType(
                    TransactionCanceledException.class,
                    () -> dynamo.transactWriteItems(b -> b.transactItems(undoTransaction(true))));

            assertThat(cancelled).isNotNull();
            assertThat(cancelled.cancellationReasons()).extracting(CancellationReason::code)
                    .containsExactly("None", "None", "None", "None", "ConditionalCheckFailed");
            assertThat(items(dynamo)).isEqualTo(before);
            assertThat(dynamo.getItem(b -> b.tableName(TABLE).key(key("p3", "1")).consistentRead(true)).hasItem())
                    .isFalse();
            assertThat(gsi(dynamo, "red")).isEqualTo(redBefore);
            assertThat(gsi(dynamo, "blue")).isEqualTo(blueBefore);
            assertThat(dynamo.describeTable(b -> b.tableName(TABLE)).table().itemCount()).isEqualTo(3L);
            assertThat(stream(aws.dynamoDbStreams(), trimHorizon(dynamo, aws.dynamoDbStreams())))
                    .isEqualTo(streamBefore);

            // The same transaction, its condition now met, applies in full on the state the cancelled one left.
            dynamo.transactWriteItems(b -> b.transactItems(undoTransaction(false)));
            assertThat(stream(aws.dynamoDbStreams(), iterator)).hasSize(7)
                    .startsWith(streamBefore.toArray(String[]::new))
                    .extracting(r -> r.substring(0, r.lastIndexOf(' ')))
                    .endsWith("MODIFY p1/1", "REMOVE p2/1", "INSERT p3/1", "INSERT p1/3");
        }
    }

    @Test
    void aCommittedTransactionAppliesEveryItem() {
        try (MotoServer moto = MotoServer.start(); AwsClients aws = new AwsClients(moto.endpoint(), "eu-west-1")) {
            DynamoDbClient dynamo = aws.dynamoDb();
            createUndoTable(dynamo);
            String iterator = trimHorizon(dynamo, aws.dynamoDbStreams());

            dynamo.transactWriteItems(b -> b.transactItems(undoTransaction(false)));

            assertThat(items(dynamo)).extracting(i -> i.get("pk").s() + "/" + i.get("sk").s())
                    .containsExactly("p1/1", "p1/2", "p1/3", "p3/1");
            Map<String, AttributeValue> updated = dynamo.getItem(b -> b.tableName(TABLE).key(key("p1", "1"))
                    .consistentRead(true)).item();
            assertThat(updated.get("n").n()).isEqualTo("2");
            assertThat(updated.get("tags").l()).extracting(AttributeValue::s).containsExactly("a", "b");
            assertThat(gsi(dynamo, "red")).containsExactlyInAnyOrder("p1/2 n=-", "p3/1 n=-");
            assertThat(gsi(dynamo, "blue")).containsExactlyInAnyOrder("p1/1 n=2", "p1/3 n=-");
            assertThat(dynamo.describeTable(b -> b.tableName(TABLE)).table().itemCount()).isEqualTo(4L);
            assertThat(stream(aws.dynamoDbStreams(), iterator)).extracting(r -> r.substring(0, r.lastIndexOf(' ')))
                    .containsExactly("INSERT p1/1", "INSERT p1/2", "INSERT p2/1",
                            "MODIFY p1/1", "REMOVE p2/1", "INSERT p3/1", "INSERT p1/3");
        }
    }

    @Test
    void aTransactionRefusedAsAWholeUndoesTheItemsItAlreadyApplied() {
        // moto checks "two operations on one item" as it goes, after applying the earlier items.
        try (MotoServer moto = MotoServer.start(); AwsClients aws = new AwsClients(moto.endpoint(), "eu-west-1")) {
            DynamoDbClient dynamo = aws.dynamoDb();
            createUndoTable(dynamo);
            List<Map<String, AttributeValue>> before = items(dynamo);
            String iterator = trimHorizon(dynamo, aws.dynamoDbStreams());

            List<TransactWriteItem> twice = new ArrayList<>(undoTransaction(false));
            twice.add(TransactWriteItem.builder().conditionCheck(c -> c.tableName(TABLE).key(key("p3", "1"))
                    .conditionExpression("attribute_exists(pk)")).build());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> dynamo.transactWriteItems(b -> b.transactItems(twice)))
                    .isInstanceOf(software.amazon.awssdk.services.dynamodb.model.DynamoDbException.class)
                    .hasMessageContaining("multiple operations");

            assertThat(items(dynamo)).isEqualTo(before);
            assertThat(stream(aws.dynamoDbStreams(), iterator)).hasSize(3);
        }
    }

    @Test
    void motoKeepsNoModelObjectOnceItIsGone() throws Exception {
        // moto used to keep every Item it ever made (puts, overwrites, copies for queries, updates, transactions)
        // in a list for its /moto-api/data.json dashboard: memory grew with every request.
        try (MotoServer moto = MotoServer.start(); AwsClients aws = new AwsClients(moto.endpoint(), "eu-west-1");
             HttpClient http = HttpClient.newHttpClient()) {
            DynamoDbClient dynamo = aws.dynamoDb();
            createUndoTable(dynamo);
            for (int i = 0; i < 20; i++) {
                int n = i;
                dynamo.putItem(b -> b.tableName(TABLE).item(Map.of("pk", s("p2"), "sk", s("1"), "g", s("blue"),
                        "n", AttributeValue.fromN(String.valueOf(n)))));
                dynamo.updateItem(b -> b.tableName(TABLE).key(key("p1", "2")).updateExpression("SET n = :n")
                        .expressionAttributeValues(Map.of(":n", AttributeValue.fromN(String.valueOf(n)))));
                gsi(dynamo, "blue");
                items(dynamo);
                dynamo.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().put(p -> p.tableName(TABLE)
                        .item(Map.of("pk", s("p1"), "sk", s("1"), "g", s("red"),
                                "n", AttributeValue.fromN(String.valueOf(n))))).build()));
            }

            String data = http.send(HttpRequest.newBuilder(moto.endpoint().resolve("/moto-api/data.json")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            JsonNode dynamodb = new ObjectMapper().readTree(data).get("dynamodb");
            assertThat(dynamodb.get("Item")).as("live Items: the table's 3").hasSize(3);
            assertThat(dynamodb.get("Table")).hasSize(1);
        }
    }
}
