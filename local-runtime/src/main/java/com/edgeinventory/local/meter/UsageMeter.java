package com.edgeinventory.local.meter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the functions of one local run used, in the units AWS bills: every AWS call they made (through the local
 * stack's proxy) by caller, service and operation, with bytes, DynamoDB read and write units and Kinesis PUT payload
 * units; every invocation with its handler duration and memory; the HTTP APIs' requests; the bytes the functions
 * logged. {@code bin/edge-inventory cost} and {@code capacity} read what {@link #toJson} writes. Thread-safe.
 */
public final class UsageMeter {

    /** The usage document's format, in its {@code format} field. */
    public static final String FORMAT = "edge-inventory-usage/1";
    /** Kinesis bills PUT payload units of 25 KB per record. */
    static final long KINESIS_PUT_UNIT = 25 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One caller's use of one operation. */
    private static final class Calls {
        final LongAdder count = new LongAdder();
        final LongAdder requestBytes = new LongAdder();
        final LongAdder responseBytes = new LongAdder();
        final DoubleAdder readUnits = new DoubleAdder();
        final DoubleAdder writeUnits = new DoubleAdder();
        final LongAdder records = new LongAdder();
        final LongAdder payloadBytes = new LongAdder();
        final LongAdder putUnits = new LongAdder();
        final LongAdder billedKb = new LongAdder();
        final LongAdder crossRegionBytes = new LongAdder();
    }

    private static final class Invocations {
        final int memoryMb;
        final LongAdder count = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder durationMillis = new LongAdder();
        final LongAdder billedMillis = new LongAdder();

        Invocations(int memoryMb) {
            this.memoryMb = memoryMb;
        }
    }

    private record CallKey(String region, String caller, String service, String operation) {}

    private volatile Instant started;
    private final Map<CallKey, Calls> calls = new ConcurrentHashMap<>();
    private final Map<String, Invocations> invocations = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> httpRequests = new ConcurrentHashMap<>();
    private final LongAdder logBytes = new LongAdder();

    public UsageMeter(Instant started) {
        this.started = started;
    }

    /** Forgets everything counted so far and counts from {@code now} (e.g. once the system is ready). */
    public void restart(Instant now) {
        calls.clear();
        invocations.clear();
        httpRequests.clear();
        logBytes.reset();
        started = now;
    }

    /**
     * One AWS call of a function.
     *
     * @param region the region the call went to (its credential scope)
     * @param caller {@code region/LogicalId} of the calling function, or {@code ?}
     */
    public void call(String region, String caller, String service, String operation, long requestBytes,
                     long responseBytes, DynamoDbUsage.Units units) {
        Calls c = calls.computeIfAbsent(new CallKey(region, caller, service, operation), k -> new Calls());
        c.count.increment();
        c.requestBytes.add(requestBytes);
        c.responseBytes.add(responseBytes);
        c.readUnits.add(units.read());
        c.writeUnits.add(units.write());
        if (!caller.startsWith(region + "/") && !caller.equals("?")) {
            c.crossRegionBytes.add(requestBytes + responseBytes);
        }
    }

    /** The records of one Kinesis PutRecords/PutRecord call: payload (data + partition key) bytes each. */
    public void kinesisRecords(String region, String caller, String operation, long[] payloadBytes) {
        Calls c = calls.computeIfAbsent(new CallKey(region, caller, "kinesis", operation), k -> new Calls());
        for (long bytes : payloadBytes) {
            c.records.increment();
            c.payloadBytes.add(bytes);
            c.putUnits.add(Math.max(1, (bytes + KINESIS_PUT_UNIT - 1) / KINESIS_PUT_UNIT));
            c.billedKb.add(Math.max(1, (bytes + 1023) / 1024)); // on-demand data-in: each record rounded up to 1 KB
        }
    }

    /** One invocation of {@code region/LogicalId}: its handler time and memory, as Lambda bills them. */
    public void invocation(String function, int memoryMb, Duration duration, boolean succeeded) {
        Invocations i = invocations.computeIfAbsent(function, k -> new Invocations(memoryMb));
        i.count.increment();
        if (!succeeded) {
            i.errors.increment();
        }
        long millis = Math.max(0, duration.toMillis());
        i.durationMillis.add(millis);
        i.billedMillis.add(Math.max(1, millis + (duration.toNanos() % 1_000_000 == 0 ? 0 : 1)));
    }

    /** One request that reached an HTTP API ({@code region/ApiId}), whatever its answer. */
    public void httpRequest(String api) {
        httpRequests.computeIfAbsent(api, k -> new LongAdder()).increment();
    }

    /** Bytes the functions wrote to their logs (CloudWatch Logs ingestion). */
    public void logBytes(long bytes) {
        logBytes.add(bytes);
    }

    /**
     * The usage document.
     *
     * @param business what the run did, e.g. {@code purchases}, {@code uploads}: the denominators of the costs
     */
    public ObjectNode toJson(Instant ended, Map<String, Object> run, Map<String, Long> business) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ObjectNode r = root.putObject("run");
        r.put("startedAt", started.toString());
        r.put("endedAt", ended.toString());
        r.put("seconds", Duration.between(started, ended).toMillis() / 1000.0);
        run.forEach((k, v) -> r.set(k, JSON.valueToTree(v)));
        ObjectNode b = root.putObject("business");
        new TreeMap<>(business).forEach(b::put);
        ArrayNode lambda = root.putArray("lambda");
        new TreeMap<>(invocations).forEach((function, i) -> lambda.addObject()
                .put("function", function)
                .put("memoryMb", i.memoryMb)
                .put("invocations", i.count.sum())
                .put("errors", i.errors.sum())
                .put("durationMillis", i.durationMillis.sum())
                .put("billedMillis", i.billedMillis.sum()));
        ArrayNode aws = root.putArray("aws");
        calls.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(CallKey::region)
                        .thenComparing(CallKey::caller).thenComparing(CallKey::service)
                        .thenComparing(CallKey::operation)))
                .forEach(e -> {
                    Calls c = e.getValue();
                    aws.addObject()
                            .put("region", e.getKey().region())
                            .put("caller", e.getKey().caller())
                            .put("service", e.getKey().service())
                            .put("operation", e.getKey().operation())
                            .put("calls", c.count.sum())
                            .put("requestBytes", c.requestBytes.sum())
                            .put("responseBytes", c.responseBytes.sum())
                            .put("readUnits", c.readUnits.sum())
                            .put("writeUnits", c.writeUnits.sum())
                            .put("kinesisRecords", c.records.sum())
                            .put("kinesisPayloadBytes", c.payloadBytes.sum())
                            .put("kinesisPutUnits", c.putUnits.sum())
                            .put("kinesisBilledKb", c.billedKb.sum())
                            .put("crossRegionBytes", c.crossRegionBytes.sum());
                });
        ArrayNode http = root.putArray("httpApi");
        new TreeMap<>(httpRequests).forEach((api, n) -> http.addObject().put("api", api).put("requests", n.sum()));
        root.put("logBytes", logBytes.sum());
        return root;
    }
}
