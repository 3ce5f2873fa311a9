package com.edgeinventory.local.redrive;

import com.edgeinventory.model.central.CentralCodec;
import com.edgeinventory.model.central.OutboxCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * On-demand redrive ({@code edge-inventory redrive}): the records an edge outbox keeps, and the ranges the central
 * aggregator's dead-letter queue points at, put (back) on the central stream. A message is deleted only once all
 * its records are on the stream; anything that cannot be handled stays in its queue with the reason reported.
 * Running it twice, or alongside the scheduled drainer, is harmless: central applies a level only when it is newer
 * and counts each sale once.
 */
public final class Redrive {

    /** How long a message being handled stays hidden from the drainer. */
    static final Duration VISIBILITY = Duration.ofMinutes(2);
    static final int MAX_RECORDS_PER_CALL = 500;
    static final long MAX_BYTES_PER_CALL = 4L * 1024 * 1024;
    static final int PUT_ATTEMPTS = 4;

    private final Consumer<String> progress;

    public Redrive(Consumer<String> progress) {
        this.progress = Objects.requireNonNull(progress);
    }

    /** Puts every record of the edge outbox at {@code outboxUrl} on the central stream {@code streamName}. */
    public RedriveReport outbox(String source, SqsClient sqs, String outboxUrl, KinesisClient central,
                                String streamName) {
        int done = 0;
        int records = 0;
        List<String> reasons = new ArrayList<>();
        List<Message> left = new ArrayList<>();
        for (Message m : receiveAll(sqs, outboxUrl)) {
            List<OutboxCodec.Entry> entries;
            try {
                entries = OutboxCodec.unpack(m.body());
            } catch (IllegalArgumentException e) {
                reasons.add("message " + m.messageId() + " left: " + e.getMessage()
                        + " (the drainer moves it to the forwarder's dead-letter queue)");
                left.add(m);
                continue;
            }
            int failed = put(central, streamName, entries);
            if (failed > 0) {
                reasons.add("message " + m.messageId() + " left: central refused " + failed + " of " + entries.size()
                        + " records");
                left.add(m);
                continue;
            }
            sqs.deleteMessage(b -> b.queueUrl(outboxUrl).receiptHandle(m.receiptHandle()));
            done++;
            records += entries.size();
        }
        release(sqs, outboxUrl, left);
        return new RedriveReport(source, outboxUrl, done, records, left.size(), 0, reasons);
    }

    /**
     * For every Kinesis batch pointer in the aggregator's dead-letter queue: reads the range from the stream and
     * puts its records back on it (same partition key and data), skipping records that do not decode.
     */
    public RedriveReport aggregatorDeadLetters(String source, SqsClient sqs, String dlqUrl, KinesisClient central) {
        int done = 0;
        int records = 0;
        int skipped = 0;
        List<String> reasons = new ArrayList<>();
        List<Message> left = new ArrayList<>();
        for (Message m : receiveAll(sqs, dlqUrl)) {
            BatchPointer pointer;
            try {
                pointer = BatchPointer.parse(m.body());
            } catch (IllegalArgumentException e) {
                reasons.add("message " + m.messageId() + " left: " + e.getMessage());
                left.add(m);
                continue;
            }
            List<Record> range;
            try {
                range = read(central, pointer);
            } catch (SdkException | IllegalStateException e) {
                reasons.add("message " + m.messageId() + " left: cannot read " + pointer.shardId() + " "
                        + pointer.startSequenceNumber() + ".." + pointer.endSequenceNumber() + ": " + e.getMessage());
                left.add(m);
                continue;
            }
            List<OutboxCodec.Entry> entries = new ArrayList<>();
            for (Record r : range) {
                byte[] data = r.data().asByteArray();
                try {
                    CentralCodec.decode(data);
                    entries.add(new OutboxCodec.Entry(r.partitionKey(), data));
                } catch (RuntimeException e) {
                    skipped++;
                    reasons.add("record " + r.sequenceNumber() + " (" + r.partitionKey() + ") not put back: it does"
                            + " not decode (" + e.getMessage() + ")");
                }
            }
            int failed = put(central, pointer.streamName(), entries);
            if (failed > 0) {
                reasons.add("message " + m.messageId() + " left: the stream refused " + failed + " of "
                        + entries.size() + " records");
                left.add(m);
                continue;
            }
            sqs.deleteMessage(b -> b.queueUrl(dlqUrl).receiptHandle(m.receiptHandle()));
            done++;
            records += entries.size();
        }
        release(sqs, dlqUrl, left);
        return new RedriveReport(source, dlqUrl, done, records, left.size(), skipped, reasons);
    }

    /** Every message currently in the queue, each received once (hidden for {@link #VISIBILITY} meanwhile). */
    private List<Message> receiveAll(SqsClient sqs, String url) {
        List<Message> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (true) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)
                    .visibilityTimeout((int) VISIBILITY.toSeconds())).messages();
            List<Message> fresh = got.stream().filter(m -> seen.add(m.messageId())).toList();
            if (fresh.isEmpty()) {
                return all;
            }
            all.addAll(fresh);
        }
    }

    /** Makes the messages left visible again at once, for the next run or the drainer. */
    private void release(SqsClient sqs, String url, List<Message> left) {
        for (Message m : left) {
            try {
                sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
            } catch (SdkException e) {
                progress.accept("message " + m.messageId() + " stays hidden for up to " + VISIBILITY.toSeconds()
                        + " s: " + e.getMessage());
            }
        }
    }

    /** The records of the pointer's range, read from its shard. */
    static List<Record> read(KinesisClient kinesis, BatchPointer pointer) {
        String iterator = kinesis.getShardIterator(b -> b.streamName(pointer.streamName()).shardId(pointer.shardId())
                .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                .startingSequenceNumber(pointer.startSequenceNumber())).shardIterator();
        List<Record> range = new ArrayList<>();
        boolean first = true;
        for (int calls = 0; iterator != null && calls < 10_000; calls++) {
            final String it = iterator;
            GetRecordsResponse response = kinesis.getRecords(b -> b.shardIterator(it).limit(1000));
            for (Record r : response.records()) {
                if (first && !r.sequenceNumber().equals(pointer.startSequenceNumber())) {
                    throw new IllegalStateException("the range starts at " + r.sequenceNumber() + ", not at "
                            + pointer.startSequenceNumber() + ": its first records have expired from the stream");
                }
                first = false;
                if (pointer.isAfter(r.sequenceNumber())) {
                    return range;
                }
                range.add(r);
            }
            if (response.records().isEmpty() && (response.millisBehindLatest() == null
                    || response.millisBehindLatest() == 0)) {
                break;
            }
            iterator = response.nextShardIterator();
        }
        if (range.isEmpty()) {
            throw new IllegalStateException("no records in the range: it has expired from the stream");
        }
        if (!range.getLast().sequenceNumber().equals(pointer.endSequenceNumber())) {
            throw new IllegalStateException("the range ends at " + range.getLast().sequenceNumber() + ", not at "
                    + pointer.endSequenceNumber());
        }
        return range;
    }

    /** PutRecords of every entry, retrying only the failed ones; returns how many still failed. */
    static int put(KinesisClient kinesis, String stream, List<OutboxCodec.Entry> entries) {
        int failed = 0;
        List<List<OutboxCodec.Entry>> chunks = new ArrayList<>();
        List<OutboxCodec.Entry> chunk = new ArrayList<>();
        long bytes = 0;
        for (OutboxCodec.Entry e : entries) {
            long size = e.data().length + e.partitionKey().getBytes(StandardCharsets.UTF_8).length;
            if (chunk.size() == MAX_RECORDS_PER_CALL || bytes + size > MAX_BYTES_PER_CALL) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(e);
            bytes += size;
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        for (List<OutboxCodec.Entry> c : chunks) {
            failed += putChunk(kinesis, stream, c);
        }
        return failed;
    }

    private static int putChunk(KinesisClient kinesis, String stream, List<OutboxCodec.Entry> chunk) {
        List<OutboxCodec.Entry> pending = chunk;
        for (int attempt = 0; attempt < PUT_ATTEMPTS && !pending.isEmpty(); attempt++) {
            if (attempt > 0) {
                sleep(100L << attempt);
            }
            List<PutRecordsRequestEntry> request = pending.stream().map(e -> PutRecordsRequestEntry.builder()
                    .partitionKey(e.partitionKey()).data(SdkBytes.fromByteArray(e.data())).build()).toList();
            PutRecordsResponse response;
            try {
                response = kinesis.putRecords(b -> b.streamName(stream).records(request));
            } catch (SdkException e) {
                continue;
            }
            List<OutboxCodec.Entry> still = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                if (i >= response.records().size() || response.records().get(i).errorCode() != null) {
                    still.add(pending.get(i));
                }
            }
            pending = still;
        }
        return pending.size();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
