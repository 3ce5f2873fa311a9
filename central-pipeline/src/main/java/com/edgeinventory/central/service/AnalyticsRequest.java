package com.edgeinventory.central.service;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One validated analytics query, its defaults resolved. */
public sealed interface AnalyticsRequest {

    AnalyticsRoute route();

    /** The resolved parameters as the response echoes them, in a stable order. */
    Map<String, Object> params();

    /** {@code GET /analytics/availability/{sku}}. */
    record Availability(String sku) implements AnalyticsRequest {
        public Availability {
            Objects.requireNonNull(sku);
        }

        @Override
        public AnalyticsRoute route() {
            return AnalyticsRoute.AVAILABILITY;
        }

        @Override
        public Map<String, Object> params() {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("sku", sku);
            return params;
        }
    }

    /** {@code GET /analytics/low-stock}: levels of the region with {@code available < threshold}. */
    record LowStock(String region, long threshold, int limit) implements AnalyticsRequest {
        public LowStock {
            Objects.requireNonNull(region);
        }

        @Override
        public AnalyticsRoute route() {
            return AnalyticsRoute.LOW_STOCK;
        }

        @Override
        public Map<String, Object> params() {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("region", region);
            params.put("threshold", threshold);
            params.put("limit", limit);
            return params;
        }
    }

    /** {@code GET /analytics/top-sellers}: the days {@code from} to {@code to}, both included. */
    record TopSellers(String region, LocalDate from, LocalDate to, int limit) implements AnalyticsRequest {
        public TopSellers {
            Objects.requireNonNull(region);
            if (from.isAfter(to)) {
                throw new IllegalArgumentException("from " + from + " is after to " + to);
            }
        }

        @Override
        public AnalyticsRoute route() {
            return AnalyticsRoute.TOP_SELLERS;
        }

        @Override
        public Map<String, Object> params() {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("region", region);
            params.put("from", from.toString());
            params.put("to", to.toString());
            params.put("limit", limit);
            return params;
        }
    }

    /**
     * {@code GET /analytics/velocity/{sku}}: units sold per day over the {@code days} days ending at {@code to},
     * in one region or (region empty) in every region the central region has heard from.
     */
    record Velocity(String sku, int days, LocalDate to, Optional<String> region) implements AnalyticsRequest {
        public Velocity {
            Objects.requireNonNull(sku);
            Objects.requireNonNull(to);
            Objects.requireNonNull(region);
            if (days < 1) {
                throw new IllegalArgumentException("days must be positive");
            }
        }

        /** The first day of the window. */
        public LocalDate from() {
            return to.minusDays(days - 1L);
        }

        @Override
        public AnalyticsRoute route() {
            return AnalyticsRoute.VELOCITY;
        }

        @Override
        public Map<String, Object> params() {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("sku", sku);
            params.put("days", days);
            params.put("to", to.toString());
            params.put("region", region.orElse(null));
            return params;
        }
    }

    /**
     * {@code GET /analytics/regional-performance}: revenue, baskets and units per basket per region and store over
     * the days {@code from} to {@code to}, in one region or (region empty) every region central has heard from.
     */
    record RegionalPerformance(Optional<String> region, LocalDate from, LocalDate to) implements AnalyticsRequest {
        public RegionalPerformance {
            Objects.requireNonNull(region);
            if (from.isAfter(to)) {
                throw new IllegalArgumentException("from " + from + " is after to " + to);
            }
        }

        @Override
        public AnalyticsRoute route() {
            return AnalyticsRoute.REGIONAL_PERFORMANCE;
        }

        @Override
        public Map<String, Object> params() {
            return rangeParams(region, from, to);
        }
    }

    /**
     * {@code GET /analytics/customer-behaviour}: per region, baskets by who bought (new, returning, anonymous), the
     * returning share and the units by category and by size, over the days {@code from} to {@code to}.
     */
    record CustomerBehaviour(Optional<String> region, LocalDate from, LocalDate to) implements AnalyticsRequest {
        public CustomerBehaviour {
            Objects.requireNonNull(region);
            if (from.isAfter(to)) {
                throw new IllegalArgumentException("from " + from + " is after to " + to);
            }
        }

        @Override
        public AnalyticsRoute route() {
            return AnalyticsRoute.CUSTOMER_BEHAVIOUR;
        }

        @Override
        public Map<String, Object> params() {
            return rangeParams(region, from, to);
        }
    }

    /**
     * {@code GET /analytics/lost-demand}: the skus with the most units refused as out of stock over the days
     * {@code from} to {@code to}, per region (one region, or every region central has heard from), top {@code limit}.
     */
    record LostDemand(Optional<String> region, LocalDate from, LocalDate to, int limit) implements AnalyticsRequest {
        public LostDemand {
            Objects.requireNonNull(region);
            if (from.isAfter(to)) {
                throw new IllegalArgumentException("from " + from + " is after to " + to);
            }
        }

        @Override
        public AnalyticsRoute route() {
            return AnalyticsRoute.LOST_DEMAND;
        }

        @Override
        public Map<String, Object> params() {
            Map<String, Object> params = rangeParams(region, from, to);
            params.put("limit", limit);
            return params;
        }
    }

    /**
     * {@code GET /analytics/forecast/{sku}}: per region, the sku's demand (sold + refused) per day for the next
     * {@code days} days from the {@code history} days ending at {@code to}, the days of cover of its available stock,
     * and the units to order now for a delivery {@code leadTime} days away.
     */
    record Forecast(String sku, Optional<String> region, int days, int history, int leadTime, LocalDate to)
            implements AnalyticsRequest {
        public Forecast {
            Objects.requireNonNull(sku);
            Objects.requireNonNull(region);
            Objects.requireNonNull(to);
        }

        /** The first day of the history. */
        public LocalDate from() {
            return to.minusDays(history - 1L);
        }

        @Override
        public AnalyticsRoute route() {
            return AnalyticsRoute.FORECAST;
        }

        @Override
        public Map<String, Object> params() {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("sku", sku);
            params.put("region", region.orElse(null));
            params.put("days", days);
            params.put("history", history);
            params.put("leadTime", leadTime);
            params.put("to", to.toString());
            return params;
        }
    }

    private static Map<String, Object> rangeParams(Optional<String> region, LocalDate from, LocalDate to) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("region", region.orElse(null));
        params.put("from", from.toString());
        params.put("to", to.toString());
        return params;
    }

    /** {@code GET /analytics/freshness}. */
    record Freshness() implements AnalyticsRequest {
        @Override
        public AnalyticsRoute route() {
            return AnalyticsRoute.FRESHNESS;
        }

        @Override
        public Map<String, Object> params() {
            return new LinkedHashMap<>();
        }
    }
}
