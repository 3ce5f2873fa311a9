package com.edgeinventory.cli.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cost model on a hand-made usage whose every figure is known, with the built-in prices. */
class CostModelTest {

    static final Prices PRICES = Prices.defaults();

    /**
     * 1,000 purchases and 100 uploads in 100 s over one edge region: TransactionFunction 2,000 invocations of 50 ms
     * at 1,024 MB, 6,000 write units and 1,000 read units; the forwarder 100 records of 200 bytes to central;
     * the upload function 100 invocations of 1 s at 2,048 MB with 100 S3 GETs; the sweeper 2 runs of 100 ms.
     */
    static Usage usage() {
        return new Usage(100, 1, Map.of("purchases", 1_000L, "uploads", 100L),
                List.of(new Usage.Lambda("eu-west-1/TransactionFunction", 1024, 2_000, 0, 100_000, 100_000),
                        new Usage.Lambda("eu-west-1/ProductUploadFunction", 2048, 100, 0, 100_000, 100_000),
                        new Usage.Lambda("eu-west-1/TransactionSweeperFunction", 512, 2, 0, 200, 200)),
                List.of(new Usage.Call("eu-west-1", "eu-west-1/TransactionFunction", "dynamodb", "TransactWriteItems",
                                2_000, 0, 0, 1_000, 6_000, 0, 0, 0, 0, 0),
                        new Usage.Call("us-east-2", "eu-west-1/InventoryStreamForwarder", "kinesis", "PutRecords",
                                10, 30_000, 1_000, 0, 0, 100, 20_000, 100, 100, 31_000),
                        new Usage.Call("eu-west-1", "eu-west-1/ProductUploadFunction", "s3", "GET",
                                100, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                Map.of("eu-west-1/RetailApi", 2_000L), 0);
    }

    static CostModel.Rates rates(double purchasesPerSecond) {
        return new CostModel.Rates(purchasesPerSecond, 1_000, 2, 1.0, 10, 4);
    }

    static double line(CostModel.Report r, String service, java.util.function.ToDoubleFunction<CostModel.Line> f) {
        return f.applyAsDouble(r.lines().stream().filter(l -> l.service().equals(service)).findFirst().orElseThrow());
    }

    @Test
    void perMillionPurchasesFollowsFromTheMeasuredUnitsAndTheListPrices() {
        CostModel.Report r = CostModel.of(usage(), PRICES, rates(10));

        // Lambda: 100 s x 1 GB over 1,000 purchases = 0.1 GB-s each; 2 requests each.
        double lambda = 1e6 * (0.1 * 0.0000133334 + 2 / 1e6 * 0.20);
        assertThat(line(r, "Lambda", CostModel.Line::perMillionPurchases)).isCloseTo(lambda, within(1e-6));
        // DynamoDB: 6 WRU and 1 RRU per purchase.
        assertThat(line(r, "DynamoDB", CostModel.Line::perMillionPurchases)).isCloseTo(6 * 0.625 + 0.125, within(1e-9));
        assertThat(line(r, "HTTP API", CostModel.Line::perMillionPurchases)).isCloseTo(2.0, within(1e-9));
        // Kinesis: 100 records of 1 KB billed in, 20,000 bytes out, over 1,000 purchases.
        double kinesis = 1e6 / 1_000 * (100 * 1024 / CostModel.GB * 0.08 + 20_000 / CostModel.GB * 0.04);
        assertThat(line(r, "Kinesis", CostModel.Line::perMillionPurchases)).isCloseTo(kinesis, within(1e-9));
        assertThat(line(r, "Inter-region transfer", CostModel.Line::perMillionPurchases))
                .isCloseTo(1e6 / 1_000 * 31_000 / CostModel.GB * 0.02, within(1e-9));
        // Uploads: 1 s x 2 GB each, one GET, and the warehouse's own PUT.
        assertThat(line(r, "Lambda", CostModel.Line::perThousandUploads))
                .isCloseTo(1_000 * (2 * 0.0000133334 + 0.20 / 1e6), within(1e-9));
        assertThat(line(r, "S3 requests", CostModel.Line::perThousandUploads)).isCloseTo(0.005 + 0.0004, within(1e-9));
        assertThat(r.purchases()).isEqualTo(1_000);
    }

    @Test
    void theMonthScalesWithTheRatesAndTheIdleCostIsAlarmsStreamHoursAndSchedules() {
        CostModel.Report ten = CostModel.of(usage(), PRICES, rates(10));
        CostModel.Report twenty = CostModel.of(usage(), PRICES, rates(20));

        double perPurchase = ten.perMillionPurchases() / 1e6;
        assertThat(twenty.monthly() - ten.monthly()).isCloseTo(2 * 10 * CostModel.MONTH_SECONDS * perPurchase,
                within(1e-6));
        assertThat(ten.idleEdgeMonthly()).isCloseTo(10 * 0.10, within(1e-9));
        assertThat(ten.idleCentralMonthly()).isCloseTo(4 * 0.10 + 730 * 0.04, within(1e-9));
        // The sweeper: 2 runs in 100 s of 0.1 s at 0.5 GB, scaled to a month, in each of 2 regions.
        double sweeperMonth = (0.2 * 0.5 * 0.0000133334 + 2 / 1e6 * 0.20) * CostModel.MONTH_SECONDS / 100;
        assertThat(line(ten, "Lambda", CostModel.Line::idleMonthly)).isCloseTo(2 * sweeperMonth, within(1e-9));
    }

    @Test
    void storageKeepsWhatEachTableKeepsForAsLongAsItKeepsIt() {
        Usage u = usage();
        Usage stored = new Usage(u.seconds(), u.edgeRegions(), u.business(), u.lambda(), u.aws(), u.httpApi(),
                u.logBytes(), List.of(
                        new Usage.Stored("eu-west-1", "PurchasesTable", "dynamodb", 1_000, 500_000),
                        new Usage.Stored("eu-west-1", "IdempotencyTable", "dynamodb", 1_000, 600_000),
                        new Usage.Stored("eu-west-1", "UploadBucket", "s3", 100, 10_000_000),
                        new Usage.Stored("eu-west-1", "DevicesTable", "dynamodb", 4, 1_000)));

        CostModel.Report r = CostModel.of(stored, PRICES, rates(10));

        double purchasesPerDay = 10 * 86_400 * 2;
        double uploadsPerDay = 1_000 * 2;
        java.util.function.IntToDoubleFunction expected = months -> (500 * purchasesPerDay * 30 * months
                + 600 * purchasesPerDay * 1 // idempotency records live a day
                + 2 * 1_000) / CostModel.GB * 0.25 // devices: as measured, per edge region
                + 100_000 * uploadsPerDay * 30 * months / CostModel.GB * 0.023;
        assertThat(r.storage().measured()).isTrue();
        assertThat(r.storage().firstMonth()).isCloseTo(expected.applyAsDouble(1), within(1e-9));
        assertThat(r.storage().twelfthMonth()).isCloseTo(expected.applyAsDouble(12), within(1e-9));
        assertThat(line(r, "Storage (1st month)", CostModel.Line::idleMonthly)).isCloseTo(r.storage().firstMonth(),
                within(1e-9));
        assertThat(r.monthly() - CostModel.of(usage(), PRICES, rates(10)).monthly())
                .isCloseTo(r.storage().firstMonth(), within(1e-9));
        assertThat(CostModel.of(usage(), PRICES, rates(10)).storage().measured()).as("an older usage file").isFalse();
    }

    @Test
    void theBreakEvenIsWhereBothBackendsCostTheSame() {
        CostModel.Report r = CostModel.of(usage(), PRICES, rates(10));

        double be = r.breakEvenPurchasesPerSecond();
        assertThat(be).isPositive();
        assertThat(r.serverlessAt(be)).isCloseTo(r.alwaysOnAt(be), within(0.01));
        assertThat(r.serverlessAt(be / 2)).isLessThan(r.alwaysOnAt(be / 2));
        assertThat(r.serverlessAt(be * 2)).isGreaterThan(r.alwaysOnAt(be * 2));
        double region = 730 * (2 * 0.0816 + 0.0225 + 0.008 + 0.336) + 100 * 0.23;
        assertThat(r.alwaysOnFixedMonthly()).isCloseTo(3 * region, within(1e-6));
    }

    @Test
    void theChartShowsBothLinesAndTheBreakEven() {
        String svg = CostChart.svg(CostModel.of(usage(), PRICES, rates(10)));

        assertThat(svg).startsWith("<svg").contains("serverless (measured)").contains("always-on")
                .contains("break-even").endsWith("</svg>\n");
        assertThat(CostChart.niceCeiling(730)).isEqualTo(1000);
        assertThat(CostChart.niceCeiling(0.3)).isEqualTo(0.5);
    }
}
