package com.edgeinventory.central.adapter;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.TreeSet;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Writes records to the central Kinesis stream with PutRecords, in calls of at most 500 records and 5 MiB.
 * When a call succeeds only in part, only the failed entries are sent again, with bounded backoff
 * (50, 100, 200 ms); a call that fails as a whole (after the SDK's own retries) counts as every entry failing.
 * Whatever still fails after the last attempt is returned to the caller.
 */
public final class KinesisSink {

    /** One record: partition key and payload. */
    public record Entry(String partitionKey, byte[] data) {
        public Entry {
            Objects.requireNonNull(partitionKey, "partitionKey");
            Objects.requireNonNull(data, "data");
        }

        long size() {
            return data.length + partitionKey.getBytes(StandardCharsets.UTF_8).length;
        }

        /** Whether Kinesis takes this record at all (1 MiB, key and data); one that does not is bad input. */
        public boolean fits() {
            return size() <= MAX_BYTES_PER_RECORD;
        }
    }

    /** Sleeps between attempts; tests pass one that records instead. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    static final int MAX_RECORDS_PER_CALL = 500;
    static final long MAX_BYTES_PER_CALL = 5L * 1024 * 1024;
    static final long MAX_BYTES_PER_RECORD = 1024 * 1024;
    static final List<Duration> BACKOFF = List.of(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200));

    private final KinesisClient kinesis;
    private final String streamName;
    private final Sleeper sleeper;

    public KinesisSink(KinesisClient kinesis, String streamName) {
        this(kinesis, streamName, d -> Thread.sleep(d));
    }

    public KinesisSink(KinesisClient kinesis, String streamName, Sleeper sleeper) {
        this.kinesis = Objects.requireNonNull(kinesis);
        this.streamName = Objects.requireNonNull(streamName);
        this.sleeper = Objects.requireNonNull(sleeper);
    }

    /** Sends every entry; returns the indices (into {@code entries}) that could not be written. */
    /**
     * @param warnings receives one line per problem (oversized record, failed call, entries still failing);
     *                 the handler passes its Lambda logger
     */
    public Set<Integer> send(List<Entry> entries, Consumer<String> warnings) {
        Set<Integer> failed = new TreeSet<>();
        List<Integer> chunk = new ArrayList<>();
        long chunkBytes = 0;
        for (int i = 0; i < entries.size(); i++) {
            long size = entries.get(i).size();
            if (size > MAX_BYTES_PER_RECORD) {
                warnings.accept("central record " + entries.get(i).partitionKey() + " is " + size
                        + " bytes, over the Kinesis limit of 1 MiB: not sent");
                failed.add(i);
                continue;
            }
            if (chunk.size() == MAX_RECORDS_PER_CALL || chunkBytes + size > MAX_BYTES_PER_CALL) {
                failed.addAll(sendChunk(entries, chunk, warnings));
                chunk = new ArrayList<>();
                chunkBytes = 0;
            }
            chunk.add(i);
            chunkBytes += size;
        }
        if (!chunk.isEmpty()) {
            failed.addAll(sendChunk(entries, chunk, warnings));
        }
        return failed;
    }

    private List<Integer> sendChunk(List<Entry> entries, List<Integer> chunk, Consumer<String> warnings) {
        List<Integer> pending = chunk;
        for (int attempt = 0; attempt <= BACKOFF.size() && !pending.isEmpty(); attempt++) {
            if (attempt > 0 && !pause(BACKOFF.get(attempt - 1))) {
                break;
            }
            List<PutRecordsRequestEntry> request = pending.stream()
                    .map(i -> PutRecordsRequestEntry.builder()
                            .partitionKey(entries.get(i).partitionKey())
                            .data(SdkBytes.fromByteArray(entries.get(i).data()))
                            .build())
                    .toList();
            PutRecordsResponse response;
            try {
                response = kinesis.putRecords(b -> b.streamName(streamName).records(request));
            } catch (SdkException e) {
                warnings.accept("PutRecords of " + pending.size() + " records failed (attempt " + (attempt + 1)
                        + "): " + e.getMessage());
                continue;
            }
            List<Integer> stillFailing = new ArrayList<>();
            List<PutRecordsResultEntry> results = response.records();
            for (int k = 0; k < pending.size(); k++) {
                PutRecordsResultEntry result = k < results.size() ? results.get(k) : null;
                if (result == null || result.errorCode() != null) {
                    stillFailing.add(pending.get(k));
                }
            }
            if (!stillFailing.isEmpty()) {
                warnings.accept("PutRecords: " + stillFailing.size() + " of " + pending.size()
                        + " records failed (attempt " + (attempt + 1) + ")");
            }
            pending = stillFailing;
        }
        return pending;
    }

    private boolean pause(Duration d) {
        try {
            sleeper.sleep(d);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
