package com.edgeinventory.central.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The stream consumers' partial-failure rule, without Lambda types or AWS. */
class BatchFailuresTest {

    @Test
    void aMalformedRecordIsReportedAloneAndHoldsNothingBack() {
        BatchFailures failures = new BatchFailures();

        failures.alone("200");

        assertThat(failures.reported()).containsExactly("200");
        assertThat(failures.holdBack("300", "eu-west-1#SKU-1")).isFalse();
    }

    @Test
    void aRecordWithoutASequenceNumberCannotBeReported() {
        BatchFailures failures = new BatchFailures();

        failures.alone(null);
        failures.keyFailed(null, "k");

        assertThat(failures.reported()).isEmpty();
        assertThat(failures.holdBack("5", "k")).as("its key is still held back").isTrue();
    }

    @Test
    void aFailedApplyHoldsBackEveryLaterRecordOfItsKeyOnly() {
        BatchFailures failures = new BatchFailures();

        failures.keyFailed("100", "eu-west-1#A");

        assertThat(failures.holdBack("101", "eu-west-1#A")).isTrue();
        assertThat(failures.holdBack("102", "eu-west-1#B")).isFalse();
        assertThat(failures.holdBack("103", null)).isFalse();
        assertThat(failures.reported()).containsExactly("100", "101");
    }

    @Test
    void anUnwrittenCentralRecordReportsAllTheStreamRecordsItWasBuiltFrom() {
        BatchFailures failures = new BatchFailures();

        failures.all(List.of("7", "9", "8"));

        assertThat(failures.reported()).containsExactly("7", "8", "9");
        assertThat(failures.count()).isEqualTo(3);
    }

    @Test
    void reportedInNumericOrderSoTheLowestComesFirstWhateverTheirLength() {
        BatchFailures failures = new BatchFailures();

        failures.alone("1000000000000000000000000123");
        failures.alone("99");
        failures.all(List.of("99", "100"));

        assertThat(failures.reported()).containsExactly("99", "100", "1000000000000000000000000123");
    }
}
