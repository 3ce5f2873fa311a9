package com.edgeinventory.local.system;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The local stack's clock of the events it makes: the time API Gateway stamps a request with
 * ({@code requestContext.timeEpoch}) and an EventBridge schedule's {@code time}, which the functions date purchases,
 * refusals and idle transactions by. It runs with the system clock, shifted by an offset a driver sets:
 * {@code demo --days N} moves it a day at a time so that weeks of store traffic happen in minutes. The offset
 * starts at zero (real time). Thread-safe.
 *
 * <p>Only the events' times move. The infrastructure keeps real time: retries, batching windows, record ages, the
 * authorizer's cache TTL is kept by this clock too (its entries only expire early when the clock jumps ahead, which
 * costs a call to the authorizer).
 */
public final class SimulatedClock extends Clock {

    private final Clock base;
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    public SimulatedClock(Clock base) {
        this.base = Objects.requireNonNull(base);
    }

    public SimulatedClock() {
        this(Clock.systemUTC());
    }

    /** From now on, the time is the base clock's plus {@code offset} (negative: in the past). */
    public void setOffset(Duration offset) {
        this.offset.set(Objects.requireNonNull(offset));
    }

    public Duration offset() {
        return offset.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (zone.equals(ZoneOffset.UTC)) {
            return this;
        }
        SimulatedClock self = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return self.withZone(other);
            }

            @Override
            public Instant instant() {
                return self.instant();
            }
        };
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset.get());
    }
}
