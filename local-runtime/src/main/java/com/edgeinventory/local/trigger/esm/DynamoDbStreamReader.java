package com.edgeinventory.local.trigger.esm;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** The shards of a DynamoDB stream, read with DescribeStream, GetShardIterator and GetRecords. */
public final class DynamoDbStreamReader implements ShardReader {

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final String region;

    public DynamoDbStreamReader(DynamoDbStreamsClient streams, String streamArn, String region) {
        this.streams = Objects.requireNonNull(streams);
        this.streamArn = Objects.requireNonNull(streamArn);
        this.region = Objects.requireNonNull(region);
    }

    @Override
    public List<String> shards() {
        List<String> ids = new ArrayList<>();
        String start = null;
        do {
            final String from = start;
            StreamDescription description = streams.describeStream(b -> b.streamArn(streamArn)
                    .exclusiveStartShardId(from)).streamDescription();
            for (Shard shard : description.shards()) {
                ids.add(shard.shardId());
            }
            start = description.lastEvaluatedShardId();
        } while (start != null);
        return ids;
    }

    @Override
    public String iterator(String shardId, Optional<String> afterSequence, boolean trimHorizon) {
        return streams.getShardIterator(b -> {
            b.streamArn(streamArn).shardId(shardId);
            if (afterSequence.isPresent()) {
                b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(afterSequence.get());
            } else {
                b.shardIteratorType(trimHorizon ? ShardIteratorType.TRIM_HORIZON : ShardIteratorType.LATEST);
            }
        }).shardIterator();
    }

    @Override
    public Page read(String shardId, String iterator, int limit) {
        GetRecordsResponse response = streams.getRecords(b -> b.shardIterator(iterator).limit(Math.min(limit, 1000)));
        List<PolledRecord> records = response.records().stream()
                .map(r -> StreamEvents.dynamodb(r, streamArn, region))
                .toList();
        return new Page(records, response.nextShardIterator());
    }
}
