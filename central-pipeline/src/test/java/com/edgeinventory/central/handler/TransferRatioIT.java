package com.edgeinventory.central.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.LocalAwsExtension;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The transfer benchmark ({@link TransferMeasurement}, run by benchmarks/central-transfer; docs/benchmarks.md) on a small workload, so CI guards what
 * it promises: identical central aggregates from ours and from naive forwarding, equal to the edge tables, for
 * at least 20x fewer bytes.
 */
@ExtendWith(LocalAwsExtension.class)
class TransferRatioIT {

    @Test
    void naiveForwardingSendsAtLeastTwentyTimesTheBytesForTheSameCentralAggregates(LocalAws aws) {
        aws.reset();
        Instant start = Instant.now();
        TransferWorkload.Config workload = new TransferWorkload.Config(10, 20, 100, 7L, false);

        TransferMeasurement.Result result = new TransferMeasurement(aws, System.err)
                .run(new TransferMeasurement.Options(workload, false));

        System.out.print(TransferMeasurement.report(result, Duration.between(start, Instant.now())));
        assertThat(result.workload().purchases()).isEqualTo(100);
        assertThat(result.workload().adjustments()).isEqualTo(20);
        assertThat(result.workload().cartCheckouts()).isPositive();
        assertThat(result.problems()).isEmpty();
        assertThat(result.naive().records()).isEqualTo(
                result.streamRecords().values().stream().mapToLong(Integer::longValue).sum());
        assertThat(result.ours().records()).isLessThan(result.naive().records());
        assertThat(result.payloadRatio()).isGreaterThanOrEqualTo(TransferMeasurement.TARGET_RATIO);
        assertThat(result.wireRatio()).isGreaterThanOrEqualTo(TransferMeasurement.TARGET_RATIO);
    }
}
