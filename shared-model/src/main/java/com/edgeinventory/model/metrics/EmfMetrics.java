package com.edgeinventory.model.metrics;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Business metrics as CloudWatch Embedded Metric Format lines: one JSON object per line on standard output, which
 * CloudWatch Logs turns into metrics in namespace {@value #NAMESPACE} with no API call and no extra dependency
 * (the format: {@code _aws.Timestamp}, {@code _aws.CloudWatchMetrics[{Namespace, Dimensions, Metrics}]}, then each
 * dimension and metric value as a top-level member). Every metric carries the dimension {@code Stage}; a call may
 * add one more dimension (e.g. {@code Code} of a rejected upload), published both with and without it, and plain
 * properties (correlation ids) that are searchable in the logs but are not dimensions.
 *
 * <p>The template's alarms and dashboards read these names; the local stack reads the same lines from the
 * functions' output ({@code up} prints them per minute).
 */
public final class EmfMetrics {

    public static final String NAMESPACE = "EdgeInventory";
    public static final String STAGE = "Stage";

    /** One metric value: a name, a CloudWatch unit ({@code Count}, {@code Bytes}, {@code Seconds}, ...). */
    public record Metric(String name, String unit, double value) {
        public Metric {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(unit, "unit");
        }

        public static Metric count(String name, long value) {
            return new Metric(name, "Count", value);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String stage;
    private final PrintStream out;

    public EmfMetrics(String stage, PrintStream out) {
        this.stage = Objects.requireNonNull(stage, "stage");
        this.out = Objects.requireNonNull(out, "out");
    }

    /** From the function's {@code STAGE} variable (template Globals), printing to standard output. */
    public static EmfMetrics fromEnvironment() {
        String stage = System.getenv("STAGE");
        return new EmfMetrics(stage == null || stage.isBlank() ? "unknown" : stage, System.out);
    }

    /** Writes one line with the metrics under {@code [Stage]}. */
    public void put(Instant time, List<Metric> metrics, Map<String, String> properties) {
        put(time, null, null, metrics, properties);
    }

    /**
     * Writes one line with the metrics under {@code [Stage]} and, when {@code dimension} is given, also under
     * {@code [Stage, dimension]}.
     */
    public void put(Instant time, String dimension, String dimensionValue, List<Metric> metrics,
                    Map<String, String> properties) {
        if (metrics.isEmpty()) {
            return;
        }
        out.println(line(time, stage, dimension, dimensionValue, metrics, properties));
    }

    /** The EMF line, for tests and for readers of the format. */
    public static String line(Instant time, String stage, String dimension, String dimensionValue,
                              List<Metric> metrics, Map<String, String> properties) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", time.toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        ArrayNode dimensions = directive.putArray("Dimensions");
        dimensions.addArray().add(STAGE);
        if (dimension != null) {
            dimensions.addArray().add(STAGE).add(dimension);
        }
        ArrayNode definitions = directive.putArray("Metrics");
        Map<String, Double> values = new LinkedHashMap<>();
        for (Metric m : metrics) {
            definitions.addObject().put("Name", m.name()).put("Unit", m.unit());
            values.merge(m.name(), m.value(), Double::sum);
        }
        root.put(STAGE, stage);
        if (dimension != null) {
            root.put(dimension, dimensionValue);
        }
        values.forEach((name, value) -> {
            if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                root.put(name, (long) (double) value);
            } else {
                root.put(name, value);
            }
        });
        properties.forEach(root::put);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The metric values of an EMF line ({@code name -> value}), empty for any other line. */
    public static Map<String, Double> values(String line) {
        Map<String, Double> values = new LinkedHashMap<>();
        if (!line.startsWith("{") || !line.contains("\"_aws\"")) {
            return values;
        }
        try {
            var root = JSON.readTree(line);
            List<String> names = new ArrayList<>();
            root.path("_aws").path("CloudWatchMetrics").forEach(d -> {
                if (NAMESPACE.equals(d.path("Namespace").asText())) {
                    d.path("Metrics").forEach(m -> names.add(m.path("Name").asText()));
                }
            });
            for (String name : names) {
                if (root.path(name).isNumber()) {
                    values.put(name, root.path(name).asDouble());
                }
            }
        } catch (JsonProcessingException e) {
            return Map.of();
        }
        return values;
    }
}
