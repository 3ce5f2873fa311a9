package com.edgeinventory.local.trigger.esm;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** The shards of a Kinesis data stream, read with ListShards, GetShardIterator and GetRecords. */
public final class KinesisStreamReader implements ShardReader {

    private final KinesisClient kinesis;
    private final String streamArn;
    private final String region;
    private final String streamName;

    public KinesisStreamReader(KinesisClient kinesis, String streamArn, String region) {
        this.kinesis = Objects.requireNonNull(kinesis);
        this.streamArn = Objects.requireNonNull(streamArn);
        this.region = Objects.requireNonNull(region);
        this.streamName = streamArn.substring(streamArn.indexOf(":stream/") + ":stream/".length());
    }

    @Override
    public List<String> shards() {
        List<String> ids = new ArrayList<>();
        String token = null;
        do {
            final String next = token;
            ListShardsResponse response = kinesis.listShards(b -> {
                if (next == null) {
                    b.streamName(streamName);
                } else {
                    b.nextToken(next);
                }
            });
            for (Shard shard : response.shards()) {
                ids.add(shard.shardId());
            }
            token = response.nextToken();
        } while (token != null);
        return ids;
    }

    @Override
    public String iterator(String shardId, Optional<String> afterSequence, boolean trimHorizon) {
        return kinesis.getShardIterator(b -> {
            b.streamName(streamName).shardId(shardId);
            if (afterSequence.isPresent()) {
                b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                        .startingSequenceNumber(afterSequence.get());
            } else {
                b.shardIteratorType(trimHorizon ? ShardIteratorType.TRIM_HORIZON : ShardIteratorType.LATEST);
            }
        }).shardIterator();
    }

    @Override
    public Page read(String shardId, String iterator, int limit) {
        GetRecordsResponse response = kinesis.getRecords(b -> b.shardIterator(iterator)
                .limit(Math.min(limit, 10_000)));
        List<PolledRecord> records = response.records().stream()
                .map(r -> StreamEvents.kinesis(r, shardId, streamArn, region))
                .toList();
        return new Page(records, response.nextShardIterator());
    }
}
