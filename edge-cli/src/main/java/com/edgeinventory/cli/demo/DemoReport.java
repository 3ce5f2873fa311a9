package com.edgeinventory.cli.demo;

import com.edgeinventory.local.system.Progress;


import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * The demo's text: the summary at the end (events per kind, latency percentiles per route, errors by kind, and
 * whether the central aggregates equal the regional tables) and the one-line {@link Progress} while it runs.
 */
public final class DemoReport {

    private DemoReport() {
    }

    /**
     * What the summary shows.
     *
     * @param warehouses per region, what its warehouse uploaded (may be empty)
     */
    public record Summary(Duration elapsed, List<String> regions, double rate, long seed, StoreSimulator.Stats stats,
                          Map<String, WarehouseSimulator.Counts> warehouses, Reconciliation.Outcome reconciliation) {

        public Summary {
            regions = List.copyOf(regions);
            warehouses = Collections.unmodifiableMap(new LinkedHashMap<>(warehouses));
        }
    }

    public static String render(Summary summary) {
        StringBuilder out = new StringBuilder();
        StoreSimulator.Stats stats = summary.stats();
        out.append(String.format(Locale.ROOT, "Demo: %s in %s, %s events/s per region, seed %d%n",
                seconds(summary.elapsed()), String.join(", ", summary.regions()), number(summary.rate()),
                summary.seed()));
        for (Map.Entry<String, WarehouseSimulator.Counts> w : summary.warehouses().entrySet()) {
            WarehouseSimulator.Counts c = w.getValue();
            out.append(String.format(Locale.ROOT, "Warehouse %s: %d products, %d images, %d restock files uploaded%s%n",
                    w.getKey(), c.products(), c.images(), c.restocks(),
                    c.errors().isEmpty() ? "" : ", failed: " + c.errors()));
        }

        out.append(System.lineSeparator()).append("Events per kind").append(System.lineSeparator());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"kind", "count"});
        for (StoreSimulator.EventKind kind : StoreSimulator.EventKind.values()) {
            rows.add(new String[] {kind.label(), Long.toString(stats.event(kind))});
        }
        rows.add(new String[] {"total", Long.toString(stats.eventCount())});
        table(out, rows);
        out.append(String.format(Locale.ROOT, "%d requests sent; %d out-of-stock answers (409, a normal outcome)%n",
                stats.requests(), stats.outOfStock()));

        out.append(System.lineSeparator()).append("Latency per route (ms)").append(System.lineSeparator());
        rows = new ArrayList<>();
        rows.add(new String[] {"route", "requests", "p50", "p95", "p99", "max"});
        List<String> routes = new ArrayList<>(StoreSimulator.ROUTES);
        stats.latencies().keySet().stream().filter(r -> !routes.contains(r)).sorted().forEach(routes::add);
        for (String route : routes) {
            Histogram h = stats.latencies().get(route);
            if (h == null || h.getTotalCount() == 0) {
                continue;
            }
            rows.add(new String[] {route, Long.toString(h.getTotalCount()), millis(h.getValueAtPercentile(50)),
                    millis(h.getValueAtPercentile(95)), millis(h.getValueAtPercentile(99)), millis(h.getMaxValue())});
        }
        if (rows.size() == 1) {
            out.append("  no requests").append(System.lineSeparator());
        } else {
            table(out, rows);
        }

        out.append(System.lineSeparator()).append("Errors by kind").append(System.lineSeparator());
        if (stats.errors().isEmpty()) {
            out.append("  none").append(System.lineSeparator());
        } else {
            List<String[]> errorRows = new ArrayList<>();
            errorRows.add(new String[] {"kind", "count"});
            stats.errors().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> errorRows.add(new String[] {e.getKey(), Long.toString(e.getValue())}));
            table(out, errorRows);
        }

        out.append(System.lineSeparator());
        Reconciliation.Outcome outcome = summary.reconciliation();
        switch (outcome) {
            case Reconciliation.Equal equal ->
                    out.append("Central aggregates equal the regional tables: yes").append(System.lineSeparator());
            case Reconciliation.Different different -> {
                out.append(String.format(Locale.ROOT, "Central aggregates equal the regional tables: NO (%d difference%s)%n",
                        different.differences().size(), different.differences().size() == 1 ? "" : "s"));
                for (Reconciliation.Difference d : different.differences()) {
                    out.append("  ").append(d.describe()).append(System.lineSeparator());
                }
            }
        }
        return out.toString();
    }

    /** Microseconds as milliseconds with one decimal. */
    public static String millis(long micros) {
        return String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    /** Left-aligned first column, right-aligned numbers, two spaces apart, indented by two. */
    private static void table(StringBuilder out, List<String[]> rows) {
        int columns = rows.getFirst().length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int c = 0; c < columns; c++) {
                if (c > 0) {
                    line.append("  ");
                }
                String cell = row[c];
                String pad = " ".repeat(widths[c] - cell.length());
                line.append(c == 0 ? cell + pad : pad + cell);
            }
            out.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
    }

    /**
     * The progress line while the demo runs: events per second since the previous line, totals, errors, and the
     * pipeline lag to central. Not thread-safe: one caller (the display loop).
     */
    public static final class Progress {

        private Duration lastElapsed = Duration.ZERO;
        private long lastEvents;

        /** The next line; the rate is over the time since the previous call (since the start for the first). */
        public String line(Duration elapsed, long events, long errors, Optional<Duration> lag) {
            long millis = elapsed.minus(lastElapsed).toMillis();
            double perSecond = millis <= 0 ? 0 : (events - lastEvents) * 1000.0 / millis;
            lastElapsed = elapsed;
            lastEvents = events;
            return render(elapsed, perSecond, events, errors, lag);
        }

        /** e.g. {@code [  12s] 48.5 events/s, 584 events, 0 errors, lag to central 1.2 s} */
        public static String render(Duration elapsed, double eventsPerSecond, long events, long errors,
                                    Optional<Duration> lag) {
            return String.format(Locale.ROOT, "[%4ds] %.1f events/s, %d events, %d error%s, lag to central %s",
                    elapsed.toSeconds(), eventsPerSecond, events, errors, errors == 1 ? "" : "s",
                    lag.map(DemoReport::seconds).orElse("-"));
        }
    }
}
