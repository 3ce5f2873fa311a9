package com.edgeinventory.model.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.edgeinventory.model.metrics.EmfMetrics.Metric;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class EmfMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-12-03T09:00:00Z");

    @Test
    void aLineIsCloudWatchEmbeddedMetricFormat() throws Exception {
        JsonNode line = JSON.readTree(EmfMetrics.line(AT, "prod", null, null,
                List.of(Metric.count("UnitsSold", 3), Metric.count("Purchases", 1)), Map.of("purchaseId", "p-1")));

        assertThat(line.at("/_aws/Timestamp").asLong()).isEqualTo(AT.toEpochMilli());
        JsonNode directive = line.at("/_aws/CloudWatchMetrics/0");
        assertThat(directive.get("Namespace").asText()).isEqualTo("EdgeInventory");
        assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"Stage\"]]");
        assertThat(directive.get("Metrics").toString())
                .isEqualTo("[{\"Name\":\"UnitsSold\",\"Unit\":\"Count\"},{\"Name\":\"Purchases\",\"Unit\":\"Count\"}]");
        assertThat(line.get("Stage").asText()).isEqualTo("prod");
        assertThat(line.get("UnitsSold").isIntegralNumber()).isTrue();
        assertThat(line.get("UnitsSold").asLong()).isEqualTo(3);
        assertThat(line.get("purchaseId").asText()).isEqualTo("p-1");
    }

    @Test
    void anExtraDimensionIsPublishedWithAndWithoutIt() throws Exception {
        JsonNode line = JSON.readTree(EmfMetrics.line(AT, "dev", "Code", "CORRUPT_IMAGE",
                List.of(Metric.count("UploadsRejected", 1)), Map.of()));

        assertThat(line.at("/_aws/CloudWatchMetrics/0/Dimensions").toString())
                .isEqualTo("[[\"Stage\"],[\"Stage\",\"Code\"]]");
        assertThat(line.get("Code").asText()).isEqualTo("CORRUPT_IMAGE");
    }

    @Test
    void valuesReadBackWhatWasWrittenAndNothingFromOtherLines() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new EmfMetrics("dev", new PrintStream(out, true, StandardCharsets.UTF_8)).put(AT,
                List.of(new Metric("AggregatorLagSeconds", "Seconds", 1.5)), Map.of());
        new EmfMetrics("dev", new PrintStream(out, true, StandardCharsets.UTF_8)).put(AT, List.of(), Map.of());

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(1);
        assertThat(EmfMetrics.values(lines.getFirst())).containsExactly(Map.entry("AggregatorLagSeconds", 1.5));
        assertThat(EmfMetrics.values("{\"level\":\"INFO\",\"message\":\"hello\"}")).isEmpty();
        assertThat(EmfMetrics.values("not json {\"_aws\"")).isEmpty();
    }
}
