package com.edgeinventory.cli.analytics;

import com.edgeinventory.cli.UsageException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The analytics API's queries as the CLI knows them: name, route, whether it takes a SKU, and which CLI options
 * become which query parameters. Only the shape of a command line is checked here (known query, arity, options
 * that belong to the query); the values themselves are the API's to validate.
 */
public enum AnalyticsQuery {

    AVAILABILITY("availability", "/analytics/availability/{sku}", List.of(), List.of()),
    LOW_STOCK("low-stock", "/analytics/low-stock", List.of("edge"), List.of("edge", "threshold", "limit")),
    TOP_SELLERS("top-sellers", "/analytics/top-sellers", List.of("edge"), List.of("edge", "from", "to", "limit")),
    VELOCITY("velocity", "/analytics/velocity/{sku}", List.of(), List.of("days", "to", "edge")),
    FRESHNESS("freshness", "/analytics/freshness", List.of(), List.of()),
    REGIONAL_PERFORMANCE("regional-performance", "/analytics/regional-performance", List.of(),
            List.of("edge", "from", "to")),
    CUSTOMER_BEHAVIOUR("customer-behaviour", "/analytics/customer-behaviour", List.of(), List.of("edge", "from", "to")),
    LOST_DEMAND("lost-demand", "/analytics/lost-demand", List.of(), List.of("edge", "from", "to", "limit")),
    FORECAST("forecast", "/analytics/forecast/{sku}", List.of(), List.of("edge", "days", "history", "lead-time", "to"));

    /** CLI option to API query parameter; every other option keeps its name. */
    private static final Map<String, String> PARAMETER = Map.of("edge", "region", "lead-time", "leadTime");
    public static final List<String> QUERY_OPTIONS = List.of("edge", "threshold", "limit", "from", "to", "days",
            "history", "lead-time");
    public static final String SKU = "sku";

    private final String cliName;
    private final String route;
    private final List<String> required;
    /** In the order they are sent. */
    private final List<String> options;

    AnalyticsQuery(String cliName, String route, List<String> required, List<String> options) {
        this.cliName = cliName;
        this.route = route;
        this.required = required;
        this.options = options;
    }

    public String cliName() {
        return cliName;
    }

    public boolean takesSku() {
        return route.endsWith("/{" + SKU + "}");
    }

    /** API parameter name of a CLI option ({@code edge -> region}). */
    public static String parameter(String option) {
        return PARAMETER.getOrDefault(option, option);
    }

    /** The CLI option (with dashes) that sends an API parameter, or the SKU argument. */
    public static Optional<String> cliOption(String parameter) {
        if (parameter.equals(SKU)) {
            return Optional.of("the SKU argument");
        }
        return QUERY_OPTIONS.stream().filter(o -> parameter(o).equals(parameter)).findFirst().map(o -> "--" + o);
    }

    public static String names() {
        return Arrays.stream(values()).map(AnalyticsQuery::cliName).collect(Collectors.joining(", "));
    }

    public static AnalyticsQuery named(String command, String name) {
        return Arrays.stream(values()).filter(q -> q.cliName.equals(name)).findFirst()
                .orElseThrow(() -> new UsageException(command, "Unknown analytics query '" + name + "'; use one of "
                        + names()));
    }

    /**
     * The request for a command line: {@code positional} is what follows the query name.
     *
     * @throws UsageException for a wrong number of arguments, an option the query does not take, or a missing
     *                        required one
     */
    public AnalyticsRequest request(String command, List<String> positional, Map<String, String> cliOptions) {
        Map<String, String> pathParameters = new LinkedHashMap<>();
        if (takesSku()) {
            if (positional.isEmpty()) {
                throw new UsageException(command, "analytics " + cliName + " needs a SKU, e.g. analytics " + cliName
                        + " TR-RUN-42-BLU");
            }
            if (positional.size() > 1) {
                throw new UsageException(command, "analytics " + cliName + " takes one SKU, got " + positional);
            }
            String sku = positional.getFirst();
            if (sku.isBlank()) {
                throw new UsageException(command, "analytics " + cliName + " needs a non-empty SKU");
            }
            pathParameters.put(SKU, sku);
        } else if (!positional.isEmpty()) {
            throw new UsageException(command, "analytics " + cliName + " takes no arguments, got " + positional);
        }
        for (String option : cliOptions.keySet()) {
            if (QUERY_OPTIONS.contains(option) && !options.contains(option)) {
                throw new UsageException(command, "--" + option + " does not apply to analytics " + cliName
                        + (options.isEmpty() ? ", which takes no options"
                                : " (its options: " + options.stream().map(o -> "--" + o)
                                        .collect(Collectors.joining(", ")) + ")"));
            }
        }
        for (String option : required) {
            if (!cliOptions.containsKey(option)) {
                throw new UsageException(command, "analytics " + cliName + " needs --" + option + " REGION");
            }
        }
        Map<String, String> queryParameters = new LinkedHashMap<>();
        for (String option : options) {
            if (cliOptions.containsKey(option)) {
                queryParameters.put(parameter(option), cliOptions.get(option));
            }
        }
        String rawPath = takesSku() ? route.replace("{" + SKU + "}", encode(pathParameters.get(SKU))) : route;
        return new AnalyticsRequest(cliName, "GET " + route, rawPath, pathParameters, queryParameters);
    }

    /**
     * Percent-encodes everything but RFC 3986's unreserved characters, as SigV4 does: the same text is sent, signed
     * and placed in a local event's {@code rawPath} / {@code rawQueryString}.
     */
    public static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /**
     * One GET of the analytics API.
     *
     * @param query           the CLI's query name, e.g. {@code low-stock}
     * @param routeKey        the HTTP API route, e.g. {@code GET /analytics/velocity/{sku}}
     * @param rawPath         the path as sent, percent-encoded
     * @param pathParameters  decoded path parameters ({@code sku})
     * @param queryParameters decoded query parameters in the order sent
     */
    public record AnalyticsRequest(String query, String routeKey, String rawPath, Map<String, String> pathParameters,
                            Map<String, String> queryParameters) {

        public AnalyticsRequest {
            pathParameters = Collections.unmodifiableMap(new LinkedHashMap<>(pathParameters));
            queryParameters = Collections.unmodifiableMap(new LinkedHashMap<>(queryParameters));
        }

        /** The route's path template, e.g. {@code /analytics/velocity/{sku}}. */
        public String route() {
            return routeKey.substring(routeKey.indexOf(' ') + 1);
        }

        /** The same request under another route key, e.g. {@code ANY /analytics/low-stock}. */
        public AnalyticsRequest withRouteKey(String newRouteKey) {
            return new AnalyticsRequest(query, newRouteKey, rawPath, pathParameters, queryParameters);
        }

        /** {@code region=eu-west-1&threshold=5}, encoded; empty when there are no parameters. */
        public String rawQueryString() {
            List<String> pairs = new ArrayList<>();
            queryParameters.forEach((k, v) -> pairs.add(encode(k) + "=" + encode(v)));
            return String.join("&", pairs);
        }

        /** Path and query, e.g. {@code /analytics/low-stock?region=eu-west-1}. */
        public String pathAndQuery() {
            String query = rawQueryString();
            return query.isEmpty() ? rawPath : rawPath + "?" + query;
        }
    }
}
