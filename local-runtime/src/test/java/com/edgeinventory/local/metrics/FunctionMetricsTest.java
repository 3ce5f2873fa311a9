package com.edgeinventory.local.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.edgeinventory.model.metrics.EmfMetrics;
import com.edgeinventory.model.metrics.EmfMetrics.Metric;

class FunctionMetricsTest {

    private static final Instant AT = Instant.parse("2026-12-03T09:00:00Z");

    private static String emf(Metric... metrics) {
        return EmfMetrics.line(AT, "dev", null, null, List.of(metrics), Map.of()) + "\n";
    }

    @Test
    void theTapPassesEverythingOnAndCountsEmfLinesSplitAcrossWrites() throws Exception {
        FunctionMetrics metrics = new FunctionMetrics();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        OutputStream tap = metrics.tap(file);
        String text = "{\"level\":\"INFO\",\"message\":\"APPLIED\"}\n" + emf(Metric.count("UnitsSold", 2))
                + "Picked up JAVA_TOOL_OPTIONS\n" + emf(Metric.count("UnitsSold", 3), Metric.count("OutOfStock", 1))
                + emf(new Metric("AggregatorLagSeconds", "Seconds", 1.5))
                + emf(new Metric("AggregatorLagSeconds", "Seconds", 0.5));
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 7) {
            tap.write(bytes, i, Math.min(7, bytes.length - i));
        }

        assertThat(file.toString(StandardCharsets.UTF_8)).isEqualTo(text);
        assertThat(metrics.total()).containsExactly(Map.entry("AggregatorLagSeconds", 1.5),
                Map.entry("OutOfStock", 1.0), Map.entry("UnitsSold", 5.0));
        assertThat(FunctionMetrics.render(metrics.total())).isEqualTo("AggregatorLagSeconds=1.5 OutOfStock=1 UnitsSold=5");
    }

    @Test
    void aWindowStartsAfreshAfterEachRead() {
        FunctionMetrics metrics = new FunctionMetrics();
        metrics.accept(emf(Metric.count("Purchases", 1)));

        assertThat(metrics.sinceLast()).containsExactly(Map.entry("Purchases", 1.0));
        assertThat(metrics.sinceLast()).isEmpty();
        metrics.accept(emf(Metric.count("Purchases", 4)));
        assertThat(metrics.sinceLast()).containsExactly(Map.entry("Purchases", 4.0));
        assertThat(metrics.total()).containsExactly(Map.entry("Purchases", 5.0));
        assertThat(FunctionMetrics.render(Map.of())).isEqualTo("none");
    }
}
