package com.edgeinventory.retail.handler;

import static com.edgeinventory.retail.handler.TransactionFixture.STORE_A;
import static com.edgeinventory.retail.handler.TransactionFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.retail.service.TransactionSweeper;
import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.LocalAwsExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsExtension.class)
class TransactionSweeperIT {

    static final String SKU = "TR-RUN-42-BLU";

    TransactionFixture fx;

    @BeforeEach
    void setUp(LocalAws aws) {
        aws.reset();
        fx = new TransactionFixture(aws);
        fx.product(SKU, 25);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void expiresOnlyIdleOpenTransactionsAndReleasesTheirStock() {
        ok(fx.add(STORE_A, "idle-1", SKU, 2, "key-add-0001"), 201);
        ok(fx.add(STORE_A, "idle-2", SKU, 3, "key-add-0002"), 201);
        ok(fx.add(STORE_A, "done-1", SKU, 1, "key-add-0003"), 201);
        ok(fx.checkout(STORE_A, "done-1", "key-chk-0003"), 200);
        fx.clock.advance(Duration.ofMinutes(10));
        ok(fx.add(STORE_A, "busy-1", SKU, 4, "key-add-0004"), 201);
        fx.clock.advance(Duration.ofMinutes(6)); // idle-1 and idle-2 are now 16 minutes idle, busy-1 only 6

        java.io.ByteArrayOutputStream emf = new java.io.ByteArrayOutputStream();
        Map<String, Integer> report = new TransactionSweeperHandler(fx.sweeper(),
                new com.edgeinventory.model.metrics.EmfMetrics("it", new java.io.PrintStream(emf, true,
                        java.nio.charset.StandardCharsets.UTF_8)), fx.clock)
                .handleRequest(Map.of("detail-type", "Scheduled Event"), null);

        assertThat(report).containsExactly(Map.entry("examined", 2), Map.entry("expired", 2), Map.entry("skipped", 0));
        assertThat(com.edgeinventory.model.metrics.EmfMetrics.values(emf.toString(
                java.nio.charset.StandardCharsets.UTF_8).strip())).containsEntry("TransactionsExpired", 2.0);
        assertThat(fx.levels(SKU)).containsExactly(20, 4, 1);
        assertThat(ok(fx.get(STORE_A, "idle-1"), 200).get("status").asText()).isEqualTo("EXPIRED");
        assertThat(ok(fx.get(STORE_A, "busy-1"), 200).get("status").asText()).isEqualTo("OPEN");
        TransactionSweeper.Report again = fx.sweeper().sweep();
        assertThat(again.examined()).isZero();
        assertThat(again.expired()).isZero();
        assertThat(again.itemsRead()).as("the closed and expired transactions are not in the sparse index").isZero();
    }

    /**
     * Idle is measured to the schedule's time, the clock API Gateway stamps the requests with (the local stack's
     * simulated clock in {@code demo --days}), not the function's own: a sweep whose event says 16 minutes later
     * expires a transaction the function's clock calls 0 minutes idle, and one whose event says "now" (or carries
     * no readable time) does not.
     */
    @Test
    void measuresIdleToTheScheduledEventsTime() {
        ok(fx.add(STORE_A, "idle-1", SKU, 2, "key-add-0001"), 201);
        TransactionSweeperHandler handler = new TransactionSweeperHandler(fx.sweeper(),
                new com.edgeinventory.model.metrics.EmfMetrics("it", new java.io.PrintStream(
                        java.io.OutputStream.nullOutputStream())), fx.clock);

        assertThat(handler.handleRequest(Map.of("time", fx.clock.instant().toString()), null))
                .containsEntry("expired", 0);
        assertThat(handler.handleRequest(Map.of("time", "not a time"), null)).containsEntry("expired", 0);
        assertThat(handler.handleRequest(Map.of("time", fx.clock.instant().plus(Duration.ofMinutes(16))
                .toString()), null)).containsEntry("expired", 1);
        assertThat(fx.levels(SKU)).containsExactly(25, 0, 0);
    }

    @Test
    void overlappingSweepsReleaseExactlyOnce() throws Exception {
        for (int i = 0; i < 6; i++) {
            ok(fx.add(STORE_A, "idle-" + i, SKU, 2, "key-add-000" + i), 201);
        }
        fx.clock.advance(Duration.ofHours(1));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<TransactionSweeper.Report> a = pool.submit(() -> fx.sweeper().sweep());
        Future<TransactionSweeper.Report> b = pool.submit(() -> fx.sweeper().sweep());
        TransactionSweeper.Report ra = a.get();
        TransactionSweeper.Report rb = b.get();
        pool.shutdown();

        assertThat(ra.expired() + rb.expired()).isEqualTo(6);
        assertThat(ra.examined() + rb.examined()).isEqualTo(6 + ra.skipped() + rb.skipped());
        assertThat(fx.levels(SKU)).containsExactly(25, 0, 0);
    }

    @Test
    void aSweepThatReadAStaleStateSkipsIt() {
        ok(fx.add(STORE_A, "idle-1", SKU, 2, "key-add-0001"), 201);
        fx.clock.advance(Duration.ofHours(1));
        // The sweep's scan saw the OPEN state, then a request released it first (expired on read).
        var stale = fx.store.loadState(STORE_A, "idle-1").orElseThrow();
        ok(fx.add(STORE_A, "idle-1", SKU, 1, "key-add-0002"), 201);

        var change = com.edgeinventory.retail.service.Transitions.expire(stale, fx.clock.instant()).orElseThrow();
        var result = fx.store.commit(new com.edgeinventory.retail.service.RetailStore.WriteSet(
                change.next().map(n -> new com.edgeinventory.retail.service.RetailStore.StateWrite(n, change.expectedVersion())),
                change.moves(), java.util.Optional.empty(), java.util.Optional.empty(), fx.clock.instant()));

        assertThat(result).isInstanceOf(com.edgeinventory.retail.service.RetailStore.Cancelled.class);
        assertThat(fx.levels(SKU)).containsExactly(24, 1, 0);
    }
}
