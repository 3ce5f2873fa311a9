package com.edgeinventory.retail.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.edgeinventory.retail.adapter.StateTable;
import com.edgeinventory.retail.service.TransactionState;
import com.edgeinventory.retail.service.TransactionState.Line;
import com.edgeinventory.retail.service.TransactionState.Status;
import com.edgeinventory.retail.service.TransactionSweeper;
import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.LocalAwsExtension;

import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A sweep's cost follows what expires, not the table: with many closed transactions kept (until TTL removes them
 * 7 days later) and a few open ones, it reads exactly the expired open ones. Sizes from
 * {@code -Dsweeper.closed=N -Dsweeper.open=M} (defaults 2,000 and 40; docs/benchmarks.md has 10,000 and 100); prints
 * the items and read units per run next to what the former full scan read.
 */
@ExtendWith(LocalAwsExtension.class)
class SweeperScalingIT {

    private static final int CLOSED = Integer.getInteger("sweeper.closed", 2_000);
    private static final int OPEN = Integer.getInteger("sweeper.open", 40);

    TransactionFixture fx;

    @BeforeEach
    void setUp(LocalAws aws) {
        aws.reset();
        fx = new TransactionFixture(aws);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    /** Closed ones carry a line (their size counts for a scan); open ones none, so expiring them moves no stock. */
    private static TransactionState state(int i, Status status, Instant expiresAt) {
        List<Line> lines = status == Status.OPEN ? List.of()
                : List.of(new Line("SKU-" + (i % 50), 1 + i % 3, new BigDecimal("19.90"), "EUR", "Shirt " + i % 50));
        return new TransactionState(TransactionFixture.STORE_A, "client-" + i, status, "txn-" + i, lines, null, 3,
                expiresAt.minus(Duration.ofMinutes(15)), expiresAt);
    }

    private void putAll(List<TransactionState> states) {
        List<WriteRequest> batch = new ArrayList<>();
        for (TransactionState s : states) {
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(StateTable.toItem(s)).build())
                    .build());
            if (batch.size() == 25) {
                write(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            write(batch);
        }
    }

    private void write(List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> unprocessed = Map.of(fx.stateTable, batch);
        while (!unprocessed.isEmpty()) {
            Map<String, List<WriteRequest>> request = unprocessed;
            unprocessed = fx.dynamo.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
        }
    }

    @Test
    void aSweepReadsOnlyTheExpiredOpenTransactions() {
        Instant now = fx.clock.instant();
        List<TransactionState> states = new ArrayList<>();
        for (int i = 0; i < CLOSED; i++) {
            Status status = i % 3 == 0 ? Status.CANCELLED : i % 3 == 1 ? Status.CHECKED_OUT : Status.EXPIRED;
            states.add(state(i, status, now.minus(Duration.ofMinutes(1 + i % 600))));
        }
        for (int i = 0; i < OPEN; i++) {
            // half of the open ones are idle past their expiry, half are not yet
            Instant expiresAt = i % 2 == 0 ? now.minus(Duration.ofMinutes(1)) : now.plus(Duration.ofMinutes(10));
            states.add(state(CLOSED + i, Status.OPEN, expiresAt));
        }
        putAll(states);
        long scanned = fx.dynamo.scanPaginator(b -> b.tableName(fx.stateTable)).stream()
                .mapToLong(p -> p.scannedCount()).sum();

        TransactionSweeper.Report report = fx.sweeper().sweep();

        System.out.printf("sweep over %d closed + %d open transactions: examined %d, expired %d, items read %d, "
                + "%.1f RRU (a full consistent scan reads %d items)%n", CLOSED, OPEN, report.examined(),
                report.expired(), report.itemsRead(), report.readUnits(), scanned);
        assertThat(scanned).isEqualTo(CLOSED + OPEN);
        assertThat(report.itemsRead()).isEqualTo(OPEN / 2);
        assertThat(report.examined()).isEqualTo(OPEN / 2);
        assertThat(report.expired()).isEqualTo(OPEN / 2);
        // 16 index shards, one page each: at least 0.5 RRU a shard, plus the items' own size
        assertThat(report.readUnits()).isLessThan(8 + OPEN);
    }
}
