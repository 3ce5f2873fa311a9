package com.edgeinventory.local.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class SimulatedClockTest {

    private final TestClock base = new TestClock(Instant.parse("2026-12-04T10:00:00Z"));
    private final SimulatedClock clock = new SimulatedClock(base);

    @Test
    void runsWithItsBaseShiftedByTheOffset() {
        assertThat(clock.instant()).as("real time until shifted").isEqualTo(base.instant());
        clock.setOffset(Duration.ofDays(-27));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-11-07T10:00:00Z"));
        base.advance(Duration.ofSeconds(5));
        assertThat(clock.instant()).as("and keeps running").isEqualTo(Instant.parse("2026-11-07T10:00:05Z"));
        assertThat(clock.offset()).isEqualTo(Duration.ofDays(-27));
    }

    @Test
    void inAnotherZoneItIsTheSameInstant() {
        clock.setOffset(Duration.ofDays(-1));
        var paris = clock.withZone(ZoneId.of("Europe/Paris"));
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(paris.instant()).isEqualTo(Instant.parse("2026-12-03T10:00:00Z"));
        clock.setOffset(Duration.ZERO);
        assertThat(paris.instant()).as("follows the offset").isEqualTo(base.instant());
    }
}
