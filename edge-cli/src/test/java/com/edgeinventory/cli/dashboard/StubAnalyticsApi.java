package com.edgeinventory.cli.dashboard;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An analytics API with known data, answering freshness, low-stock and top-sellers as
 * {@code docs/analytics-openapi.yaml} describes (threshold strict, sorting, limits, day ranges). It records the
 * Authorization header of every request.
 */
public final class StubAnalyticsApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Region to sku to available stock; tests may change it while the page runs. */
    public final Map<String, Map<String, Long>> available = new ConcurrentHashMap<>();
    /** Region to day to sku to units sold. */
    public final Map<String, Map<LocalDate, Map<String, Long>>> sold = new ConcurrentHashMap<>();
    /** Region to lag seconds. */
    public final Map<String, Long> lagSeconds = new ConcurrentHashMap<>();
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    StubAnalyticsApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Two edge regions, several skus (one out of stock, some low), sales on most of the last 21 days. */
    public static StubAnalyticsApi withSampleData() throws IOException {
        StubAnalyticsApi api = new StubAnalyticsApi();
        api.available.put("eu-west-1", new ConcurrentHashMap<>(Map.of(
                "TR-RUN-42-BLU", 8L, "SKU-LOW-A", 0L, "JK-RAIN-M-GRN", 40L, "BAG-DAY-20L", 120L)));
        api.available.put("us-east-1", new ConcurrentHashMap<>(Map.of(
                "TR-RUN-42-BLU", 35L, "SKU-LOW-A", 3L, "CAP-SUN-BLK", 9L, "BAG-DAY-20L", 12L)));
        api.lagSeconds.put("eu-west-1", 12L);
        api.lagSeconds.put("us-east-1", 95L);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int d = 0; d <= 21; d++) {
            LocalDate day = today.minusDays(d);
            Map<String, Long> eu = new HashMap<>();
            eu.put("TR-RUN-42-BLU", (long) (d * 3 % 7 + 1));
            if (d % 3 != 0) {
                eu.put("BAG-DAY-20L", (long) (d % 3));
            }
            api.sold.computeIfAbsent("eu-west-1", r -> new ConcurrentHashMap<>()).put(day, eu);
            Map<String, Long> us = new HashMap<>();
            if (d * 5 % 11 != 0) {
                us.put("TR-RUN-42-BLU", (long) (d * 5 % 11));
            }
            if (d % 2 == 0) {
                us.put("CAP-SUN-BLK", 2L);
            }
            api.sold.computeIfAbsent("us-east-1", r -> new ConcurrentHashMap<>()).put(day, us);
        }
        return api;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String path = exchange.getRequestURI().getPath();
            Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
            ObjectNode body = path.startsWith("/analytics/forecast/")
                    ? forecast(path.substring("/analytics/forecast/".length())) : switch (path) {
                case "/analytics/freshness" -> freshness();
                case "/analytics/low-stock" -> q.containsKey("region") ? lowStock(q) : null;
                case "/analytics/top-sellers" -> q.containsKey("region") ? topSellers(q) : null;
                case "/analytics/regional-performance" -> q.containsKey("from") ? performance(q) : null;
                case "/analytics/customer-behaviour" -> q.containsKey("from") ? behaviour(q) : null;
                case "/analytics/lost-demand" -> q.containsKey("from") ? lostDemand(q) : null;
                default -> null;
            };
            int status = body == null ? 400 : 200;
            if (body == null) {
                body = JSON.createObjectNode().put("title", "The request is invalid").put("status", 400);
            }
            byte[] bytes = JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", status == 200 ? "application/json"
                    : "application/problem+json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private ObjectNode result(String query, ObjectNode params, String... columns) {
        ObjectNode result = JSON.createObjectNode().put("query", query);
        result.set("params", params);
        ArrayNode cols = result.putArray("columns");
        for (String c : columns) {
            cols.add(c);
        }
        result.putArray("items");
        return result;
    }

    /** Two stores in eu-west-1 and one in us-east-1, whatever the days asked for. */
    private ObjectNode performance(Map<String, String> q) {
        ObjectNode params = JSON.createObjectNode().put("from", q.get("from")).put("to", q.get("to"));
        ObjectNode result = result("regional-performance", params, "region", "store", "baskets", "units",
                "unitsPerBasket", "amounts");
        performanceRow(result, "eu-west-1", "STORE-A", 40, 70, "1.75", "EUR", "3146.50");
        performanceRow(result, "eu-west-1", "STORE-B", 10, 10, "1.00", "EUR", "499.00");
        performanceRow(result, "eu-west-1", "ALL", 50, 80, "1.60", "EUR", "3645.50");
        performanceRow(result, "us-east-1", "STORE-X", 12, 30, "2.50", "USD", "1800.00");
        performanceRow(result, "us-east-1", "ALL", 12, 30, "2.50", "USD", "1800.00");
        return result;
    }

    private static void performanceRow(ObjectNode result, String region, String store, long baskets, long units,
                                       String upb, String currency, String amount) {
        ObjectNode row = items(result).addObject().put("region", region).put("store", store).put("baskets", baskets)
                .put("units", units).put("unitsPerBasket", new java.math.BigDecimal(upb));
        row.putObject("amounts").put(currency, amount);
    }

    private ObjectNode behaviour(Map<String, String> q) {
        ObjectNode params = JSON.createObjectNode().put("from", q.get("from")).put("to", q.get("to"));
        ObjectNode result = result("customer-behaviour", params, "region", "baskets", "new", "returning",
                "anonymous", "returningShare", "categories", "sizes");
        ObjectNode eu = items(result).addObject().put("region", "eu-west-1").put("baskets", 50).put("new", 10)
                .put("returning", 30).put("anonymous", 10).put("returningShare", new java.math.BigDecimal("0.750"));
        eu.putObject("categories").put("running-shoes", 60).put("jackets", 20);
        eu.putObject("sizes").put("42", 35).put("M", 20).put("44", 25);
        ObjectNode us = items(result).addObject().put("region", "us-east-1").put("baskets", 12).put("new", 0)
                .put("returning", 0).put("anonymous", 12).putNull("returningShare");
        us.putObject("categories").put("t-shirts", 30);
        us.putObject("sizes").put("L", 30);
        return result;
    }

    /** Two regions: one forecast by Holt-Winters, one by seasonal naive (short history). */
    private ObjectNode forecast(String sku) {
        ObjectNode params = JSON.createObjectNode().put("sku", sku).put("days", 7).put("leadTime", 7);
        ObjectNode result = result("forecast", params, "region", "method", "demandPerDay", "forecastUnits",
                "available", "daysOfCover", "reorderUnits", "historyUnits");
        items(result).addObject().put("region", "eu-west-1").put("method", "holt-winters")
                .put("forecastUnits", new java.math.BigDecimal("104.0")).put("available", 20)
                .put("daysOfCover", new java.math.BigDecimal("1.3")).put("reorderUnits", 84).put("historyUnits", 416);
        items(result).addObject().put("region", "us-east-1").put("method", "seasonal-naive")
                .put("forecastUnits", new java.math.BigDecimal("0.0")).put("available", 5).putNull("daysOfCover")
                .put("reorderUnits", 0).put("historyUnits", 0);
        return result;
    }

    private ObjectNode lostDemand(Map<String, String> q) {
        ObjectNode params = JSON.createObjectNode().put("from", q.get("from")).put("to", q.get("to"))
                .put("limit", Integer.parseInt(q.getOrDefault("limit", "10")));
        ObjectNode result = result("lost-demand", params, "rank", "region", "sku", "refusedUnits", "refusals",
                "offered", "alternativesBought");
        items(result).addObject().put("rank", 1).put("region", "eu-west-1").put("sku", "DROP-AIR-44")
                .put("refusedUnits", 310).put("refusals", 140).put("offered", 0).put("alternativesBought", 0);
        items(result).addObject().put("rank", 2).put("region", "us-east-1").put("sku", "TR-RUN-43-RED")
                .put("refusedUnits", 12).put("refusals", 9).put("offered", 9).put("alternativesBought", 4);
        return result;
    }

    private static ArrayNode items(ObjectNode result) {
        return (ArrayNode) result.get("items");
    }

    private ObjectNode freshness() {
        ObjectNode result = result("freshness", JSON.createObjectNode(), "region", "newestEventAt", "lagSeconds");
        new TreeMap<>(lagSeconds).forEach((region, lag) -> items(result).addObject()
                .put("region", region).put("newestEventAt", "2026-11-27T08:59:30Z").put("lagSeconds", lag));
        return result;
    }

    private ObjectNode lowStock(Map<String, String> q) {
        String region = q.get("region");
        long threshold = Long.parseLong(q.getOrDefault("threshold", "10"));
        int limit = Integer.parseInt(q.getOrDefault("limit", "100"));
        ObjectNode params = JSON.createObjectNode().put("region", region).put("threshold", threshold).put("limit", limit);
        ObjectNode result = result("low-stock", params, "sku", "available", "reserved", "sold", "updatedAt");
        available.getOrDefault(region, Map.of()).entrySet().stream()
                .filter(e -> e.getValue() < threshold)
                .sorted(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit)
                .forEach(e -> items(result).addObject().put("sku", e.getKey())
                        .put("available", e.getValue()).put("reserved", 1).put("sold", 4)
                        .put("updatedAt", "2026-11-27T08:30:00Z"));
        return result;
    }

    private ObjectNode topSellers(Map<String, String> q) {
        String region = q.get("region");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate from = q.containsKey("from") ? LocalDate.parse(q.get("from")) : today;
        LocalDate to = q.containsKey("to") ? LocalDate.parse(q.get("to")) : today;
        int limit = Integer.parseInt(q.getOrDefault("limit", "10"));
        ObjectNode params = JSON.createObjectNode().put("region", region).put("from", from.toString())
                .put("to", to.toString()).put("limit", limit);
        ObjectNode result = result("top-sellers", params, "rank", "sku", "qty", "lines", "amounts");
        Map<String, Long> units = new TreeMap<>();
        sold.getOrDefault(region, Map.of()).forEach((day, skus) -> {
            if (!day.isBefore(from) && !day.isAfter(to)) {
                skus.forEach((sku, qty) -> units.merge(sku, qty, Long::sum));
            }
        });
        List<Map.Entry<String, Long>> ranked = new ArrayList<>(units.entrySet());
        ranked.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        for (int i = 0; i < Math.min(limit, ranked.size()); i++) {
            var e = ranked.get(i);
            ObjectNode item = items(result).addObject().put("rank", i + 1).put("sku", e.getKey())
                    .put("qty", e.getValue()).put("lines", e.getValue());
            item.putObject("amounts").put("EUR", e.getValue() * 10 + ".00");
        }
        return result;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                q.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
