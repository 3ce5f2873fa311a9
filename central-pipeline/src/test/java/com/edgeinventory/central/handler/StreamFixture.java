package com.edgeinventory.central.handler;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.edgeinventory.model.Json;
import com.edgeinventory.model.central.CentralCodec;
import com.edgeinventory.model.central.SkuDelta;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Test-side plumbing: reads a table's DynamoDB stream (DescribeStream, GetShardIterator TRIM_HORIZON, GetRecords)
 * and turns its records into the Lambda event, and reads the central Kinesis stream back.
 */
final class StreamFixture {

    /** A raw stream record and the Lambda record made of it. */
    record Raw(Record sdk, DynamodbEvent.DynamodbStreamRecord lambda) {
        String sequenceNumber() {
            return sdk.dynamodb().sequenceNumber();
        }

        /** What a naive forwarder would send: the record's keys and NEW_AND_OLD_IMAGES as DynamoDB JSON. */
        byte[] naiveJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("eventName", sdk.eventNameAsString());
            m.put("Keys", json(sdk.dynamodb().keys()));
            if (sdk.dynamodb().hasNewImage()) {
                m.put("NewImage", json(sdk.dynamodb().newImage()));
            }
            if (sdk.dynamodb().hasOldImage()) {
                m.put("OldImage", json(sdk.dynamodb().oldImage()));
            }
            return Json.write(m);
        }
    }

    /** One record read back from Kinesis. */
    record Central(String partitionKey, byte[] data, SkuDelta delta) {}

    private StreamFixture() {}

    static List<Raw> readTableStream(DynamoDbClient dynamo, DynamoDbStreamsClient streams, String table) {
        String arn = dynamo.describeTable(b -> b.tableName(table)).table().latestStreamArn();
        List<Raw> raws = new ArrayList<>();
        for (Shard shard : streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards()) {
            String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                final String it = iterator;
                GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(it));
                if (page.records().isEmpty()) {
                    break;
                }
                page.records().forEach(r -> raws.add(new Raw(r, lambda(r, arn))));
                iterator = page.nextShardIterator();
            }
        }
        raws.sort((a, b) -> new BigInteger(a.sequenceNumber()).compareTo(new BigInteger(b.sequenceNumber())));
        return raws;
    }

    static DynamodbEvent event(List<Raw> raws) {
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(raws.stream().map(Raw::lambda).toList());
        return event;
    }

    static List<Central> readKinesis(KinesisClient kinesis, String stream) {
        List<Central> found = new ArrayList<>();
        for (var shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(software.amazon.awssdk.services.kinesis.model.ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            while (iterator != null) {
                final String it = iterator;
                var page = kinesis.getRecords(b -> b.shardIterator(it));
                if (page.records().isEmpty()) {
                    break;
                }
                page.records().forEach(r -> {
                    byte[] data = r.data().asByteArray();
                    found.add(new Central(r.partitionKey(), data, CentralCodec.decode(data)));
                });
                iterator = page.nextShardIterator();
            }
        }
        return found;
    }

    private static DynamodbEvent.DynamodbStreamRecord lambda(Record r, String arn) {
        StreamRecord s = new StreamRecord();
        s.setSequenceNumber(r.dynamodb().sequenceNumber());
        s.setKeys(lambdaItem(r.dynamodb().keys()));
        if (r.dynamodb().hasNewImage()) {
            s.setNewImage(lambdaItem(r.dynamodb().newImage()));
        }
        if (r.dynamodb().hasOldImage()) {
            s.setOldImage(lambdaItem(r.dynamodb().oldImage()));
        }
        if (r.dynamodb().approximateCreationDateTime() != null) {
            s.setApproximateCreationDateTime(Date.from(r.dynamodb().approximateCreationDateTime()));
        }
        s.setStreamViewType(com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType.NEW_AND_OLD_IMAGES);
        DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
        record.setEventID(r.eventID());
        record.setEventName(r.eventNameAsString());
        record.setEventSource("aws:dynamodb");
        record.setEventSourceARN(arn);
        record.setDynamodb(s);
        return record;
    }

    static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> lambdaItem(
            Map<String, AttributeValue> item) {
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> m = new LinkedHashMap<>();
        item.forEach((k, v) -> m.put(k, lambdaValue(v)));
        return m;
    }

    private static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue lambdaValue(AttributeValue v) {
        var out = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
        if (v.s() != null) {
            out.setS(v.s());
        } else if (v.n() != null) {
            out.setN(v.n());
        } else if (v.bool() != null) {
            out.setBOOL(v.bool());
        } else if (v.hasM()) {
            out.setM(lambdaItem(v.m()));
        } else if (v.hasL()) {
            out.setL(v.l().stream().map(StreamFixture::lambdaValue).toList());
        } else if (Boolean.TRUE.equals(v.nul())) {
            out.setNULL(true);
        } else if (v.hasSs()) {
            out.setSS(v.ss());
        }
        return out;
    }

    private static Object json(Map<String, AttributeValue> item) {
        Map<String, Object> m = new LinkedHashMap<>();
        item.forEach((k, v) -> m.put(k, jsonValue(v)));
        return m;
    }

    private static Object jsonValue(AttributeValue v) {
        if (v.s() != null) {
            return Map.of("S", v.s());
        } else if (v.n() != null) {
            return Map.of("N", v.n());
        } else if (v.bool() != null) {
            return Map.of("BOOL", v.bool());
        } else if (v.hasM()) {
            return Map.of("M", json(v.m()));
        } else if (v.hasL()) {
            return Map.of("L", v.l().stream().map(StreamFixture::jsonValue).toList());
        }
        return Map.of("NULL", true);
    }
}
