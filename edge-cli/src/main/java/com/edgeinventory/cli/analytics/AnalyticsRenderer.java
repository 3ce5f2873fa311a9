package com.edgeinventory.cli.analytics;

import com.edgeinventory.local.system.Json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Renders an analytics response body ({@code {"query","params","columns","items","totals"?}}) as an aligned text
 * table, RFC 4180 CSV or pretty JSON. Pure: text in, text out.
 * <p>
 * Cells: strings as they are, numbers in plain notation, an object (the {@code amounts} column of top-sellers,
 * currency to decimal string) as {@code "179.80 EUR, 10.00 USD"} in a table and {@code "179.80 EUR; 10.00 USD"}
 * in CSV, a missing or null value as nothing. The {@code totals} row comes last.
 */
public final class AnalyticsRenderer {

    public enum Format {
        TABLE, JSON, CSV;

        public static final String NAMES = "table, json, csv";

        public static Optional<Format> named(String name) {
            return Arrays.stream(values()).filter(f -> f.name().toLowerCase(Locale.ROOT).equals(name)).findFirst();
        }
    }

    public static final String NO_ROWS = "(no rows)";
    private static final String GAP = "  ";
    private static final String CRLF = "\r\n";

    private AnalyticsRenderer() {
    }

    public static String render(JsonNode body, Format format) {
        return switch (format) {
            case TABLE -> table(body);
            case JSON -> json(body);
            case CSV -> csv(body);
        };
    }

    /** The body, pretty-printed, with a final newline. */
    public static String json(JsonNode body) {
        return Json.pretty(body) + "\n";
    }

    /**
     * Columns padded to their widest cell and separated by two spaces, numeric columns right-aligned; a rule under
     * the header and above the totals; {@value #NO_ROWS} when there are no items. Control characters in values are
     * shown as spaces so they cannot break the layout or drive the terminal.
     */
    public static String table(JsonNode body) {
        List<String> columns = columns(body);
        List<List<String>> rows = rows(body, columns, ", ", true);
        Optional<List<String>> totals = totals(body, columns, ", ", true);
        boolean[] numeric = new boolean[columns.size()];
        int[] width = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            String column = columns.get(c);
            List<JsonNode> values = new ArrayList<>();
            body.path("items").forEach(item -> values.add(item.path(column)));
            totals.ifPresent(t -> values.add(body.path("totals").path(column)));
            numeric[c] = values.stream().anyMatch(JsonNode::isNumber)
                    && values.stream().allMatch(v -> v.isNumber() || v.isMissingNode() || v.isNull());
            width[c] = length(sanitize(column));
            for (List<String> row : rows) {
                width[c] = Math.max(width[c], length(row.get(c)));
            }
            if (totals.isPresent()) {
                width[c] = Math.max(width[c], length(totals.get().get(c)));
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, columns.stream().map(AnalyticsRenderer::sanitize).toList(), width, numeric);
        String rule = Arrays.stream(width).mapToObj("-"::repeat).collect(Collectors.joining(GAP));
        out.append(rule).append('\n');
        if (rows.isEmpty()) {
            out.append(NO_ROWS).append('\n');
        }
        for (List<String> row : rows) {
            line(out, row, width, numeric);
        }
        if (totals.isPresent()) {
            out.append(rule).append('\n');
            line(out, totals.get(), width, numeric);
        }
        return out.toString();
    }

    /**
     * RFC 4180: CRLF line ends, a header row, fields with a comma, quote, CR or LF quoted and their quotes
     * doubled; the totals row last. No rows is the header alone.
     */
    public static String csv(JsonNode body) {
        List<String> columns = columns(body);
        StringBuilder out = new StringBuilder();
        csvLine(out, columns);
        for (List<String> row : rows(body, columns, "; ", false)) {
            csvLine(out, row);
        }
        totals(body, columns, "; ", false).ifPresent(t -> csvLine(out, t));
        return out.toString();
    }

    public static String csvField(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /** {@code columns}, else the items' and totals' member names in order of appearance. */
    private static List<String> columns(JsonNode body) {
        JsonNode columns = body.path("columns");
        if (columns.isArray() && !columns.isEmpty()) {
            List<String> names = new ArrayList<>();
            columns.forEach(c -> names.add(c.asText()));
            return names;
        }
        Set<String> names = new LinkedHashSet<>();
        body.path("items").forEach(item -> item.properties().forEach(e -> names.add(e.getKey())));
        body.path("totals").properties().forEach(e -> names.add(e.getKey()));
        return List.copyOf(names);
    }

    private static List<List<String>> rows(JsonNode body, List<String> columns, String amountSeparator,
                                           boolean forTable) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode item : body.path("items")) {
            rows.add(cells(item, columns, amountSeparator, forTable));
        }
        return rows;
    }

    private static Optional<List<String>> totals(JsonNode body, List<String> columns, String amountSeparator,
                                                 boolean forTable) {
        JsonNode totals = body.path("totals");
        if (!totals.isObject()) {
            return Optional.empty();
        }
        return Optional.of(cells(totals, columns, amountSeparator, forTable));
    }

    private static List<String> cells(JsonNode row, List<String> columns, String amountSeparator, boolean forTable) {
        List<String> cells = new ArrayList<>(columns.size());
        for (String column : columns) {
            String text = cell(row.path(column), amountSeparator);
            cells.add(forTable ? sanitize(text) : text);
        }
        return cells;
    }

    /** One value as text; an object as {@code "<value> <key>"} pairs, e.g. amounts by currency. */
    public static String cell(JsonNode value, String amountSeparator) {
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (value.isBigDecimal()) {
            return value.decimalValue().toPlainString();
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        if (value.isObject()) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, JsonNode> entry : value.properties()) {
                parts.add(cell(entry.getValue(), amountSeparator) + " " + entry.getKey());
            }
            return String.join(amountSeparator, parts);
        }
        List<String> parts = new ArrayList<>();
        value.forEach(v -> parts.add(cell(v, amountSeparator)));
        return String.join(amountSeparator, parts);
    }

    private static void line(StringBuilder out, List<String> cells, int[] width, boolean[] rightAligned) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                line.append(GAP);
            }
            String cell = cells.get(c);
            String pad = " ".repeat(width[c] - length(cell));
            line.append(rightAligned[c] ? pad + cell : cell + pad);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static void csvLine(StringBuilder out, List<String> fields) {
        out.append(fields.stream().map(AnalyticsRenderer::csvField).collect(Collectors.joining(","))).append(CRLF);
    }

    private static String sanitize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        return out.toString();
    }

    private static int length(String text) {
        return text.codePointCount(0, text.length());
    }
}
