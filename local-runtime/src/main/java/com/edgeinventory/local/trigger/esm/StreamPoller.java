package com.edgeinventory.local.trigger.esm;

import com.edgeinventory.local.invoke.InvokeOutcome;
import com.edgeinventory.local.invoke.InvokeResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One DynamoDB or Kinesis event source mapping, emulated with Lambda's semantics:
 * <ul>
 *   <li>each shard is read in order and delivered in batches of at most {@code BatchSize} records, one batch per
 *       shard in flight;</li>
 *   <li>{@code ReportBatchItemFailures}: the shard resumes from the lowest reported sequence number (records before
 *       it are checkpointed); an identifier that is not in the batch fails the whole batch;</li>
 *   <li>a function error retries the batch, split in halves first when {@code BisectBatchOnFunctionError} is set;</li>
 *   <li>after {@code MaximumRetryAttempts} retries, or once a record is older than
 *       {@code MaximumRecordAgeInSeconds}, the records are skipped and described to the {@code OnFailure}
 *       destination (the batch info Lambda sends, plus the error as {@code reason});</li>
 *   <li>the checkpoint is the sequence number of the last record done with, per shard.</li>
 * </ul>
 * Not thread-safe: one thread polls a mapping.
 */
public final class StreamPoller {

    /** Runs the function on one event. */
    @FunctionalInterface
    public interface Invoker {
        InvokeResult invoke(StreamMapping mapping, String eventJson);
    }

    /** Sends an OnFailure record to a destination ARN (an SQS queue). */
    @FunctionalInterface
    public interface FailureDestination {
        void send(String destinationArn, String recordJson);
    }

    /** What one {@link #poll()} did. */
    public record PollResult(int delivered, int invocations, int discarded) {
        public boolean idle() {
            return delivered == 0 && discarded == 0;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final StreamMapping mapping;
    private final ShardReader reader;
    private final Invoker invoker;
    private final FailureDestination destination;
    private final Clock clock;
    private final Consumer<String> log;
    private final Map<String, Shard> shards = new LinkedHashMap<>();
    private final Map<String, String> checkpoints = new LinkedHashMap<>();
    private final Backoff backoff;
    private int invocations;
    private int discarded;

    /** Waits before retry {@code attempt}; tests pass one that does not sleep. */
    @FunctionalInterface
    interface Backoff {
        void before(int attempt) throws InterruptedException;
    }

    private static final Backoff SLEEP = attempt -> Thread.sleep(Math.min(1000L, 50L << Math.min(attempt, 5)));

    private static final class Shard {
        final String id;
        String iterator;
        boolean closed;
        /** When the buffer last became non-empty: the batching window runs from there. */
        Instant gatheringSince;
        final Deque<PolledRecord> buffer = new ArrayDeque<>();

        Shard(String id) {
            this.id = id;
        }
    }

    /**
     * @param checkpoints where each shard stopped last time (shard id → sequence number), e.g. read back from disk
     */
    public StreamPoller(StreamMapping mapping, ShardReader reader, Invoker invoker, FailureDestination destination,
                        Map<String, String> checkpoints, Clock clock, Consumer<String> log) {
        this(mapping, reader, invoker, destination, checkpoints, clock, log, SLEEP);
    }

    StreamPoller(StreamMapping mapping, ShardReader reader, Invoker invoker, FailureDestination destination,
                 Map<String, String> checkpoints, Clock clock, Consumer<String> log, Backoff backoff) {
        this.backoff = Objects.requireNonNull(backoff);
        this.mapping = Objects.requireNonNull(mapping);
        this.reader = Objects.requireNonNull(reader);
        this.invoker = Objects.requireNonNull(invoker);
        this.destination = Objects.requireNonNull(destination);
        this.clock = Objects.requireNonNull(clock);
        this.log = Objects.requireNonNull(log);
        this.checkpoints.putAll(checkpoints);
    }

    public StreamMapping mapping() {
        return mapping;
    }

    /** Shard id → sequence number of the last record done with (delivered or sent to OnFailure). */
    public Map<String, String> checkpoints() {
        return Map.copyOf(checkpoints);
    }

    /**
     * Reads every shard once and delivers at most one batch per shard (with its retries). A batch smaller than
     * {@code BatchSize} waits until {@code MaximumBatchingWindowInSeconds} has passed since its first record was
     * read, as Lambda gathers records; the caller polls again (it does not sleep here).
     */
    public PollResult poll() {
        discoverShards();
        int delivered = 0;
        int before = invocations;
        int discardedBefore = discarded;
        for (Shard shard : shards.values()) {
            fill(shard);
            if (shard.buffer.isEmpty()) {
                shard.gatheringSince = null;
                continue;
            }
            if (shard.gatheringSince == null) {
                shard.gatheringSince = clock.instant();
            }
            boolean full = shard.buffer.size() >= mapping.batchSize();
            if (!full && clock.instant().isBefore(shard.gatheringSince.plus(mapping.batchingWindow()))) {
                continue;
            }
            List<PolledRecord> batch = new ArrayList<>();
            while (batch.size() < mapping.batchSize() && !shard.buffer.isEmpty()) {
                batch.add(shard.buffer.pollFirst());
            }
            shard.gatheringSince = shard.buffer.isEmpty() ? null : clock.instant();
            delivered += batch.size();
            deliver(shard, batch);
        }
        return new PollResult(delivered, invocations - before, discarded - discardedBefore);
    }

    /**
     * Polls until a poll finds nothing new and nothing is left gathering in a batching window; returns the records
     * handled. For tests and one-shot commands.
     */
    public int drain() {
        int total = 0;
        while (true) {
            PollResult result = poll();
            total += result.delivered();
            if (result.idle()) {
                if (buffered() == 0) {
                    return total;
                }
                pause(Math.min(100, Math.max(1, mapping.batchingWindow().toMillis())));
            }
        }
    }

    /** Records read but not delivered yet (gathering in a batching window). */
    public int buffered() {
        int n = 0;
        for (Shard shard : shards.values()) {
            n += shard.buffer.size();
        }
        return n;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while gathering a batch", e);
        }
    }

    private void discoverShards() {
        for (String id : reader.shards()) {
            shards.computeIfAbsent(id, Shard::new);
        }
    }

    private void fill(Shard shard) {
        if (shard.closed || shard.buffer.size() >= mapping.batchSize()) {
            return;
        }
        if (shard.iterator == null) {
            shard.iterator = reader.iterator(shard.id, Optional.ofNullable(checkpoints.get(shard.id)),
                    mapping.trimHorizon());
        }
        ShardReader.Page page = reader.read(shard.id, shard.iterator, mapping.batchSize() - shard.buffer.size());
        shard.buffer.addAll(page.records());
        if (page.nextIterator() == null) {
            shard.closed = true;
        }
        shard.iterator = page.nextIterator();
    }

    /** Delivers {@code batch} until every record is done with: processed, or skipped to OnFailure. */
    private void deliver(Shard shard, List<PolledRecord> batch) {
        int attempt = 0;
        List<PolledRecord> pending = batch;
        while (!pending.isEmpty()) {
            pending = dropExpired(shard, pending);
            if (pending.isEmpty()) {
                return;
            }
            attempt++;
            InvokeResult result = invoke(shard, pending, attempt);
            String reason;
            if (result.outcome() instanceof InvokeOutcome.Success success) {
                Optional<Integer> firstFailed = firstFailed(success.responseJson(), pending);
                if (firstFailed.isEmpty()) {
                    done(shard, pending);
                    return;
                }
                int index = firstFailed.get();
                done(shard, pending.subList(0, index));
                pending = List.copyOf(pending.subList(index, pending.size()));
                reason = "batch item failure reported for sequence number " + pending.getFirst().sequenceNumber();
            } else {
                reason = result.outcome().summary();
                if (mapping.bisectOnError() && pending.size() > 1) {
                    int half = pending.size() / 2;
                    log.accept(mapping.label() + " " + shard.id + ": function error, bisecting " + pending.size()
                            + " records into " + half + " + " + (pending.size() - half));
                    deliver(shard, List.copyOf(pending.subList(0, half)));
                    deliver(shard, List.copyOf(pending.subList(half, pending.size())));
                    return;
                }
            }
            int retries = attempt - 1;
            if (mapping.maximumRetryAttempts() >= 0 && retries >= mapping.maximumRetryAttempts()) {
                discard(shard, pending, "RetryAttemptsExhausted", attempt, reason, result);
                return;
            }
            backoff(attempt);
        }
    }

    private InvokeResult invoke(Shard shard, List<PolledRecord> batch, int attempt) {
        invocations++;
        String event = StreamEvents.event(batch).toString();
        InvokeResult result = invoker.invoke(mapping, event);
        String outcome = switch (result.outcome()) {
            case InvokeOutcome.Success s -> {
                int failures = failureCount(s.responseJson());
                yield failures == 0 ? "ok" : failures + " batch item failure" + (failures == 1 ? "" : "s");
            }
            default -> "error: " + result.outcome().summary();
        };
        log.accept(mapping.label() + " " + shard.id + " " + batch.size() + " record" + (batch.size() == 1 ? "" : "s")
                + (attempt > 1 ? " (attempt " + attempt + ")" : "") + " " + result.duration().toMillis() + " ms "
                + outcome);
        return result;
    }

    /** The index of the lowest failed record, empty when none failed; 0 when an identifier is not in the batch. */
    private Optional<Integer> firstFailed(String responseJson, List<PolledRecord> batch) {
        if (!mapping.reportBatchItemFailures()) {
            return Optional.empty();
        }
        JsonNode failures = failures(responseJson);
        if (failures == null || failures.isEmpty()) {
            return Optional.empty();
        }
        Set<String> ids = new HashSet<>();
        for (JsonNode failure : failures) {
            JsonNode id = failure.get("itemIdentifier");
            if (id == null || !id.isTextual() || id.asText().isEmpty()) {
                return Optional.of(0);
            }
            ids.add(id.asText());
        }
        int lowest = -1;
        for (String id : ids) {
            int index = indexOf(batch, id);
            if (index < 0) {
                return Optional.of(0);
            }
            lowest = lowest < 0 ? index : Math.min(lowest, index);
        }
        return Optional.of(lowest);
    }

    private static int indexOf(List<PolledRecord> batch, String sequenceNumber) {
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).sequenceNumber().equals(sequenceNumber)) {
                return i;
            }
        }
        return -1;
    }

    private int failureCount(String responseJson) {
        if (!mapping.reportBatchItemFailures()) {
            return 0;
        }
        JsonNode failures = failures(responseJson);
        return failures == null ? 0 : failures.size();
    }

    private static JsonNode failures(String responseJson) {
        if (responseJson == null || responseJson.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(responseJson);
            JsonNode failures = node == null ? null : node.get("batchItemFailures");
            return failures != null && failures.isArray() ? failures : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private List<PolledRecord> dropExpired(Shard shard, List<PolledRecord> pending) {
        if (mapping.maximumRecordAge().isEmpty()) {
            return pending;
        }
        Instant oldest = clock.instant().minus(mapping.maximumRecordAge().get());
        int expired = 0;
        while (expired < pending.size() && pending.get(expired).arrival().isBefore(oldest)) {
            expired++;
        }
        if (expired == 0) {
            return pending;
        }
        discard(shard, pending.subList(0, expired), "RecordAgeExceeded", 0,
                "older than MaximumRecordAgeInSeconds " + mapping.maximumRecordAge().get().toSeconds(), null);
        return List.copyOf(pending.subList(expired, pending.size()));
    }

    private void done(Shard shard, List<PolledRecord> records) {
        if (!records.isEmpty()) {
            checkpoints.put(shard.id, records.getLast().sequenceNumber());
        }
    }

    private void discard(Shard shard, List<PolledRecord> records, String condition, int invokeCount, String reason,
                         InvokeResult last) {
        discarded += records.size();
        log.accept(mapping.label() + " " + shard.id + ": " + condition + ", skipping " + records.size() + " record"
                + (records.size() == 1 ? "" : "s") + " from " + records.getFirst().sequenceNumber()
                + mapping.onFailure().map(d -> " to " + d).orElse(" (no OnFailure destination: dropped)")
                + ": " + reason);
        mapping.onFailure().ifPresent(arn -> destination.send(arn,
                onFailureRecord(shard.id, records, condition, invokeCount, reason, last).toString()));
        done(shard, records);
    }

    /** The record Lambda sends to an OnFailure destination for a stream batch, plus {@code reason}. */
    ObjectNode onFailureRecord(String shardId, List<PolledRecord> records, String condition, int invokeCount,
                               String reason, InvokeResult last) {
        ObjectNode record = NODES.objectNode();
        ObjectNode request = record.putObject("requestContext");
        request.put("requestId", last == null ? UUID.randomUUID().toString() : last.requestId());
        request.put("functionArn", mapping.function().arn());
        request.put("condition", condition);
        request.put("approximateInvokeCount", invokeCount);
        ObjectNode response = record.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", "$LATEST");
        if (last != null && !(last.outcome() instanceof InvokeOutcome.Success)) {
            response.put("functionError", "Unhandled");
        }
        record.put("version", "1.0");
        record.put("timestamp", clock.instant().toString());
        ObjectNode info = record.putObject(mapping.kind().batchInfoField());
        info.put("shardId", shardId);
        info.put("startSequenceNumber", records.getFirst().sequenceNumber());
        info.put("endSequenceNumber", records.getLast().sequenceNumber());
        info.put("approximateArrivalOfFirstRecord", records.getFirst().arrival().toString());
        info.put("approximateArrivalOfLastRecord", records.getLast().arrival().toString());
        info.put("batchSize", records.size());
        info.put("streamArn", mapping.streamArn());
        record.put("reason", reason);
        return record;
    }


    private void backoff(int attempt) {
        try {
            backoff.before(attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a stream batch", e);
        }
    }
}
