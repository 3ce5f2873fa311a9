package com.edgeinventory.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.central.service.Forecast;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The forecast's backtest on the simulator's data ({@link DemandModel}): ten weeks of daily demand (sold + lost) of
 * 24 skus in two regions; from day 28 on, every 7 days, forecast the next 7 from the days before; sMAPE of
 * Holt-Winters against the seasonal naive baseline. The figures go to docs/benchmarks.md.
 */
class ForecastBacktestTest {

    static final List<String> CATEGORIES = List.of("running-shoes", "hiking-boots", "caps", "t-shirts");

    @Test
    void holtWintersBeatsTheSeasonalNaiveBaselineOnTheSimulatorsDemand() {
        DemandModel model = new DemandModel(20261204);
        double[] hw = new double[2];
        double[] naive = new double[2];
        int series = 0;
        long lost = 0;
        for (String region : List.of("eu-west-1", "us-east-1")) {
            for (int i = 0; i < 24; i++) {
                String category = CATEGORIES.get(i % CATEGORIES.size());
                DemandModel.Day[] days = model.days(region, "SKU-" + i, category, LocalDate.of(2026, 9, 28), 70,
                        i % 3 == 0 ? 25 : 1000);
                lost += Arrays.stream(days).mapToLong(DemandModel.Day::lost).sum();
                double[] demand = Arrays.stream(days).mapToDouble(DemandModel.Day::demand).toArray();
                double[] errors = Forecast.backtest(demand, 28, 7, 7);
                hw[0] += errors[0];
                naive[0] += errors[1];
                series++;
            }
        }
        double hwSmape = hw[0] / series;
        double naiveSmape = naive[0] / series;
        System.out.printf(java.util.Locale.ROOT, "[forecast-backtest] %d series x 70 days (%d units refused as out of "
                + "stock, counted as demand), 6 origins x 7 days: sMAPE Holt-Winters %.1f %%, seasonal naive %.1f %% "
                + "(%.2fx)%n", series, lost, hwSmape, naiveSmape, naiveSmape / hwSmape);
        assertThat(lost).as("the model has out-of-stock days").isPositive();
        assertThat(hwSmape).isLessThan(naiveSmape);
    }

    @Test
    void aKnownWeeklyPatternIsForecastClosely() {
        double[] week = {10, 10, 12, 14, 20, 30, 8};
        double[] history = new double[42];
        for (int i = 0; i < history.length; i++) {
            history[i] = week[i % 7] + i * 0.1;
        }

        double[] forecast = Forecast.holtWinters(history, 7).forecast();

        for (int h = 0; h < 7; h++) {
            assertThat(forecast[h]).as("day %d", h).isCloseTo(week[(42 + h) % 7] + (42 + h) * 0.1,
                    org.assertj.core.data.Offset.offset(1.0));
        }
        assertThat(Forecast.smape(new double[] {0, 10}, new double[] {0, 10})).isZero();
        assertThat(Forecast.seasonalNaive(new double[] {1, 2, 3}, 2)).containsExactly(2, 2);
    }

    /** The stores' weekday factors average 1 over a week, so --rate stays the average day's rate. */
    @Test
    void weekdayFactorsAverageOneAndSaturdayPeaks() {
        for (String region : List.of("eu-west-1", "us-east-1", "ap-south-1")) {
            double sum = 0;
            for (java.time.DayOfWeek day : java.time.DayOfWeek.values()) {
                sum += DemandModel.weekdayFactor(region, day);
                assertThat(DemandModel.weekdayFactor(region, java.time.DayOfWeek.SATURDAY))
                        .isGreaterThanOrEqualTo(DemandModel.weekdayFactor(region, day));
            }
            assertThat(sum / 7).as(region).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        }
        assertThat(DemandModel.weekdayFactor("eu-west-1", java.time.DayOfWeek.SUNDAY))
                .isLessThan(DemandModel.weekdayFactor("us-east-1", java.time.DayOfWeek.SUNDAY));
        assertThat(DemandModel.preference("us-east-1", "caps")).isGreaterThan(DemandModel.preference("eu-west-1", "caps"));
        assertThat(DemandModel.preference("eu-west-1", "no-such-category")).isEqualTo(1.0);
    }
}
