package com.edgeinventory.local.metrics;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import com.edgeinventory.model.metrics.EmfMetrics;

/**
 * The functions' business metrics as CloudWatch would see them: every Embedded Metric Format line the local
 * functions print ({@link EmfMetrics}) summed per metric name, in total and since the last {@link #sinceLast()}
 * ({@code up} prints those per minute; {@code demo} prints the totals). Metrics whose unit is seconds (lags) keep
 * their maximum instead of a sum.
 */
public final class FunctionMetrics {

    private final Map<String, Double> total = new TreeMap<>();
    private final Map<String, Double> window = new TreeMap<>();

    /** Reads one line of function output; lines that are not EMF are ignored. */
    public void accept(String line) {
        Map<String, Double> values = EmfMetrics.values(line.strip());
        if (values.isEmpty()) {
            return;
        }
        synchronized (this) {
            values.forEach((name, value) -> {
                boolean max = name.endsWith("Seconds");
                total.merge(name, value, max ? Math::max : Double::sum);
                window.merge(name, value, max ? Math::max : Double::sum);
            });
        }
    }

    public synchronized Map<String, Double> total() {
        return new TreeMap<>(total);
    }

    /** The metrics since the previous call, then starts a new window. */
    public synchronized Map<String, Double> sinceLast() {
        Map<String, Double> copy = new TreeMap<>(window);
        window.clear();
        return copy;
    }

    /** {@code Name=value} pairs in name order, whole numbers without decimals; "none" when empty. */
    public static String render(Map<String, Double> metrics) {
        if (metrics.isEmpty()) {
            return "none";
        }
        StringBuilder out = new StringBuilder();
        metrics.forEach((name, value) -> {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(name).append('=').append(value == Math.rint(value) ? Long.toString(value.longValue())
                    : String.format(java.util.Locale.ROOT, "%.1f", value));
        });
        return out.toString();
    }

    /** An output stream that passes everything on to {@code target} and feeds each complete line to this. */
    public OutputStream tap(OutputStream target) {
        return new FilterOutputStream(target) {
            private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) throws IOException {
                out.write(b);
                take(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                for (int i = off; i < off + len; i++) {
                    take(b[i]);
                }
            }

            private void take(int b) {
                if (b == '\n') {
                    accept(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else if (line.size() < 1 << 20) {
                    line.write(b);
                }
            }
        };
    }
}
