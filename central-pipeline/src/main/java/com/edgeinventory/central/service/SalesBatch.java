package com.edgeinventory.central.service;

import com.edgeinventory.model.central.SaleLine;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sale lines of one sku in one region on one day that are counted in one transaction: one dedup marker per line,
 * one counter update and one revenue update carrying their sums.
 */
public record SalesBatch(String region, String sku, LocalDate day, List<SaleLine> lines) {

    public SalesBatch {
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("empty sales batch");
        }
        for (SaleLine line : lines) {
            if (!line.day().equals(day)) {
                throw new IllegalArgumentException("line of " + line.day() + " in a batch of " + day);
            }
        }
    }

    /** The source event identity of a line, the key of its dedup marker. */
    public String eventId(SaleLine line) {
        return region + "#" + line.purchaseId() + "#" + sku;
    }

    public long qty() {
        return lines.stream().mapToLong(SaleLine::qty).sum();
    }

    /** Amounts summed per currency, sorted by currency code. */
    public Map<String, BigDecimal> amounts() {
        Map<String, BigDecimal> sums = new TreeMap<>();
        for (SaleLine line : lines) {
            sums.merge(line.currency(), line.amount(), BigDecimal::add);
        }
        return sums;
    }

    /** The same lines, one batch each: the fallback when some line of a batch was already counted. */
    public List<SalesBatch> singles() {
        return lines.stream().map(l -> new SalesBatch(region, sku, day, List.of(l))).toList();
    }
}
