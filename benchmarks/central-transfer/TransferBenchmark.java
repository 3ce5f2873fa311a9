package com.edgeinventory.central.handler;

import com.edgeinventory.local.moto.MotoServer;
import com.edgeinventory.testing.LocalAws;
import java.time.Duration;
import java.time.Instant;

/**
 * The central transfer benchmark (docs/benchmarks.md): the same purchases and adjustments forwarded by our
 * forwarder and by a naive one, bytes and records compared. The measurement is central-pipeline's test fixture
 * {@link TransferMeasurement}, which TransferRatioIT runs on a small workload; this is only its entry point, compiled
 * by run.sh against central-pipeline's test classes. Settings as system properties (run.sh).
 */
public final class TransferBenchmark {

    private TransferBenchmark() {
    }

    public static void main(String[] args) {
        long seed = Long.parseLong(System.getProperty("seed", "20261123"));
        TransferWorkload.Config config = new TransferWorkload.Config(
                Integer.getInteger("skus", 50), Integer.getInteger("adjustments", 100),
                Integer.getInteger("purchases", 1000), seed,
                Boolean.parseBoolean(System.getProperty("splitTransactions", "true")));
        boolean single = Boolean.parseBoolean(System.getProperty("singleRecordBatches", "true"));
        TransferMeasurement.Result result;
        Instant start = Instant.now();
        try (MotoServer moto = MotoServer.start()) {
            LocalAws aws = new LocalAws(moto.endpoint());
            result = new TransferMeasurement(aws, System.err).run(new TransferMeasurement.Options(config, single));
        }
        System.out.print(TransferMeasurement.report(result, Duration.between(start, Instant.now())));
        System.exit(result.passed() ? 0 : 1);
    }
}
