package com.edgeinventory.central.service;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to an analytics query: the rows as maps whose keys are {@code columns} in order, and for some queries
 * a totals row.
 */
public record AnalyticsResult(String query, Map<String, Object> params, List<String> columns,
                              List<Map<String, Object>> items, Optional<Map<String, Object>> totals) {
    public AnalyticsResult {
        Objects.requireNonNull(query);
        Objects.requireNonNull(params);
        columns = List.copyOf(columns);
        items = List.copyOf(items);
        Objects.requireNonNull(totals);
    }
}
