package com.edgeinventory.central.service;

import com.edgeinventory.model.central.Visit;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/** The reads behind the analysts' queries. Reads only; eventually consistent is good enough. */
public interface AnalyticsStore {

    /** The levels one edge region reported for a sku. */
    record RegionLevel(String region, RegionalLevel level) {}

    /** A sku's global totals (zero when none) and its levels per region, sorted by region, deleted ones included. */
    record SkuLevels(Levels totals, List<RegionLevel> regions) {
        public SkuLevels {
            regions = List.copyOf(regions);
        }
    }

    /** The levels of one sku in the region a low-stock query asked about. */
    record SkuLevel(String sku, RegionalLevel level) {}

    /** What a sku sold in a region on a day (or summed over days): units, sale lines, amounts per currency. */
    record SkuSales(String sku, long qty, long lines, Map<String, BigDecimal> amounts) {
        public SkuSales {
            amounts = Map.copyOf(amounts);
        }
    }

    /** A day in an edge region. */
    record RegionDay(String region, LocalDate day) {}

    /** One store's day in a region: baskets (purchases), units, sale lines and amounts per currency. */
    record StoreDay(String storeId, long baskets, long units, long lines, Map<String, BigDecimal> amounts) {
        public StoreDay {
            amounts = Map.copyOf(amounts);
        }
    }

    /** A region's day of buyers and mix: baskets by who bought, units by category and by size. */
    record MixDay(Map<Visit, Long> baskets, Map<String, Long> categories, Map<String, Long> sizes) {
        public static final MixDay NONE = new MixDay(Map.of(), Map.of(), Map.of());

        public MixDay {
            baskets = Map.copyOf(baskets);
            categories = Map.copyOf(categories);
            sizes = Map.copyOf(sizes);
        }
    }

    /** Thrown when the store keeps refusing work (throttling) after bounded retries: try again later. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }

    SkuLevels levels(String sku);

    /**
     * The region's levels with {@code available < threshold}, deleted ones included, in ascending order of
     * {@code available} (the order of skus with equal available is unspecified). Read lazily, a page of about
     * {@code pageSize} items at a time, so the caller can stop early.
     */
    Iterator<SkuLevel> availableBelow(String region, long threshold, int pageSize);

    /** Every sku's sales counter of the region on the day. */
    List<SkuSales> salesOfDay(String region, LocalDate day);

    /** Units of a sku sold per region and day; a (region, day) with no sale is absent. */
    Map<RegionDay, Long> unitsSold(String sku, Collection<String> regions, Collection<LocalDate> days);

    /** Demand a store refused as out of stock for a sku on a day. */
    /** @param alternativesBought cart lines bought instead of the sku, in the transactions that offered them */
    record LostDay(String sku, String storeId, long refusedUnits, long refusals, long offered,
                   long alternativesBought) {

        public LostDay(String sku, String storeId, long refusedUnits, long refusals, long offered) {
            this(sku, storeId, refusedUnits, refusals, offered, 0);
        }
    }

    /** Units of the sku refused as out of stock in the region on the day, over its stores. */
    long lostUnitsOfDay(String sku, String region, LocalDate day);

    /** Every (sku, store) counter of lost demand in the region on the day. */
    List<LostDay> lostDemandOfDay(String region, LocalDate day);

    /** Every store's day in the region (stores with no sale that day are absent). */
    List<StoreDay> storesOfDay(String region, LocalDate day);

    /** The region's buyers and mix on the day ({@link MixDay#NONE} when nothing sold). */
    MixDay mixOfDay(String region, LocalDate day);

    /** The newest edge event time (epoch millis) seen from each edge region, by region. */
    SortedMap<String, Long> freshness();
}
