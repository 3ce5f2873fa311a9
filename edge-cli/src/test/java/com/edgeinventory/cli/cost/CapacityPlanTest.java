package com.edgeinventory.cli.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The capacity plan on the cost model's hand-made usage. */
class CapacityPlanTest {

    static CapacityPlan.Input drop(double peak, double share, int shards) {
        return new CapacityPlan.Input(peak, share, shards, 2, 1.0, 1, 15);
    }

    @Test
    void aSneakerDropOfFiveThousandPerSecondOnOneItemIsTheFirstLimitAndShardsLiftIt() {
        CapacityPlan.Plan one = CapacityPlan.of(CostModelTest.usage(), drop(5_000, 1.0, 1));
        CapacityPlan.Plan sharded = CapacityPlan.of(CostModelTest.usage(), drop(5_000, 1.0, 32));

        assertThat(one.itemTransactionsPerSecond()).isEqualTo(5_000);
        assertThat(one.itemWcuPerSecond()).isEqualTo(10_000);
        assertThat(one.first().name()).isEqualTo("writes on the hottest stock item");
        assertThat(one.first().reachedAtPurchasesPerSecond()).isCloseTo(500, within(1e-9));
        assertThat(one.conflictRate()).isGreaterThan(0.99);
        // 32 shards: 156 transactions/s and 312 WCU/s per item, under 1,000.
        assertThat(sharded.itemWcuPerSecond()).isCloseTo(312.5, within(1e-9));
        assertThat(sharded.conflictRate()).isCloseTo(1 - Math.exp(-156.25 * 0.015), within(1e-9));
        assertThat(sharded.limits().stream().filter(l -> l.name().startsWith("writes")).findFirst().orElseThrow()
                .utilisation()).isLessThan(1);
    }

    @Test
    void concurrencyAndTheOtherLimitsScaleWithThePeak() {
        CapacityPlan.Plan plan = CapacityPlan.of(CostModelTest.usage(), drop(100, 0, 1));

        // 2 invocations of 50 ms per purchase: 0.1 concurrent executions per purchase/s.
        assertThat(plan.concurrency().get("TransactionFunction")).isCloseTo(10, within(1e-9));
        assertThat(plan.concurrency()).doesNotContainKey("ProductUploadFunction");
        // 0.1 records per purchase, 2 edges at 100/s.
        assertThat(plan.kinesisRecordsPerSecond()).isCloseTo(20, within(1e-9));
        assertThat(plan.kinesisShards()).isEqualTo(1);
        assertThat(plan.limits()).anySatisfy(l -> {
            assertThat(l.name()).isEqualTo("HTTP API, one edge region");
            assertThat(l.atPeak()).isCloseTo(200, within(1e-9));
            assertThat(l.reachedAtPurchasesPerSecond()).isCloseTo(5_000, within(1e-9));
        });
        assertThat(plan.first().name()).isEqualTo("HTTP API, one edge region");
    }
}
