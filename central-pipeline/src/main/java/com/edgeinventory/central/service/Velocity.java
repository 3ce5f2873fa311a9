package com.edgeinventory.central.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;

/** Sales velocity arithmetic. */
public final class Velocity {

    private Velocity() {}

    /** Units per day, rounded half up to two decimals. */
    public static BigDecimal perDay(long units, int days) {
        if (days < 1) {
            throw new IllegalArgumentException("days must be positive, got " + days);
        }
        return BigDecimal.valueOf(units).divide(BigDecimal.valueOf(days), 2, RoundingMode.HALF_UP);
    }

    /** The {@code days} days ending at {@code to}, oldest first. */
    public static List<LocalDate> window(LocalDate to, int days) {
        return Stream.iterate(to.minusDays(days - 1L), d -> d.plusDays(1)).limit(days).toList();
    }
}
