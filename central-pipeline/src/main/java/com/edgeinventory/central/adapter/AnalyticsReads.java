package com.edgeinventory.central.adapter;

import com.edgeinventory.central.service.AnalyticsStore;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/** The analysts' reads, each from the class that owns the layout of the items it reads. */
public final class AnalyticsReads implements AnalyticsStore {

    private final LevelsTable levels;
    private final SalesTable sales;
    private final FreshnessItems freshness;

    public AnalyticsReads(LevelsTable levels, SalesTable sales, FreshnessItems freshness) {
        this.levels = Objects.requireNonNull(levels);
        this.sales = Objects.requireNonNull(sales);
        this.freshness = Objects.requireNonNull(freshness);
    }

    @Override
    public SkuLevels levels(String sku) {
        return levels.levelsOf(sku);
    }

    @Override
    public Iterator<SkuLevel> availableBelow(String region, long threshold, int pageSize) {
        return levels.availableBelow(region, threshold, pageSize);
    }

    @Override
    public List<SkuSales> salesOfDay(String region, LocalDate day) {
        return sales.salesOfDay(region, day);
    }

    @Override
    public Map<RegionDay, Long> unitsSold(String sku, Collection<String> regions, Collection<LocalDate> days) {
        return sales.unitsSold(sku, regions, days);
    }

    @Override
    public List<StoreDay> storesOfDay(String region, LocalDate day) {
        return sales.storesOfDay(region, day);
    }

    @Override
    public long lostUnitsOfDay(String sku, String region, LocalDate day) {
        return sales.lostUnitsOfDay(sku, region, day);
    }

    @Override
    public List<LostDay> lostDemandOfDay(String region, LocalDate day) {
        return sales.lostDemandOfDay(region, day);
    }

    @Override
    public MixDay mixOfDay(String region, LocalDate day) {
        return sales.mixOfDay(region, day);
    }

    @Override
    public SortedMap<String, Long> freshness() {
        return freshness.all();
    }
}
