package com.edgeinventory.local.trigger.esm;

import com.edgeinventory.local.LocalRuntimeException;
import com.edgeinventory.local.template.EventSource;
import com.edgeinventory.local.template.FunctionDef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One DynamoDB or Kinesis event source mapping of a function, read from its {@code Events} entry in template.yaml
 * (already resolved, so {@code Stream} is the provisioned stream's ARN). Defaults are Lambda's.
 *
 * @param function              the function the mapping invokes
 * @param eventName             the key under {@code Events}
 * @param kind                  DynamoDB Streams or Kinesis
 * @param streamArn             the stream the mapping reads
 * @param trimHorizon           {@code StartingPosition: TRIM_HORIZON} (else LATEST)
 * @param batchSize             at most this many records per invocation (default 100)
 * @param batchingWindow        how long to gather records before invoking (default 0)
 * @param reportBatchItemFailures {@code FunctionResponseTypes: [ReportBatchItemFailures]}
 * @param bisectOnError         {@code BisectBatchOnFunctionError}
 * @param maximumRetryAttempts  -1 = until the record expires (Lambda's default)
 * @param maximumRecordAge      empty = until the record expires (Lambda's default, -1)
 * @param onFailure             the ARN of the OnFailure destination (SQS), if any
 */
public record StreamMapping(
        FunctionDef function,
        String eventName,
        Kind kind,
        String streamArn,
        boolean trimHorizon,
        int batchSize,
        Duration batchingWindow,
        boolean reportBatchItemFailures,
        boolean bisectOnError,
        int maximumRetryAttempts,
        Optional<Duration> maximumRecordAge,
        Optional<String> onFailure) {

    /** The two stream sources Lambda polls for a function. */
    public enum Kind {
        DYNAMODB("aws:dynamodb", "DDBStreamBatchInfo"),
        KINESIS("aws:kinesis", "KinesisBatchInfo");

        private final String eventSource;
        private final String batchInfoField;

        Kind(String eventSource, String batchInfoField) {
            this.eventSource = eventSource;
            this.batchInfoField = batchInfoField;
        }

        /** {@code eventSource} of the records Lambda delivers. */
        public String eventSource() {
            return eventSource;
        }

        /** The field of an OnFailure record that describes the discarded batch. */
        public String batchInfoField() {
            return batchInfoField;
        }
    }

    /** Every DynamoDB and Kinesis mapping of the function, in template order (disabled ones left out). */
    public static List<StreamMapping> of(FunctionDef function) {
        return function.events().stream()
                .filter(EventSource.Generic.class::isInstance)
                .map(EventSource.Generic.class::cast)
                .filter(e -> e.type().equals("DynamoDB") || e.type().equals("Kinesis"))
                .map(e -> of(function, e))
                .filter(m -> m != null)
                .toList();
    }

    /** The mapping of one {@code Events} entry, or null when it is {@code Enabled: false}. */
    static StreamMapping of(FunctionDef function, EventSource.Generic event) {
        Map<String, Object> p = event.properties();
        String where = function.logicalId() + " Events." + event.name();
        if (p.containsKey("Enabled") && !bool(p.get("Enabled"), where + ".Enabled")) {
            return null;
        }
        Kind kind = event.type().equals("DynamoDB") ? Kind.DYNAMODB : Kind.KINESIS;
        if (!(p.get("Stream") instanceof String arn) || !arn.startsWith("arn:")) {
            throw new LocalRuntimeException(where + ".Stream is not a stream ARN after resolving: " + p.get("Stream"));
        }
        String position = String.valueOf(p.getOrDefault("StartingPosition", "LATEST"));
        if (!position.equals("TRIM_HORIZON") && !position.equals("LATEST")) {
            throw new LocalRuntimeException(where + ".StartingPosition " + position
                    + " is not emulated (TRIM_HORIZON or LATEST)");
        }
        int batchSize = integer(p.getOrDefault("BatchSize", 100), where + ".BatchSize");
        int window = integer(p.getOrDefault("MaximumBatchingWindowInSeconds", 0), where
                + ".MaximumBatchingWindowInSeconds");
        Object types = p.getOrDefault("FunctionResponseTypes", List.of());
        boolean report = types instanceof List<?> list && list.contains("ReportBatchItemFailures");
        boolean bisect = p.containsKey("BisectBatchOnFunctionError")
                && bool(p.get("BisectBatchOnFunctionError"), where + ".BisectBatchOnFunctionError");
        int retries = integer(p.getOrDefault("MaximumRetryAttempts", -1), where + ".MaximumRetryAttempts");
        int age = integer(p.getOrDefault("MaximumRecordAgeInSeconds", -1), where + ".MaximumRecordAgeInSeconds");
        Optional<String> onFailure = Optional.empty();
        if (p.get("DestinationConfig") instanceof Map<?, ?> config
                && config.get("OnFailure") instanceof Map<?, ?> failure
                && failure.get("Destination") instanceof String destination) {
            onFailure = Optional.of(destination);
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new LocalRuntimeException(where + ".BatchSize must be 1..10000, got " + batchSize);
        }
        return new StreamMapping(function, event.name(), kind, arn, position.equals("TRIM_HORIZON"), batchSize,
                Duration.ofSeconds(Math.max(0, window)), report, bisect, retries,
                age < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(age)), onFailure);
    }

    /** {@code Function/Event} for logs. */
    public String label() {
        return function.logicalId() + "/" + eventName;
    }

    private static int integer(Object value, String where) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new LocalRuntimeException(where + " is not a whole number: " + value);
        }
    }

    private static boolean bool(Object value, String where) {
        if (value instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(value).trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new LocalRuntimeException(where + " is not true or false: " + value);
    }
}
