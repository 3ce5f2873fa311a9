package com.edgeinventory.retail.handler;

import static com.edgeinventory.retail.handler.TransactionFixture.STORE_A;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.edgeinventory.local.fault.DynamoDbFaults;
import com.edgeinventory.local.fault.FaultProxy;
import com.edgeinventory.local.fault.TransactionConflicts;
import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.LocalAwsExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A sneaker drop on one sku, through the local stack's DynamoDB transaction conflicts (the FaultProxy in front of
 * moto, as {@code up} runs the functions): every one-shot sale moves the sku's one inventory item inside a
 * TransactWriteItems, so concurrent buyers overlap on it and DynamoDB cancels the newcomers with TransactionConflict.
 * The same burst without the emulation (moto alone runs one request at a time) sees none. Prints the rates.
 */
@ExtendWith(LocalAwsExtension.class)
class HotSkuConflictsIT {

    static final String HOT = "TR-DROP-44-RED";
    static final int STOCK = 10_000;
    static final int THREADS = 32;
    static final int SALES_PER_THREAD = 8;

    /** What the buyers got, and the sku's levels after. */
    record Burst(int sold, int conflicts, int outOfStock, List<Integer> otherStatuses, long[] levels,
                 TransactionConflicts.Counts dynamo) {
        double conflictRate() {
            return (double) conflicts / (THREADS * SALES_PER_THREAD);
        }
    }

    Burst burst(LocalAws moto, boolean emulate) throws Exception {
        return burst(moto, emulate, 1);
    }

    /** @param shards the sku's stockShards (1: one item, as every sku before hot skus) */
    Burst burst(LocalAws moto, boolean emulate, int shards) throws Exception {
        moto.reset();
        Optional<TransactionConflicts> conflicts = emulate ? Optional.of(new TransactionConflicts()) : Optional.empty();
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), DynamoDbFaults.NONE, Optional.empty(), conflicts,
                line -> { })) {
            TransactionFixture fx = new TransactionFixture(new LocalAws(proxy.uri(), moto.region(), moto.repoRoot()));
            try {
                fx.product(HOT, STOCK, "TR-DROP", "44", "red", "running-shoes", shards);
                AtomicInteger sold = new AtomicInteger();
                AtomicInteger conflicted = new AtomicInteger();
                AtomicInteger outOfStock = new AtomicInteger();
                List<Integer> others = java.util.Collections.synchronizedList(new ArrayList<>());
                ExecutorService pool = Executors.newFixedThreadPool(THREADS);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < SALES_PER_THREAD; i++) {
                            APIGatewayV2HTTPResponse r = fx.sale(STORE_A, "{\"lines\":[{\"sku\":\"" + HOT
                                    + "\",\"qty\":1}]}", "drop-" + thread + "-" + i);
                            String type = r.getStatusCode() == 409
                                    ? TransactionFixture.json(r).path("type").asText() : "";
                            if (r.getStatusCode() == 200) {
                                sold.incrementAndGet();
                            } else if (type.endsWith("/concurrent-modification")) {
                                conflicted.incrementAndGet();
                            } else if (type.endsWith("/out-of-stock")) {
                                outOfStock.incrementAndGet();
                            } else {
                                others.add(r.getStatusCode());
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
                pool.shutdown();
                return new Burst(sold.get(), conflicted.get(), outOfStock.get(), List.copyOf(others), fx.levels(HOT),
                        conflicts.map(TransactionConflicts::counts).orElse(new TransactionConflicts.Counts(0, 0, 0)));
            } finally {
                fx.close();
            }
        }
    }

    @Test
    void aHotSkuBurstLosesSalesToTransactionConflictsOnlyWhereDynamoDbWouldCancelThem(LocalAws moto)
            throws Exception {
        Burst serialized = burst(moto, false);
        Burst emulated = burst(moto, true);

        for (Burst b : List.of(serialized, emulated)) {
            System.out.printf(Locale.ROOT, "[hot-sku] %d x %d one-shot sales of one sku, conflicts %s: %d sold, %d"
                            + " answered 409 concurrent-modification (%.1f %%), DynamoDB: %d of %d transactions"
                            + " cancelled%n", THREADS, SALES_PER_THREAD, b == emulated ? "emulated" : "off", b.sold(),
                    b.conflicts(), 100 * b.conflictRate(), b.dynamo().cancelled(), b.dynamo().transactions());
            assertThat(b.otherStatuses()).isEmpty();
            assertThat(b.outOfStock()).isZero();
            assertThat(b.sold() + b.conflicts()).isEqualTo(THREADS * SALES_PER_THREAD);
            // Nothing oversold, nothing half-written: every 200 is one unit moved from available to sold.
            assertThat(b.levels()).containsExactly(STOCK - b.sold(), 0, b.sold());
        }
        assertThat(serialized.conflicts()).isZero();
        assertThat(serialized.dynamo().transactions()).isZero();
        assertThat(emulated.dynamo().cancelled()).as("overlapping transactions on one item").isPositive();
        assertThat(emulated.conflicts()).as("buyers who got 409 after the service's own retries").isPositive();
    }

    @Test
    void spreadOverEightShardsTheSameDropLosesFarFewerSalesAndOversellsNothing(LocalAws moto) throws Exception {
        Burst one = burst(moto, true, 1);
        Burst eight = burst(moto, true, 8);

        for (Burst b : List.of(one, eight)) {
            System.out.printf(Locale.ROOT, "[hot-sku] %d x %d one-shot sales, conflicts emulated, %d shard(s): %d"
                            + " sold, %d conflict-409s (%.1f %%), DynamoDB: %d of %d transactions cancelled%n",
                    THREADS, SALES_PER_THREAD, b == one ? 1 : 8, b.sold(), b.conflicts(), 100 * b.conflictRate(),
                    b.dynamo().cancelled(), b.dynamo().transactions());
            assertThat(b.otherStatuses()).isEmpty();
            assertThat(b.outOfStock()).isZero();
            assertThat(b.levels()).containsExactly(STOCK - b.sold(), 0, b.sold());
        }
        System.out.printf(Locale.ROOT, "[hot-sku] conflict-409s with 8 shards vs 1: %d vs %d%n", eight.conflicts(),
                one.conflicts());
        assertThat(eight.conflicts()).as("8 shards lose fewer sales to conflicts than 1").isLessThan(one.conflicts());
        assertThat(eight.sold()).isGreaterThan(one.sold());
    }
}
