package com.edgeinventory.central.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.edgeinventory.central.adapter.FreshnessItems;
import com.edgeinventory.central.adapter.LevelsTable;
import com.edgeinventory.central.adapter.SalesTable;
import com.edgeinventory.central.service.Aggregation;
import com.edgeinventory.central.service.BatchFailures;
import com.edgeinventory.model.central.CentralCodec;
import com.edgeinventory.model.central.SkuDelta;
import com.edgeinventory.model.metrics.EmfMetrics;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Central aggregator: the central Kinesis stream ({@link CentralCodec}-encoded {@link SkuDelta}s, partition key
 * {@code {region}#{sku}}) to the central levels, sales and dedup tables.
 *
 * <p>Partial failures: a record that does not decode is reported alone (its own sequence number) and the rest of
 * the batch is applied. A record that could not be applied (an AWS error, or contention that outlasted the
 * retries) is reported together with every later record of the same partition key in this batch, which are not
 * attempted, so order per key holds when Lambda redelivers from the lowest reported sequence number. Applying is
 * idempotent, so the records of other keys that were applied and are delivered again do not count twice.
 *
 * <p>Environment: {@code LEVELS_TABLE}, {@code SALES_TABLE}, {@code DEDUP_TABLE}, {@code AWS_REGION};
 * {@code AWS_ENDPOINT_URL} is honoured by the SDK.
 */
public final class CentralAggregator implements RequestHandler<KinesisEvent, StreamsEventResponse> {

    private final Aggregation aggregation;
    private final EmfMetrics metrics;

    public CentralAggregator() {
        this(System.getenv());
    }

    private CentralAggregator(Map<String, String> env) {
        this(Env.dynamoDb(env), Env.required(env, "LEVELS_TABLE"), Env.required(env, "SALES_TABLE"), Env.required(env, "DEDUP_TABLE"));
    }

    private CentralAggregator(DynamoDbClient dynamo, String levelsTable, String salesTable, String dedupTable) {
        this(new Aggregation(new LevelsTable(dynamo, levelsTable),
                new SalesTable(dynamo, salesTable, dedupTable, Clock.systemUTC()),
                new FreshnessItems(dynamo, salesTable)), EmfMetrics.fromEnvironment());
    }

    /** Without metrics (tests that don't read them). */
    CentralAggregator(Aggregation aggregation) {
        this(aggregation, new EmfMetrics("test", new PrintStream(OutputStream.nullOutputStream())));
    }

    CentralAggregator(Aggregation aggregation, EmfMetrics metrics) {
        this.aggregation = Objects.requireNonNull(aggregation);
        this.metrics = Objects.requireNonNull(metrics);
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        LambdaLogger log = context.getLogger();
        BatchFailures failed = new BatchFailures();
        List<KinesisEvent.KinesisEventRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
        Map<String, Long> newestEvent = new TreeMap<>();
        int applied = 0;
        for (KinesisEvent.KinesisEventRecord record : records) {
            KinesisEvent.Record kinesis = record.getKinesis();
            String seq = kinesis == null ? null : kinesis.getSequenceNumber();
            String key = kinesis == null ? null : kinesis.getPartitionKey();
            if (seq == null) {
                log.log("central record without a sequence number from " + record.getEventSourceARN()
                        + ": skipped, it cannot be reported", LogLevel.WARN);
                continue;
            }
            if (failed.holdBack(seq, key)) {
                continue;
            }
            SkuDelta delta;
            try {
                delta = CentralCodec.decode(bytes(kinesis.getData()));
            } catch (IllegalArgumentException | NullPointerException e) {
                log.log("malformed central record " + seq + " (partition key " + key + ") of "
                        + record.getEventSourceARN() + ", reported alone as a batch item failure: " + e.getMessage(), LogLevel.ERROR);
                failed.alone(seq);
                continue;
            }
            try {
                aggregation.apply(delta);
                applied++;
                delta.level().ifPresent(l -> newestEvent.merge(delta.region(), l.atMillis(), Math::max));
            } catch (RuntimeException e) {
                String partitionKey = key != null ? key : delta.partitionKey();
                log.log("cannot apply central record " + seq + " of " + partitionKey + ": " + e
                        + "; reporting it and the later records of that key", LogLevel.WARN);
                failed.keyFailed(seq, partitionKey);
            }
        }
        reportLag(newestEvent, applied, records, failed.count());
        List<StreamsEventResponse.BatchItemFailure> failures = failed.reported().stream()
                .map(seq -> StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(seq).build())
                .toList();
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }

    /**
     * {@code AggregatorLagSeconds} per edge region: how long ago the newest event of that region applied in this
     * batch happened at the edge (the central freshness alarm's metric), and {@code RecordsAggregated}. The
     * correlation id of a batch is its sequence range.
     */
    private void reportLag(Map<String, Long> newestEvent, int applied, List<KinesisEvent.KinesisEventRecord> records,
                           int failedCount) {
        Instant now = Instant.now();
        String range = records.isEmpty() ? "" : sequence(records.getFirst()) + ".." + sequence(records.getLast());
        metrics.put(now, List.of(EmfMetrics.Metric.count("RecordsAggregated", applied),
                EmfMetrics.Metric.count("RecordsFailed", failedCount)), Map.of("sequenceRange", range));
        newestEvent.forEach((region, at) -> metrics.put(now, "EdgeRegion", region,
                List.of(new EmfMetrics.Metric("AggregatorLagSeconds", "Seconds",
                        Math.max(0, now.toEpochMilli() - at) / 1000.0)), Map.of("sequenceRange", range)));
    }

    /** A record's sequence number; "?" for a record without one (logged and skipped above, never a failure). */
    private static String sequence(KinesisEvent.KinesisEventRecord record) {
        return record.getKinesis() == null ? "?" : String.valueOf(record.getKinesis().getSequenceNumber());
    }

    private static byte[] bytes(ByteBuffer data) {
        ByteBuffer view = data.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }
}
