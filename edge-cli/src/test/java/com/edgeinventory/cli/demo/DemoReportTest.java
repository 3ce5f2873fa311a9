package com.edgeinventory.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.cli.demo.StoreSimulator.EventKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class DemoReportTest {

    private static StoreSimulator.Stats stats() {
        Histogram add = StoreSimulator.newHistogram();
        for (int i = 1; i <= 100; i++) {
            add.recordValue(i * 1000L); // 1..100 ms
        }
        Histogram sale = StoreSimulator.newHistogram();
        sale.recordValue(2500);
        return new StoreSimulator.Stats(
                Map.of(EventKind.ADD, 100L, EventKind.SALE, 1L, EventKind.RETRY, 3L, EventKind.ABANDON, 2L),
                104, 7, Map.of("5xx 502", 2L, "io HttpTimeoutException", 1L),
                Map.of(StoreSimulator.ROUTE_ADD, add, StoreSimulator.ROUTE_SALE, sale));
    }

    private static DemoReport.Summary summary(Reconciliation.Outcome outcome) {
        return new DemoReport.Summary(Duration.ofSeconds(60), List.of("eu-west-1", "us-east-1"), 20, 42, stats(),
                Map.of("eu-west-1", new WarehouseSimulator.Counts(50, 50, 4, Map.of())), outcome);
    }

    @Test
    void theSummaryShowsEventsLatenciesErrorsAndYes() {
        String text = DemoReport.render(summary(new Reconciliation.Equal()));

        assertThat(text).contains("Demo: 60.0 s in eu-west-1, us-east-1, 20 events/s per region, seed 42");
        assertThat(text).contains("Warehouse eu-west-1: 50 products, 50 images, 4 restock files uploaded");
        assertThat(text).containsPattern("(?m)^  add +100$");
        assertThat(text).containsPattern("(?m)^  remove +0$");
        assertThat(text).containsPattern("(?m)^  retry +3$");
        assertThat(text).containsPattern("(?m)^  abandon +2$");
        assertThat(text).containsPattern("(?m)^  total +106$");
        assertThat(text).contains("104 requests sent; 7 out-of-stock answers");
        // 1..100 ms: p50 50, p95 95, p99 99, max 100 (HdrHistogram rounds within 0.1 %)
        assertThat(text).containsPattern(
                "(?m)^  POST /v1/transactions/\\{clientId}/items +100 +50\\.0 +95\\.0 +99\\.0 +100\\.0$");
        assertThat(text).containsPattern("(?m)^  POST /v1/sales +1 +2\\.5 +2\\.5 +2\\.5 +2\\.5$");
        assertThat(text).doesNotContain("GET /v1/stock");
        assertThat(text).containsPattern("(?m)^  5xx 502 +2$");
        assertThat(text).containsPattern("(?m)^  io HttpTimeoutException +1$");
        assertThat(text).contains("Central aggregates equal the regional tables: yes");
        assertThat(text.indexOf("Events per kind")).isLessThan(text.indexOf("Latency per route"));
        assertThat(text.indexOf("Latency per route")).isLessThan(text.indexOf("Errors by kind"));
    }

    @Test
    void theSummaryListsTheDifferencesWhenCentralDiffers() {
        Reconciliation.Difference d = new Reconciliation.Difference("eu-west-1", "AAA-1", "sold", "edge",
                OptionalLong.of(5), "central", OptionalLong.of(4));

        String text = DemoReport.render(summary(new Reconciliation.Different(List.of(d))));

        assertThat(text).contains("Central aggregates equal the regional tables: NO (1 difference)");
        assertThat(text).contains("  eu-west-1 AAA-1 sold: edge 5, central 4");
        assertThat(text).doesNotContain(": yes");
    }

    @Test
    void noErrorsAndNoRequestsAreSaidSo() {
        StoreSimulator.Stats empty = StoreSimulator.Stats.merge(List.of());
        String text = DemoReport.render(new DemoReport.Summary(Duration.ofMillis(1500), List.of("eu-west-1"), 2.5, 1,
                empty, Map.of(), new Reconciliation.Equal()));

        assertThat(text).contains("1.5 s in eu-west-1, 2.5 events/s");
        assertThat(text).contains("Latency per route (ms)" + System.lineSeparator() + "  no requests");
        assertThat(text).contains("Errors by kind" + System.lineSeparator() + "  none");
    }

    @Test
    void mergeAddsCountsAndHistograms() {
        StoreSimulator.Stats merged = StoreSimulator.Stats.merge(List.of(stats(), stats()));

        assertThat(merged.event(EventKind.ADD)).isEqualTo(200);
        assertThat(merged.requests()).isEqualTo(208);
        assertThat(merged.outOfStock()).isEqualTo(14);
        assertThat(merged.errors()).containsEntry("5xx 502", 4L);
        assertThat(merged.latencies().get(StoreSimulator.ROUTE_ADD).getTotalCount()).isEqualTo(200);
    }

    @Test
    void progressLineHasRateErrorsAndLag() {
        DemoReport.Progress progress = new DemoReport.Progress();

        String first = progress.line(Duration.ofSeconds(2), 40, 0, Optional.empty());
        String second = progress.line(Duration.ofSeconds(4), 140, 1, Optional.of(Duration.ofMillis(1200)));

        assertThat(first).isEqualTo("[   2s] 20.0 events/s, 40 events, 0 errors, lag to central -");
        assertThat(second).isEqualTo("[   4s] 50.0 events/s, 140 events, 1 error, lag to central 1.2 s");
        assertThat(second).doesNotContain("\n");
    }
}
