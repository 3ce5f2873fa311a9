package com.edgeinventory.central.service;

import com.edgeinventory.model.central.SaleLine;
import com.edgeinventory.model.central.SkuDelta;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits the sales of a delta into {@link SalesBatch}es: by day (each day has its own counter and revenue items,
 * and a transaction may touch an item only once), at most {@code maxLines} lines each. A line whose event
 * identity repeats within the delta is the same event and is kept once.
 */
public final class SalesPlan {

    public static final int MAX_LINES_PER_BATCH = 30;

    private SalesPlan() {}

    public static List<SalesBatch> plan(SkuDelta delta) {
        return plan(delta, MAX_LINES_PER_BATCH);
    }

    public static List<SalesBatch> plan(SkuDelta delta, int maxLines) {
        if (maxLines < 1) {
            throw new IllegalArgumentException("maxLines must be positive");
        }
        Set<String> seen = new HashSet<>();
        Map<LocalDate, List<SaleLine>> byDay = new LinkedHashMap<>();
        for (SaleLine line : delta.sales()) {
            if (seen.add(line.purchaseId())) {
                byDay.computeIfAbsent(line.day(), d -> new ArrayList<>()).add(line);
            }
        }
        List<SalesBatch> batches = new ArrayList<>();
        byDay.forEach((day, lines) -> {
            for (int from = 0; from < lines.size(); from += maxLines) {
                batches.add(new SalesBatch(delta.region(), delta.sku(), day,
                        lines.subList(from, Math.min(lines.size(), from + maxLines)), delta.attributes()));
            }
        });
        return batches;
    }
}
