package com.edgeinventory.central.service;

import com.edgeinventory.model.UploadKey;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validates the path and query parameters of an analytics request and resolves their defaults. Every problem
 * names the one parameter at fault in {@link Invalid#field()}, or none when the combination is wrong
 * ({@code from} after {@code to}, a range too long).
 */
public final class AnalyticsParameters {

    public static final long DEFAULT_THRESHOLD = 10;
    public static final long MAX_THRESHOLD = 1_000_000_000L;
    public static final int DEFAULT_LOW_STOCK_LIMIT = 100;
    public static final int MAX_LOW_STOCK_LIMIT = 1000;
    public static final int DEFAULT_TOP_SELLERS_LIMIT = 10;
    public static final int MAX_TOP_SELLERS_LIMIT = 100;
    public static final int DEFAULT_VELOCITY_DAYS = 7;
    public static final int DEFAULT_FORECAST_DAYS = 7;
    public static final int MAX_FORECAST_DAYS = 28;
    /** Eight weeks: enough for the weekly season to be learnt. */
    public static final int DEFAULT_FORECAST_HISTORY = 56;
    public static final int DEFAULT_LEAD_TIME = 7;
    public static final int MAX_LEAD_TIME = 90;
    /** The longest range, in days with both ends included, of top-sellers and velocity. */
    public static final int MAX_DAYS = 366;

    /** An AWS region name such as {@code eu-west-1} or {@code us-gov-west-1}. */
    public static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+){1,3}-[0-9]{1,2}");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,10}");

    /** The outcome of validation. */
    public sealed interface Parsing {}

    public record Valid(AnalyticsRequest request) implements Parsing {}

    /** @param field the parameter at fault, or null when no single one is */
    public record Invalid(String field, String detail) implements Parsing {}

    private AnalyticsParameters() {}

    /**
     * @param pathParameters decoded path parameters of the route
     * @param query          decoded query parameters in request order; a name may repeat (which is rejected)
     * @param today          the current day (UTC), the default of dates
     */
    public static Parsing parse(AnalyticsRoute route, Map<String, String> pathParameters,
                                List<Map.Entry<String, String>> query, LocalDate today) {
        try {
            Map<String, String> params = queryParameters(route, query);
            return new Valid(switch (route) {
                case AVAILABILITY -> new AnalyticsRequest.Availability(sku(pathParameters));
                case LOW_STOCK -> new AnalyticsRequest.LowStock(region(params.get("region")),
                        integer(params, "threshold", DEFAULT_THRESHOLD, 0, MAX_THRESHOLD),
                        (int) integer(params, "limit", DEFAULT_LOW_STOCK_LIMIT, 1, MAX_LOW_STOCK_LIMIT));
                case TOP_SELLERS -> topSellers(params, today);
                case VELOCITY -> new AnalyticsRequest.Velocity(sku(pathParameters),
                        (int) integer(params, "days", DEFAULT_VELOCITY_DAYS, 1, MAX_DAYS),
                        date(params, "to", today),
                        optionalRegion(params));
                case FRESHNESS -> new AnalyticsRequest.Freshness();
                case REGIONAL_PERFORMANCE -> {
                    Range r = range(params, today);
                    yield new AnalyticsRequest.RegionalPerformance(optionalRegion(params), r.from(), r.to());
                }
                case CUSTOMER_BEHAVIOUR -> {
                    Range r = range(params, today);
                    yield new AnalyticsRequest.CustomerBehaviour(optionalRegion(params), r.from(), r.to());
                }
                case FORECAST -> new AnalyticsRequest.Forecast(sku(pathParameters), optionalRegion(params),
                        (int) integer(params, "days", DEFAULT_FORECAST_DAYS, 1, MAX_FORECAST_DAYS),
                        (int) integer(params, "history", DEFAULT_FORECAST_HISTORY, 1, MAX_DAYS),
                        (int) integer(params, "leadTime", DEFAULT_LEAD_TIME, 1, MAX_LEAD_TIME),
                        date(params, "to", today));
                case LOST_DEMAND -> {
                    Range r = range(params, today);
                    yield new AnalyticsRequest.LostDemand(optionalRegion(params), r.from(), r.to(),
                            (int) integer(params, "limit", DEFAULT_TOP_SELLERS_LIMIT, 1, MAX_TOP_SELLERS_LIMIT));
                }
            });
        } catch (BadParameter e) {
            return new Invalid(e.field, e.getMessage());
        }
    }

    private static AnalyticsRequest topSellers(Map<String, String> params, LocalDate today) {
        String region = region(params.get("region"));
        Range range = range(params, today);
        int limit = (int) integer(params, "limit", DEFAULT_TOP_SELLERS_LIMIT, 1, MAX_TOP_SELLERS_LIMIT);
        return new AnalyticsRequest.TopSellers(region, range.from(), range.to(), limit);
    }

    /** The days {@code from} to {@code to} (both default today), both included, at most {@link #MAX_DAYS}. */
    private record Range(LocalDate from, LocalDate to) {}

    private static Range range(Map<String, String> params, LocalDate today) {
        LocalDate from = date(params, "from", today);
        LocalDate to = date(params, "to", today);
        if (from.isAfter(to)) {
            throw new BadParameter(null, "from " + from + " is after to " + to);
        }
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        if (days > MAX_DAYS) {
            throw new BadParameter(null, "from " + from + " to " + to + " spans " + days
                    + " days; a range may span at most " + MAX_DAYS + " days, both ends included");
        }
        return new Range(from, to);
    }

    private static Optional<String> optionalRegion(Map<String, String> params) {
        return params.containsKey("region") ? Optional.of(region(params.get("region"))) : Optional.empty();
    }

    private static Map<String, String> queryParameters(AnalyticsRoute route, List<Map.Entry<String, String>> query) {
        Map<String, String> params = new HashMap<>();
        for (Map.Entry<String, String> e : query) {
            String name = e.getKey();
            if (!route.queryParameters().contains(name)) {
                throw new BadParameter(name, route.queryParameters().isEmpty()
                        ? "unknown query parameter '" + printable(name) + "'; " + route.template() + " takes none"
                        : "unknown query parameter '" + printable(name) + "'; " + route.template() + " takes "
                                + String.join(", ", route.queryParameters().stream().sorted().toList()));
            }
            if (params.put(name, e.getValue()) != null) {
                throw new BadParameter(name, "query parameter '" + name + "' is given more than once");
            }
        }
        return params;
    }

    private static String sku(Map<String, String> pathParameters) {
        String sku = pathParameters.get("sku");
        if (sku == null || !UploadKey.SKU.matcher(sku).matches()) {
            throw new BadParameter("sku", "a sku is 3-40 upper-case letters, digits or '-', starting with a letter or "
                    + "digit" + (sku == null ? "" : "; got '" + printable(sku) + "'"));
        }
        return sku;
    }

    private static String region(String value) {
        if (value == null) {
            throw new BadParameter("region", "query parameter 'region' is required, e.g. region=eu-west-1");
        }
        if (!REGION.matcher(value).matches()) {
            throw new BadParameter("region", "region must be an AWS region name such as eu-west-1; got '"
                    + printable(value) + "'");
        }
        return value;
    }

    private static long integer(Map<String, String> params, String name, long defaultValue, long min, long max) {
        String value = params.get(name);
        if (value == null) {
            return defaultValue;
        }
        if (!DIGITS.matcher(value).matches() || Long.parseLong(value) < min || Long.parseLong(value) > max) {
            throw new BadParameter(name, name + " must be a whole number from " + min + " to " + max + "; got '"
                    + printable(value) + "'");
        }
        return Long.parseLong(value);
    }

    private static LocalDate date(Map<String, String> params, String name, LocalDate defaultValue) {
        String value = params.get(name);
        if (value == null) {
            return defaultValue;
        }
        if (DATE.matcher(value).matches()) {
            try {
                return LocalDate.parse(value, DateTimeFormatter.ISO_LOCAL_DATE);
            } catch (DateTimeParseException e) {
                // not a day of the calendar: reported below
            }
        }
        throw new BadParameter(name, name + " must be a day as YYYY-MM-DD; got '" + printable(value) + "'");
    }

    /** A value as error messages quote it: control characters escaped, at most 64 characters. */
    static String printable(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(64).forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return value.codePointCount(0, value.length()) > 64 ? out + "..." : out.toString();
    }

    private static final class BadParameter extends RuntimeException {
        private final String field;

        BadParameter(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }
    }
}
