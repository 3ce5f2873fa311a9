package com.edgeinventory.inventory.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.edgeinventory.inventory.service.Outcome;
import com.edgeinventory.inventory.service.UploadEvent;
import com.edgeinventory.model.Sequencer;
import com.edgeinventory.model.metrics.EmfMetrics;
import com.edgeinventory.model.metrics.EmfMetrics.Metric;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Turns S3 notification records into {@link UploadEvent}s. */
final class S3Records {

    /** {@code UploadsRejected} by {@code Code}, the business metric of bad uploads. */
    private static final EmfMetrics METRICS = EmfMetrics.fromEnvironment();

    private static final ObjectMapper PAYLOAD = new ObjectMapper();

    private S3Records() {}

    /**
     * Hands every record of the event, in order, to {@code service}, and logs one line per record. Many
     * samples read only the first record; S3 may batch several.
     */
    static UploadReport process(S3Event event, Context context, UploadRouting routing,
                                Function<UploadEvent, Outcome> service) {
        List<UploadReport.Result> results = new ArrayList<>();
        for (S3EventNotificationRecord record : event.getRecords()) {
            String bucket = record.getS3() == null || record.getS3().getBucket() == null ? null
                    : record.getS3().getBucket().getName();
            if (bucket != null && !routing.serves(bucket)) {
                refuseMisrouted(record, bucket, context, routing);
                continue;
            }
            UploadEvent upload = toUploadEvent(record);
            Outcome outcome = service.apply(upload);
            UploadReport.Result result = UploadReport.Result.of(outcome);
            // The correlation id of an upload is its object and the S3 sequencer of the event.
            String object = "s3://" + upload.bucket() + "/" + upload.key() + " @" + upload.sequencer().normalized();
            context.getLogger().log(result.outcome() + " " + object + ": " + result.detail(),
                    outcome instanceof Outcome.Rejected ? LogLevel.WARN : LogLevel.INFO);
            if (outcome instanceof Outcome.Rejected rejected) {
                METRICS.put(Instant.now(), "Code", rejected.code(), List.of(Metric.count("UploadsRejected", 1)),
                        Map.of("object", object));
            }
            results.add(result);
        }
        return new UploadReport(results);
    }

    /** One clear line, and the record to the on-failure queue at once: retrying cannot make it our bucket's. */
    private static void refuseMisrouted(S3EventNotificationRecord record, String bucket, Context context,
                                        UploadRouting routing) {
        String key = record.getS3().getObject() == null ? null : record.getS3().getObject().getKey();
        String reason = "misrouted S3 event " + record.getEventName() + " for s3://" + bucket + "/" + key
                + ": this function serves bucket " + routing.bucket().orElse("?") + " only; refused, not retried";
        context.getLogger().log(reason + " (record sent to the on-failure queue)", LogLevel.ERROR);
        ObjectNode payload = PAYLOAD.createObjectNode();
        ObjectNode r = payload.putArray("Records").addObject();
        r.put("eventSource", record.getEventSource());
        r.put("awsRegion", record.getAwsRegion());
        r.put("eventName", record.getEventName());
        r.put("eventTime", record.getEventTime() == null ? null : record.getEventTime().toString());
        ObjectNode s3 = r.putObject("s3");
        s3.putObject("bucket").put("name", bucket);
        ObjectNode object = s3.putObject("object").put("key", key);
        if (record.getS3().getObject() != null) {
            object.put("sequencer", record.getS3().getObject().getSequencer());
        }
        routing.refused().refuse(payload.toString(), "MisroutedEvent", reason);
    }

    /**
     * @throws MalformedEventException when the record is not an S3 object event we can order (no bucket, key
     *                                 or sequencer); Lambda's retries then end in the dead-letter queue
     */
    static UploadEvent toUploadEvent(S3EventNotificationRecord record) {
        String name = record.getEventName();
        if (record.getS3() == null || record.getS3().getBucket() == null || record.getS3().getObject() == null
                || name == null) {
            throw new MalformedEventException("S3 record without eventName, bucket or object: " + name);
        }
        UploadEvent.Change change;
        if (name.startsWith("ObjectCreated:")) {
            change = UploadEvent.Change.CREATED;
        } else if (name.startsWith("ObjectRemoved:")) {
            change = UploadEvent.Change.REMOVED;
        } else {
            throw new MalformedEventException("unsupported S3 event " + name + "; the template subscribes to "
                    + "ObjectCreated and ObjectRemoved only");
        }
        String key = record.getS3().getObject().getUrlDecodedKey();
        String sequencer = record.getS3().getObject().getSequencer();
        try {
            return new UploadEvent(record.getS3().getBucket().getName(), key, change, Sequencer.of(sequencer));
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("S3 record for " + key + ": " + e.getMessage());
        }
    }

    /** An event that does not have the shape S3 sends. Not bad user data: such events go to the DLQ. */
    static final class MalformedEventException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedEventException(String message) {
            super(message);
        }
    }
}
