package com.edgeinventory.central.service;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The analysts' query routes. A request is matched by its route key's path template when API Gateway matched one
 * of these, otherwise by its path (a {@code $default} route, a hand-made event).
 */
public enum AnalyticsRoute {
    AVAILABILITY("availability", "/analytics/availability/{sku}", Set.of()),
    LOW_STOCK("low-stock", "/analytics/low-stock", Set.of("region", "threshold", "limit")),
    TOP_SELLERS("top-sellers", "/analytics/top-sellers", Set.of("region", "from", "to", "limit")),
    VELOCITY("velocity", "/analytics/velocity/{sku}", Set.of("days", "to", "region")),
    FRESHNESS("freshness", "/analytics/freshness", Set.of()),
    REGIONAL_PERFORMANCE("regional-performance", "/analytics/regional-performance", Set.of("region", "from", "to")),
    CUSTOMER_BEHAVIOUR("customer-behaviour", "/analytics/customer-behaviour", Set.of("region", "from", "to")),
    LOST_DEMAND("lost-demand", "/analytics/lost-demand", Set.of("region", "from", "to", "limit")),
    FORECAST("forecast", "/analytics/forecast/{sku}", Set.of("region", "days", "history", "leadTime", "to"));

    /** A matched route and its path parameters, percent-decoded. */
    public record Match(AnalyticsRoute route, Map<String, String> pathParameters) {
        public Match {
            pathParameters = Map.copyOf(pathParameters);
        }
    }

    private final String query;
    private final String template;
    private final Set<String> queryParameters;

    AnalyticsRoute(String query, String template, Set<String> queryParameters) {
        this.query = query;
        this.template = template;
        this.queryParameters = queryParameters;
    }

    /** The name of the query in response bodies, e.g. {@code low-stock}. */
    public String query() {
        return query;
    }

    /** The path template, e.g. {@code /analytics/velocity/{sku}}. */
    public String template() {
        return template;
    }

    /** The query string parameters this route accepts; any other one is rejected. */
    public Set<String> queryParameters() {
        return queryParameters;
    }

    /** The route whose template is the path part of an API Gateway route key such as {@code GET /analytics/freshness}. */
    public static Optional<AnalyticsRoute> ofRouteKey(String routeKey) {
        if (routeKey == null) {
            return Optional.empty();
        }
        int space = routeKey.indexOf(' ');
        String path = space < 0 ? routeKey : routeKey.substring(space + 1);
        for (AnalyticsRoute route : values()) {
            if (route.template.equals(path)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    /**
     * The route of a raw (percent-encoded) request path, with its path parameters decoded. A segment that is not
     * valid percent-encoded UTF-8 matches nothing.
     */
    public static Optional<Match> ofPath(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return Optional.empty();
        }
        String[] segments = rawPath.substring(1).split("/", -1);
        for (AnalyticsRoute route : values()) {
            String[] expected = route.template.substring(1).split("/");
            if (expected.length != segments.length) {
                continue;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            boolean matches = true;
            for (int i = 0; i < expected.length && matches; i++) {
                String part = expected[i];
                if (part.startsWith("{")) {
                    Optional<String> value = percentDecode(segments[i], false);
                    matches = value.isPresent() && !value.get().isEmpty();
                    value.ifPresent(v -> parameters.put(part.substring(1, part.length() - 1), v));
                } else {
                    matches = part.equals(segments[i]);
                }
            }
            if (matches) {
                return Optional.of(new Match(route, parameters));
            }
        }
        return Optional.empty();
    }

    /**
     * Splits a raw query string into its parameters in order, percent-decoded ({@code +} is a space). A name without
     * {@code =} has the empty value. Empty when some part is not valid percent-encoded UTF-8.
     */
    public static Optional<List<Map.Entry<String, String>>> parseQuery(String rawQuery) {
        List<Map.Entry<String, String>> parameters = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Optional.of(parameters);
        }
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            Optional<String> name = percentDecode(eq < 0 ? part : part.substring(0, eq), true);
            Optional<String> value = percentDecode(eq < 0 ? "" : part.substring(eq + 1), true);
            if (name.isEmpty() || value.isEmpty()) {
                return Optional.empty();
            }
            parameters.add(Map.entry(name.get(), value.get()));
        }
        return Optional.of(parameters);
    }

    static Optional<String> percentDecode(String text, boolean plusIsSpace) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                if (Character.isSurrogate(c)) {
                    return Optional.empty();
                }
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
