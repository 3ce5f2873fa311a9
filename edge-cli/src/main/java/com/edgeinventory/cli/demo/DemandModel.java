package com.edgeinventory.cli.demo;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Map;
import java.util.Random;

/**
 * What shoppers want, day by day, in the simulator's world: a base demand per sku, a weekday pattern per region
 * (Saturday peaks; Sunday quiet in Europe, busy in the US), category preferences that differ by region, a slow
 * trend, and Poisson noise; stock runs out when a week's delivery is gone, so part of the demand is refused (lost
 * demand) and part sold. Seeded: the same seed gives the same days. The forecast's backtest runs on it, and the
 * demo's stores follow its weekday pattern ({@link #weekdayFactor}, with {@code demo --days}) and its category
 * preferences ({@link #preference}).
 */
public final class DemandModel {

    /** Monday first. */
    static final Map<String, double[]> WEEKDAYS = Map.of(
            "eu-west-1", new double[] {0.8, 0.85, 0.9, 1.0, 1.2, 1.6, 0.65},
            "us-east-1", new double[] {0.9, 0.9, 0.95, 1.0, 1.15, 1.45, 1.1});
    static final double[] DEFAULT_WEEKDAYS = {0.9, 0.9, 1.0, 1.0, 1.1, 1.3, 0.8};
    /** Category preference per region (1 when not listed), over the demo catalog's categories. */
    static final Map<String, Map<String, Double>> PREFERENCES = Map.of(
            "eu-west-1", Map.of("running-shoes", 1.4, "hiking-boots", 1.5, "jackets", 1.3, "caps", 0.6),
            "us-east-1", Map.of("caps", 1.6, "t-shirts", 1.3, "shorts", 1.3, "hiking-boots", 0.5, "jackets", 0.7));

    /** How busy {@code day} is in {@code region} against its average day: the weekday pattern over its mean. */
    public static double weekdayFactor(String region, DayOfWeek day) {
        double[] weekdays = WEEKDAYS.getOrDefault(region, DEFAULT_WEEKDAYS);
        double mean = java.util.Arrays.stream(weekdays).average().orElse(1);
        return weekdays[day.getValue() - 1] / mean;
    }

    /** How much more (or less) than elsewhere {@code region}'s shoppers want {@code category}; 1 when neutral. */
    public static double preference(String region, String category) {
        return PREFERENCES.getOrDefault(region, Map.of()).getOrDefault(category, 1.0);
    }

    /** One day of one sku in one region: units sold and units refused as out of stock. */
    public record Day(LocalDate date, long sold, long lost) {
        public long demand() {
            return sold + lost;
        }
    }

    private final long seed;

    public DemandModel(long seed) {
        this.seed = seed;
    }

    /**
     * {@code days} days from {@code first} of a sku of {@code category} in {@code region}, its stock topped up to
     * {@code weeklyStock} every Monday.
     */
    public Day[] days(String region, String sku, String category, LocalDate first, int days, long weeklyStock) {
        Random random = new Random(seed * 31 + (region + "#" + sku).hashCode());
        double base = 2 + random.nextDouble() * 6;
        double trendPerWeek = (random.nextDouble() - 0.3) * 0.04;
        double[] weekdays = WEEKDAYS.getOrDefault(region, DEFAULT_WEEKDAYS);
        double preference = preference(region, category);
        Day[] out = new Day[days];
        long stock = weeklyStock;
        for (int d = 0; d < days; d++) {
            LocalDate date = first.plusDays(d);
            if (date.getDayOfWeek() == DayOfWeek.MONDAY) {
                stock = weeklyStock;
            }
            double mean = base * preference * weekdays[date.getDayOfWeek().getValue() - 1]
                    * Math.max(0.2, 1 + trendPerWeek * d / 7.0);
            long wanted = poisson(random, mean);
            long sold = Math.min(wanted, stock);
            stock -= sold;
            out[d] = new Day(date, sold, wanted - sold);
        }
        return out;
    }

    /** Knuth's method: fine for the small means here. */
    static long poisson(Random random, double mean) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        long k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }
}
