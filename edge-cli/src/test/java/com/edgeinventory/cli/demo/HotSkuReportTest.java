package com.edgeinventory.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The drop's verdict: which end states hold, and what the summary says. */
class HotSkuReportTest {

    static HotSkuReport.Region region(long available, long reserved, long sold, long confirmed) {
        return new HotSkuReport.Region("eu-west-1", 100, new Reconciliation.Levels(available, reserved, sold), confirmed);
    }

    @Test
    void aDropHoldsWhenEveryStockedUnitIsAccountedForAndSoldIsWhatTheDevicesWereTold() {
        assertThat(region(0, 0, 100, 100).holds()).as("sold out exactly").isTrue();
        assertThat(region(10, 5, 85, 85).holds()).as("some left, some in open carts").isTrue();
        assertThat(region(0, 0, 100, 100).oversold()).isZero();
    }

    /** Each row an end state that must not pass. */
    @Test
    void theEndStatesThatDoNotHold() {
        assertThat(region(-1, 0, 101, 101).holds()).as("negative available").isFalse();
        assertThat(region(-1, 0, 101, 101).oversold()).isEqualTo(1);
        assertThat(region(0, 0, 101, 101).holds()).as("more sold than stocked").isFalse();
        assertThat(region(0, 0, 101, 101).oversold()).isEqualTo(1);
        assertThat(region(0, 0, 100, 99).holds()).as("a sale no device was told of").isFalse();
        assertThat(region(1, 0, 99, 100).holds()).as("a confirmed sale the inventory lost").isFalse();
        assertThat(region(5, 0, 90, 90).holds()).as("units vanished").isFalse();
    }

    @Test
    void theSummaryNamesTheShardsTheLevelsAndTheConflictRate() {
        HotSkuReport.Drop drop = new HotSkuReport.Drop("DROP-44", 8, List.of(region(0, 2, 98, 98),
                new HotSkuReport.Region("us-east-1", 100, new Reconciliation.Levels(0, 0, 101), 101)), 25, 40, 1000);

        String text = HotSkuReport.render(drop);

        assertThat(drop.holds()).isFalse();
        assertThat(text).contains("Hot sku DROP-44, stock in 8 shards per region:")
                .contains("eu-west-1      stocked 100, sold 98 (devices confirmed 98), reserved 2, available 0, oversold 0\n")
                .contains("oversold 1  <- DOES NOT ADD UP")
                .contains("conflicts: 25 answers 409 concurrent-modification of 1000 requests (2.5 %)")
                .contains("40 answers out-of-stock");
    }
}
