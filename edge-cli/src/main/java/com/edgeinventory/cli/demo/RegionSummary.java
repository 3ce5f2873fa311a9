package com.edgeinventory.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end of a demo, one screen: per edge region what central's two behaviour queries say (regional-performance and
 * customer-behaviour over the run's days), its top lost demand, and with {@code --days} its sales by weekday. Pure:
 * the answers in, text out.
 */
public final class RegionSummary {

    private RegionSummary() {
    }

    public static String render(JsonNode performance, JsonNode behaviour) {
        return render(performance, behaviour, com.fasterxml.jackson.databind.node.MissingNode.getInstance());
    }

    /** @param lost central's lost-demand answer (its top skus) */
    public static String render(JsonNode performance, JsonNode behaviour, JsonNode lost) {
        return render(performance, behaviour, lost, Map.of());
    }

    /** A day's demand of a region as central has it: units sold and units refused as out of stock. */
    public record Day(long sold, long refused) {
    }

    /**
     * @param days per region, central's demand on each simulated day ({@code demo --days}); summed by weekday into
     *             one more line per region, none when empty
     */
    public static String render(JsonNode performance, JsonNode behaviour, JsonNode lost,
                                Map<String, Map<LocalDate, Day>> days) {
        StringBuilder out = new StringBuilder("Per region (central's regional-performance and customer-behaviour)\n");
        List<String> regions = new ArrayList<>();
        for (JsonNode row : performance.path("items")) {
            if (row.path("store").asText().equals("ALL")) {
                regions.add(row.path("region").asText());
            }
        }
        for (JsonNode row : behaviour.path("items")) {
            if (!regions.contains(row.path("region").asText())) {
                regions.add(row.path("region").asText());
            }
        }
        if (regions.isEmpty()) {
            return out.append("  no purchase reached central\n").toString();
        }
        for (String region : regions) {
            JsonNode total = find(performance, region, "ALL");
            long stores = 0;
            for (JsonNode row : performance.path("items")) {
                if (row.path("region").asText().equals(region) && !row.path("store").asText().equals("ALL")) {
                    stores++;
                }
            }
            JsonNode mix = find(behaviour, region, null);
            out.append(String.format(Locale.ROOT, "  %-14s %d baskets in %d store%s, %s units/basket, %s%n", region,
                    total.path("baskets").asLong(), stores, stores == 1 ? "" : "s",
                    total.path("unitsPerBasket").isNull() || total.path("unitsPerBasket").isMissingNode() ? "-"
                            : total.path("unitsPerBasket").asText(), amounts(total.path("amounts"))));
            if (!mix.isMissingNode()) {
                out.append(String.format(Locale.ROOT, "  %-14s buyers: %d new, %d returning, %d anonymous "
                                + "(returning share %s); top categories %s; top sizes %s%n", "",
                        mix.path("new").asLong(), mix.path("returning").asLong(), mix.path("anonymous").asLong(),
                        mix.path("returningShare").isNull() ? "-" : String.format(Locale.ROOT, "%.0f %%",
                                mix.path("returningShare").asDouble() * 100),
                        top(mix.path("categories")), top(mix.path("sizes"))));
            }
            List<String> refused = new ArrayList<>();
            long alternatives = 0;
            for (JsonNode row : lost.path("items")) {
                if (row.path("region").asText().equals(region)) {
                    alternatives += row.path("alternativesBought").asLong();
                    if (refused.size() < 3) {
                        refused.add(row.path("sku").asText() + " " + row.path("refusedUnits").asLong());
                    }
                }
            }
            if (!refused.isEmpty()) {
                out.append(String.format(Locale.ROOT, "  %-14s lost demand (units refused): %s; alternatives "
                        + "bought instead: %d%n", "", String.join(", ", refused), alternatives));
            }
            Map<LocalDate, Day> regionDays = days.getOrDefault(region, Map.of());
            if (!regionDays.isEmpty()) {
                out.append(String.format(Locale.ROOT, "  %-14s demand per weekday over %d days (units sold+refused):"
                        + " %s; %d days with sales%n", "", regionDays.size(), weekdays(regionDays),
                        regionDays.values().stream().filter(d -> d.sold() > 0).count()));
            }
        }
        return out.toString();
    }

    /** e.g. {@code Mon 12+1, Tue 9+0, ..., Sun 7+2}: the units of all the Mondays, and so on. */
    static String weekdays(Map<LocalDate, Day> days) {
        Map<DayOfWeek, Day> units = new EnumMap<>(DayOfWeek.class);
        days.forEach((day, d) -> units.merge(day.getDayOfWeek(), d,
                (a, b) -> new Day(a.sold() + b.sold(), a.refused() + b.refused())));
        List<String> parts = new ArrayList<>();
        units.forEach((day, d) -> parts.add(day.getDisplayName(TextStyle.SHORT, Locale.ROOT) + " " + d.sold() + "+"
                + d.refused()));
        return String.join(", ", parts);
    }

    private static JsonNode find(JsonNode answer, String region, String store) {
        for (JsonNode row : answer.path("items")) {
            if (row.path("region").asText().equals(region) && (store == null || row.path("store").asText().equals(store))) {
                return row;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String amounts(JsonNode amounts) {
        List<String> parts = new ArrayList<>();
        amounts.properties().forEach(e -> parts.add(e.getValue().asText() + " " + e.getKey()));
        return parts.isEmpty() ? "no revenue" : String.join(", ", parts);
    }

    private static String top(JsonNode units) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>();
        units.properties().forEach(e -> entries.add(Map.entry(e.getKey(), e.getValue().asLong())));
        entries.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<String> parts = new ArrayList<>();
        entries.stream().limit(3).forEach(e -> parts.add(e.getKey() + " " + e.getValue()));
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }
}
