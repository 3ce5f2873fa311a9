package com.edgeinventory.central.service;

import java.util.ArrayList;
import java.util.List;

/**
 * Daily demand forecasts with weekly seasonality: additive Holt-Winters (level, trend, a 7-day season), its three
 * smoothing weights chosen by a grid search that minimises the one-step-ahead squared error on the history, and the
 * seasonal naive baseline (each day as the same weekday a week before) it is measured against. A small, documented
 * method: no library of the JVM fits a Lambda's cold start for this (ojAlgo, Commons Math have no seasonal
 * smoothing; the forecasting libraries are large). Pure.
 *
 * <p>Demand is what the history gives: units sold plus units refused as out of stock (lost demand), so a day that
 * sold out does not teach the model that nobody wanted more.
 */
public final class Forecast {

    /** The season: a week of days. */
    public static final int SEASON = 7;
    /** The grid each weight is searched on. */
    static final double[] GRID = {0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9};

    /** The fitted weights and the forecast. */
    public record Fit(double alpha, double beta, double gamma, double[] forecast) {}

    private Forecast() {
    }

    /**
     * The next {@code horizon} days after {@code history} (oldest first, one value a day), never below 0. With less
     * than two weeks of history, the seasonal naive forecast (or, under a week, the mean).
     */
    public static Fit holtWinters(double[] history, int horizon) {
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be positive");
        }
        if (history.length < 2 * SEASON) {
            return new Fit(Double.NaN, Double.NaN, Double.NaN, seasonalNaive(history, horizon));
        }
        double best = Double.POSITIVE_INFINITY;
        double[] weights = null;
        for (double a : GRID) {
            for (double b : GRID) {
                for (double g : GRID) {
                    double sse = run(history, a, b, g, 0, null);
                    if (sse < best) {
                        best = sse;
                        weights = new double[] {a, b, g};
                    }
                }
            }
        }
        double[] forecast = new double[horizon];
        run(history, weights[0], weights[1], weights[2], horizon, forecast);
        return new Fit(weights[0], weights[1], weights[2], forecast);
    }

    /**
     * One pass of additive Holt-Winters, initialised on the first two seasons (level: the first week's mean, trend:
     * the mean change between the weeks per day, season: the first week's deviations). Returns the sum of squared
     * one-step-ahead errors over the history after the first season; fills {@code forecast} when not null.
     */
    private static double run(double[] y, double alpha, double beta, double gamma, int horizon, double[] forecast) {
        double first = mean(y, 0, SEASON);
        double second = mean(y, SEASON, 2 * SEASON);
        double level = first;
        double trend = (second - first) / SEASON;
        double[] season = new double[SEASON];
        for (int i = 0; i < SEASON; i++) {
            season[i] = y[i] - first;
        }
        double sse = 0;
        for (int t = SEASON; t < y.length; t++) {
            double predicted = level + trend + season[t % SEASON];
            double error = y[t] - predicted;
            sse += error * error;
            double previousLevel = level;
            level = alpha * (y[t] - season[t % SEASON]) + (1 - alpha) * (level + trend);
            trend = beta * (level - previousLevel) + (1 - beta) * trend;
            season[t % SEASON] = gamma * (y[t] - level) + (1 - gamma) * season[t % SEASON];
        }
        if (forecast != null) {
            for (int h = 1; h <= horizon; h++) {
                forecast[h - 1] = Math.max(0, level + h * trend + season[(y.length + h - 1) % SEASON]);
            }
        }
        return sse;
    }

    /** Each day as the same weekday in the last week of the history; under a week, the history's mean. */
    public static double[] seasonalNaive(double[] history, int horizon) {
        double[] forecast = new double[horizon];
        for (int h = 0; h < horizon; h++) {
            forecast[h] = history.length >= SEASON ? history[history.length - SEASON + h % SEASON]
                    : history.length == 0 ? 0 : mean(history, 0, history.length);
        }
        return forecast;
    }

    /**
     * Symmetric mean absolute percentage error, in percent: the mean of {@code 2|f - a| / (|a| + |f|)}, a day where
     * both are 0 counting as 0.
     */
    public static double smape(double[] actual, double[] forecast) {
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            double denominator = Math.abs(actual[i]) + Math.abs(forecast[i]);
            sum += denominator == 0 ? 0 : 2 * Math.abs(forecast[i] - actual[i]) / denominator;
        }
        return 100 * sum / actual.length;
    }

    /**
     * Rolling-origin backtest: for each origin from {@code minHistory} on, every {@code step} days, forecast the
     * next {@code horizon} days from the history before it; the sMAPE over all the forecast days. Returns
     * {Holt-Winters sMAPE, seasonal naive sMAPE}.
     */
    public static double[] backtest(double[] series, int minHistory, int horizon, int step) {
        List<Double> actual = new ArrayList<>();
        List<Double> hw = new ArrayList<>();
        List<Double> naive = new ArrayList<>();
        for (int origin = minHistory; origin + horizon <= series.length; origin += step) {
            double[] history = java.util.Arrays.copyOfRange(series, 0, origin);
            double[] f = holtWinters(history, horizon).forecast();
            double[] n = seasonalNaive(history, horizon);
            for (int h = 0; h < horizon; h++) {
                actual.add(series[origin + h]);
                hw.add(f[h]);
                naive.add(n[h]);
            }
        }
        double[] a = actual.stream().mapToDouble(Double::doubleValue).toArray();
        return new double[] {smape(a, hw.stream().mapToDouble(Double::doubleValue).toArray()),
                smape(a, naive.stream().mapToDouble(Double::doubleValue).toArray())};
    }

    private static double mean(double[] y, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += y[i];
        }
        return sum / (to - from);
    }
}
