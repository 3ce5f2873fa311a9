package com.edgeinventory.local.trigger.esm;

import com.edgeinventory.local.aws.DynamoWire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * Stream records as Lambda delivers them: the SDK's DynamoDB Streams and Kinesis records turned into the
 * {@code Records[]} entries of a {@code DynamodbEvent} / {@code KinesisEvent}, field for field.
 */
public final class StreamEvents {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private StreamEvents() {
    }

    /** The event Lambda sends for a batch: {@code {"Records": [...]}}. */
    public static ObjectNode event(List<PolledRecord> batch) {
        ObjectNode event = NODES.objectNode();
        ArrayNode records = event.putArray("Records");
        batch.forEach(r -> records.add(r.json()));
        return event;
    }

    /** A DynamoDB Streams record of {@code streamArn} in {@code region}. */
    public static PolledRecord dynamodb(Record record, String streamArn, String region) {
        StreamRecord s = record.dynamodb();
        ObjectNode json = NODES.objectNode();
        json.put("eventID", record.eventID());
        json.put("eventName", record.eventNameAsString());
        json.put("eventVersion", record.eventVersion() == null ? "1.1" : record.eventVersion());
        json.put("eventSource", "aws:dynamodb");
        json.put("awsRegion", region);
        ObjectNode d = json.putObject("dynamodb");
        Instant created = s.approximateCreationDateTime() == null ? Instant.now() : s.approximateCreationDateTime();
        d.put("ApproximateCreationDateTime", created.getEpochSecond());
        if (s.hasKeys()) {
            d.set("Keys", item(s.keys()));
        }
        if (s.hasNewImage()) {
            d.set("NewImage", item(s.newImage()));
        }
        if (s.hasOldImage()) {
            d.set("OldImage", item(s.oldImage()));
        }
        d.put("SequenceNumber", s.sequenceNumber());
        d.put("SizeBytes", s.sizeBytes() == null ? 0 : s.sizeBytes());
        d.put("StreamViewType", s.streamViewTypeAsString());
        json.put("eventSourceARN", streamArn);
        return new PolledRecord(s.sequenceNumber(), created, json);
    }

    /** A Kinesis record of shard {@code shardId} of {@code streamArn} in {@code region}. */
    public static PolledRecord kinesis(software.amazon.awssdk.services.kinesis.model.Record record, String shardId,
                                       String streamArn, String region) {
        Instant arrival = record.approximateArrivalTimestamp() == null
                ? Instant.now() : record.approximateArrivalTimestamp();
        ObjectNode json = NODES.objectNode();
        ObjectNode k = json.putObject("kinesis");
        k.put("kinesisSchemaVersion", "1.0");
        k.put("partitionKey", record.partitionKey());
        k.put("sequenceNumber", record.sequenceNumber());
        k.put("data", Base64.getEncoder().encodeToString(record.data().asByteArray()));
        k.put("approximateArrivalTimestamp",
                BigDecimal.valueOf(arrival.toEpochMilli()).movePointLeft(3));
        json.put("eventSource", "aws:kinesis");
        json.put("eventVersion", "1.0");
        json.put("eventID", shardId + ":" + record.sequenceNumber());
        json.put("eventName", "aws:kinesis:record");
        json.put("invokeIdentityArn", "arn:aws:iam::" + account(streamArn) + ":role/edge-inventory-local");
        json.put("awsRegion", region);
        json.put("eventSourceARN", streamArn);
        return new PolledRecord(record.sequenceNumber(), arrival, json);
    }

    /** An item in DynamoDB's JSON, as in stream events. */
    static ObjectNode item(Map<String, AttributeValue> item) {
        return DynamoWire.item(item);
    }

    private static String account(String arn) {
        String[] parts = arn.split(":");
        return parts.length > 4 && !parts[4].isEmpty() ? parts[4] : "123456789012";
    }
}
