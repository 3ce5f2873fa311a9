package com.edgeinventory.cli.cost;

import com.edgeinventory.local.LocalRuntimeException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished run's measured usage, as the local stack's meter wrote it ({@code UsageMeter}, format
 * {@code edge-inventory-usage/1}): the run's length and business counts, every function's invocations, every AWS
 * call of the functions, the HTTP APIs' requests and the log bytes; and what it left stored (absent in older files).
 *
 * @param edgeRegions how many edge regions the run had (its per-region background is divided by it)
 */
public record Usage(double seconds, int edgeRegions, Map<String, Long> business, List<Lambda> lambda,
                    List<Call> aws, Map<String, Long> httpApi, long logBytes, List<Stored> storage) {

    public Usage(double seconds, int edgeRegions, Map<String, Long> business, List<Lambda> lambda, List<Call> aws,
                 Map<String, Long> httpApi, long logBytes) {
        this(seconds, edgeRegions, business, lambda, aws, httpApi, logBytes, List.of());
    }

    /** What the run left in one table or bucket ({@code StorageSurvey}): items or objects, billed bytes. */
    public record Stored(String region, String resource, String service, long items, long bytes) {}

    /** One function ({@code region/LogicalId}). */
    public record Lambda(String function, int memoryMb, long invocations, long errors, long durationMillis,
                         long billedMillis) {
        public String logicalId() {
            return function.substring(function.indexOf('/') + 1);
        }
    }

    /** One caller's use of one operation of one service. */
    public record Call(String region, String caller, String service, String operation, long calls,
                       long requestBytes, long responseBytes, double readUnits, double writeUnits,
                       long kinesisRecords, long kinesisPayloadBytes, long kinesisPutUnits, long kinesisBilledKb,
                       long crossRegionBytes) {
        public String callerLogicalId() {
            return caller.substring(caller.indexOf('/') + 1);
        }
    }

    public static final String FORMAT = "edge-inventory-usage/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    public long business(String name) {
        return business.getOrDefault(name, 0L);
    }

    public static Usage read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new LocalRuntimeException("No usage file " + file + ": run 'bin/edge-inventory demo' first (it"
                    + " writes one), or give --usage FILE");
        } catch (IOException e) {
            throw new LocalRuntimeException("Cannot read the usage file " + file + ": " + e.getMessage(), e);
        }
        return parse(root, file.toString());
    }

    static Usage parse(JsonNode root, String where) {
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new LocalRuntimeException(where + ": not a usage file of format " + FORMAT);
        }
        double seconds = root.path("run").path("seconds").asDouble(0);
        if (seconds <= 0) {
            throw new LocalRuntimeException(where + ": the run has no length (run.seconds)");
        }
        Map<String, Long> business = new LinkedHashMap<>();
        root.path("business").properties().forEach(e -> business.put(e.getKey(), e.getValue().asLong()));
        List<Lambda> lambda = new ArrayList<>();
        for (JsonNode l : root.path("lambda")) {
            lambda.add(new Lambda(l.path("function").asText(), l.path("memoryMb").asInt(128),
                    l.path("invocations").asLong(), l.path("errors").asLong(), l.path("durationMillis").asLong(),
                    l.path("billedMillis").asLong()));
        }
        List<Call> aws = new ArrayList<>();
        for (JsonNode c : root.path("aws")) {
            aws.add(new Call(c.path("region").asText(), c.path("caller").asText(), c.path("service").asText(),
                    c.path("operation").asText(), c.path("calls").asLong(), c.path("requestBytes").asLong(),
                    c.path("responseBytes").asLong(), c.path("readUnits").asDouble(), c.path("writeUnits").asDouble(),
                    c.path("kinesisRecords").asLong(), c.path("kinesisPayloadBytes").asLong(),
                    c.path("kinesisPutUnits").asLong(), c.path("kinesisBilledKb").asLong(),
                    c.path("crossRegionBytes").asLong()));
        }
        Map<String, Long> http = new LinkedHashMap<>();
        for (JsonNode h : root.path("httpApi")) {
            http.put(h.path("api").asText(), h.path("requests").asLong());
        }
        int edges = Math.max(1, root.path("run").path("edges").size());
        List<Stored> storage = new ArrayList<>();
        for (JsonNode st : root.path("storage")) {
            storage.add(new Stored(st.path("region").asText(), st.path("resource").asText(),
                    st.path("service").asText(), st.path("items").asLong(), st.path("bytes").asLong()));
        }
        return new Usage(seconds, edges, business, lambda, aws, http, root.path("logBytes").asLong(), storage);
    }
}
