package com.edgeinventory.central.service;

import com.edgeinventory.model.central.SaleLine;
import com.edgeinventory.model.central.SkuDelta;
import com.edgeinventory.model.central.Visit;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Sale lines of one sku in one region on one day that are counted in one transaction: one dedup marker per line,
 * one counter update and one revenue update carrying their sums (and the day's baskets by visit and units by
 * category and size), and one update per store the lines were sold in.
 *
 * @param attributes the sku's category and size, when the edge said them
 */
public record SalesBatch(String region, String sku, LocalDate day, List<SaleLine> lines,
                         Optional<SkuDelta.Attributes> attributes) {

    /** A store's part of the batch: baskets begun, units, lines, amounts per currency. */
    public record StoreSums(long baskets, long units, long lines, Map<String, BigDecimal> amounts) {}

    public SalesBatch(String region, String sku, LocalDate day, List<SaleLine> lines) {
        this(region, sku, day, lines, Optional.empty());
    }

    public SalesBatch {
        Objects.requireNonNull(attributes, "attributes");
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

    /** Baskets begun in this batch by who bought (a basket is counted on its first line). */
    public Map<Visit, Long> basketsByVisit() {
        Map<Visit, Long> baskets = new EnumMap<>(Visit.class);
        lines.stream().filter(SaleLine::basketStart).forEach(l -> baskets.merge(l.visit(), 1L, Long::sum));
        return baskets;
    }

    /** Per store (sorted by store id): baskets begun, units, lines and amounts per currency. */
    public Map<String, StoreSums> byStore() {
        Map<String, StoreSums> stores = new TreeMap<>();
        for (SaleLine l : lines) {
            StoreSums now = stores.getOrDefault(l.storeId(), new StoreSums(0, 0, 0, Map.of()));
            Map<String, BigDecimal> amounts = new TreeMap<>(now.amounts());
            amounts.merge(l.currency(), l.amount(), BigDecimal::add);
            stores.put(l.storeId(), new StoreSums(now.baskets() + (l.basketStart() ? 1 : 0),
                    Math.addExact(now.units(), l.qty()), now.lines() + 1, amounts));
        }
        return stores;
    }

    /** The same lines, one batch each: the fallback when some line of a batch was already counted. */
    public List<SalesBatch> singles() {
        return lines.stream().map(l -> new SalesBatch(region, sku, day, List.of(l), attributes)).toList();
    }
}
