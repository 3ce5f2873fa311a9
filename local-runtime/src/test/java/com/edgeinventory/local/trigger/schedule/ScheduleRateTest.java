package com.edgeinventory.local.trigger.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleRateTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "rate(1 minute)   | PT1M",
            "rate(5 minutes)  | PT5M",
            "rate(1 hour)     | PT1H",
            "rate(2 days)     | PT48H",
            "rate(1 minutes)  | none",
            "rate(2 minute)   | none",
            "rate(0 minutes)  | none",
            "cron(0 12 * * ? *) | none",
            "rate(1 second)   | none",
            "''               | none"})
    void parsesRateExpressionsAsEventBridgeDoes(String expression, String expected) {
        assertThat(ScheduleRate.parse(expression)).isEqualTo(Optional.ofNullable(expected).map(Duration::parse));
    }
}
