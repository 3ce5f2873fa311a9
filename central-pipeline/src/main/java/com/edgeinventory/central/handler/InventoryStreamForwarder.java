package com.edgeinventory.central.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.edgeinventory.central.adapter.InventoryLevels;
import com.edgeinventory.central.adapter.KinesisSink;
import com.edgeinventory.central.service.BatchFailures;
import com.edgeinventory.central.service.CentralOutbox;
import com.edgeinventory.central.service.ChangeRecord;
import com.edgeinventory.central.adapter.CustomerVisitsTable;
import com.edgeinventory.central.service.CustomerVisits;
import com.edgeinventory.central.service.HotSkuLevels;
import com.edgeinventory.central.service.StreamChanges;
import com.edgeinventory.inventory.store.InventoryTable;
import com.edgeinventory.model.central.CentralCodec;
import com.edgeinventory.model.central.Visit;
import com.edgeinventory.model.central.OutboxCodec;
import com.edgeinventory.model.metrics.EmfMetrics;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Edge forwarder: the inventory and purchases tables' streams (NEW_AND_OLD_IMAGES) to the central region's Kinesis
 * stream, one compact record per sku per batch, partition key {@code {region}#{sku}}.
 *
 * <p>Central down: records central does not take after the retries (throttling, service errors, an unreachable
 * endpoint, access denied) are kept in the edge outbox ({@code OUTBOX_QUEUE_URL}, drained by
 * {@link OutboxDrainer}) and their stream records count as processed, so an outage of central never ages them out
 * of the stream; only records the outbox cannot keep are reported as failures.
 *
 * <p>Partial failures: a malformed stream record is reported alone (its own sequence number), so it never holds
 * the rest of the batch back; the event source mapping's MaximumRetryAttempts and on-failure destination take it
 * from there. A delta that could not be written is reported as every stream record it was built from (they
 * share its key), so Lambda, which resumes from the lowest reported sequence number, redelivers them all. The
 * central side deduplicates (levels by version, sales by purchase id), so a redelivered record never counts twice.
 *
 * <p>Hot skus: the level of a sku whose stock is sharded is read from the inventory table ({@link HotSkuLevels});
 * a read that fails reports that sku's records as batch item failures.
 *
 * <p>Environment: {@code CENTRAL_REGION}, {@code CENTRAL_STREAM_NAME}, {@code OUTBOX_QUEUE_URL},
 * {@code OUTBOX_DEAD_LETTER_QUEUE_URL}, {@code INVENTORY_TABLE} (the sharded skus' levels), {@code EDGE_REGION} (default
 * {@code AWS_REGION}); {@code CBOR_ENABLED=false} turns Kinesis CBOR off (for moto). {@code AWS_ENDPOINT_URL}
 * is honoured by the SDK.
 */
public final class InventoryStreamForwarder implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private final String edgeRegion;
    private final KinesisSink sink;
    private final CentralOutbox outbox;
    private final EmfMetrics metrics;
    private final HotSkuLevels.Reader hotSkus;
    private final CustomerVisits visits;

    public InventoryStreamForwarder() {
        this(System.getenv());
    }

    private InventoryStreamForwarder(Map<String, String> env) {
        this(edgeRegion(env), new KinesisSink(Env.centralKinesis(env), Env.required(env, "CENTRAL_STREAM_NAME")),
                Env.outbox(env), EmfMetrics.fromEnvironment(),
                new InventoryLevels(new InventoryTable(Env.dynamoDb(env), Env.required(env, "INVENTORY_TABLE"))),
                new CustomerVisitsTable(Env.dynamoDb(env), Env.required(env, "CUSTOMER_VISITS_TABLE")));
    }

    /** Without an outbox: records central does not take fail their batch. */
    InventoryStreamForwarder(String edgeRegion, KinesisSink sink) {
        this(edgeRegion, sink, CentralOutbox.NONE);
    }

    InventoryStreamForwarder(String edgeRegion, KinesisSink sink, CentralOutbox outbox) {
        this(edgeRegion, sink, outbox, new EmfMetrics("test", new PrintStream(OutputStream.nullOutputStream())));
    }

    InventoryStreamForwarder(String edgeRegion, KinesisSink sink, CentralOutbox outbox, EmfMetrics metrics) {
        this(edgeRegion, sink, outbox, metrics, (sku, at) -> {
            throw new IllegalStateException("no inventory table to read the sharded sku " + sku + " from");
        });
    }

    InventoryStreamForwarder(String edgeRegion, KinesisSink sink, CentralOutbox outbox, EmfMetrics metrics,
                             HotSkuLevels.Reader hotSkus) {
        this(edgeRegion, sink, outbox, metrics, hotSkus, CustomerVisits.NOT_LOOKED_UP);
    }

    InventoryStreamForwarder(String edgeRegion, KinesisSink sink, CentralOutbox outbox, EmfMetrics metrics,
                             HotSkuLevels.Reader hotSkus, CustomerVisits visits) {
        this.visits = Objects.requireNonNull(visits);
        this.hotSkus = Objects.requireNonNull(hotSkus);
        this.edgeRegion = Objects.requireNonNull(edgeRegion);
        this.sink = Objects.requireNonNull(sink);
        this.outbox = Objects.requireNonNull(outbox);
        this.metrics = Objects.requireNonNull(metrics);
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        List<DynamodbEvent.DynamodbStreamRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
        // Every line of this batch carries its correlation id: the stream and the batch's sequence range.
        String batch = batchId(records);
        LambdaLogger contextLog = context.getLogger();
        LambdaLogger log = new LambdaLogger() {
            @Override
            public void log(String message) {
                contextLog.log(batch + ": " + message);
            }

            @Override
            public void log(byte[] message) {
                contextLog.log(message);
            }

            @Override
            public void log(String message, LogLevel level) {
                contextLog.log(batch + ": " + message, level);
            }
        };
        List<ChangeRecord> changes = new ArrayList<>();
        BatchFailures failed = new BatchFailures();
        for (DynamodbEvent.DynamodbStreamRecord record : records) {
            try {
                changes.add(ChangeRecords.of(record));
            } catch (RuntimeException e) {
                String seq = record.getDynamodb() == null ? null : record.getDynamodb().getSequenceNumber();
                logMalformed(log, seq, record.getEventSourceARN(), e.getMessage());
                failed.alone(seq);
            }
        }
        StreamChanges.Result coalesced = StreamChanges.coalesce(edgeRegion, changes);
        // New or returning, looked up here: the customer's id never leaves the region. A failed lookup fails the
        // invocation, and the event source mapping delivers the batch again (the lookup answers the same again).
        Map<String, Visit> known = new java.util.HashMap<>(); // asked in stream order (Result.customers)
        coalesced.customers().forEach((purchaseId, buyer) -> known.put(purchaseId,
                visits.visit(purchaseId, buyer.customerId(), buyer.purchasedAt())));
        StreamChanges.Result result = coalesced.withVisits(known);
        for (StreamChanges.Malformed m : result.malformed()) {
            logMalformed(log, m.sequenceNumber(), records.isEmpty() ? null : records.getFirst().getEventSourceARN(), m.reason());
            failed.alone(m.sequenceNumber());
        }

        HotSkuLevels.Resolved resolved = HotSkuLevels.resolve(result.forwards(), hotSkus,
                line -> log.log(line, LogLevel.WARN));
        resolved.unreadable().forEach(f -> failed.all(f.sourceSequenceNumbers()));

        List<StreamChanges.Forward> forwards = new ArrayList<>();
        List<KinesisSink.Entry> entries = new ArrayList<>();
        for (StreamChanges.Forward f : resolved.ready()) {
            KinesisSink.Entry entry;
            try {
                entry = new KinesisSink.Entry(f.delta().partitionKey(), CentralCodec.encode(f.delta()));
            } catch (IllegalArgumentException e) {
                log.log("cannot encode the central record of " + f.delta().partitionKey() + ": "
                        + e.getMessage() + "; reporting stream records " + f.sourceSequenceNumbers(), LogLevel.ERROR);
                failed.all(f.sourceSequenceNumbers());
                continue;
            }
            if (!entry.fits()) {
                log.log("the central record of " + f.delta().partitionKey() + " is " + entry.data().length
                        + " bytes, over the Kinesis limit of 1 MiB; reporting stream records "
                        + f.sourceSequenceNumbers(), LogLevel.ERROR);
                failed.all(f.sourceSequenceNumbers());
                continue;
            }
            entries.add(entry);
            forwards.add(f);
        }
        // Records central did not take (throttled after retries, central down or unreachable, access denied) are
        // well-formed: they go to the edge outbox and their stream records count as processed, so a central
        // outage never ages them out of the stream. Only what the outbox cannot keep fails the batch.
        List<Integer> undelivered = List.copyOf(sink.send(entries, line -> log.log(line, LogLevel.WARN)));
        if (!undelivered.isEmpty()) {
            List<OutboxCodec.Entry> kept = undelivered.stream()
                    .map(i -> new OutboxCodec.Entry(entries.get(i).partitionKey(), entries.get(i).data())).toList();
            Set<Integer> notKept = outbox.keep(kept, line -> log.log(line, LogLevel.ERROR));
            log.log(undelivered.size() + " central records not delivered; " + (undelivered.size() - notKept.size())
                    + " kept in the outbox" + (notKept.isEmpty() ? "" : ", " + notKept.size()
                    + " reported as batch item failures"), notKept.isEmpty() ? LogLevel.WARN : LogLevel.ERROR);
            for (int k : notKept) {
                failed.all(forwards.get(undelivered.get(k)).sourceSequenceNumbers());
            }
        }

        long delivered = 0;
        long bytes = 0;
        Set<Integer> notDelivered = Set.copyOf(undelivered);
        for (int i = 0; i < entries.size(); i++) {
            if (!notDelivered.contains(i)) {
                delivered++;
                bytes += entries.get(i).data().length;
            }
        }
        metrics.put(java.time.Instant.now(), List.of(EmfMetrics.Metric.count("StreamRecordsRead", records.size()),
                EmfMetrics.Metric.count("RecordsForwarded", delivered), new EmfMetrics.Metric("BytesForwarded",
                        "Bytes", bytes), EmfMetrics.Metric.count("RecordsKeptInOutbox", undelivered.size())),
                Map.of("batch", batch));

        List<StreamsEventResponse.BatchItemFailure> failures = failed.reported().stream()
                .map(seq -> StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(seq).build())
                .toList();
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }

    /** {@code stream/<label> seq <first>..<last>}: the batch's correlation id in the logs and metrics. */
    private static String batchId(List<DynamodbEvent.DynamodbStreamRecord> records) {
        if (records.isEmpty()) {
            return "empty batch";
        }
        String source = records.getFirst().getEventSourceARN();
        String stream = source == null ? "?" : source.substring(source.indexOf(":table/") < 0 ? 0
                : source.indexOf(":table/") + 7);
        String first = records.getFirst().getDynamodb() == null ? "?" : records.getFirst().getDynamodb()
                .getSequenceNumber();
        String last = records.getLast().getDynamodb() == null ? "?" : records.getLast().getDynamodb()
                .getSequenceNumber();
        return "table/" + stream + " seq " + first + ".." + last;
    }

    private static void logMalformed(LambdaLogger log, String sequenceNumber, String source, String reason) {
        log.log("malformed stream record " + sequenceNumber + (source == null ? "" : " of " + source)
                + ", reported alone as a batch item failure: " + reason, LogLevel.ERROR);
    }

    private static String edgeRegion(Map<String, String> env) {
        String edge = env.get("EDGE_REGION");
        return edge == null || edge.isBlank() ? Env.required(env, "AWS_REGION") : edge;
    }
}
