package com.edgeinventory.retail.handler;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.edgeinventory.model.metrics.EmfMetrics;
import com.edgeinventory.model.metrics.EmfMetrics.Metric;
import com.edgeinventory.retail.service.Purchase;
import com.edgeinventory.retail.service.SalesMetrics;

/** {@link SalesMetrics} as EMF lines: {@code UnitsSold} and {@code Purchases} per purchase, {@code OutOfStock}. */
final class EmfSalesMetrics implements SalesMetrics {

    private final EmfMetrics emf;

    EmfSalesMetrics(EmfMetrics emf) {
        this.emf = emf;
    }

    @Override
    public void sold(Purchase purchase) {
        long units = purchase.lines().stream().mapToLong(l -> l.qty()).sum();
        emf.put(Instant.now(), List.of(Metric.count("UnitsSold", units), Metric.count("Purchases", 1)),
                Map.of("purchaseId", purchase.purchaseId(), "storeId", purchase.storeId(), "kind", purchase.kind()));
    }

    @Override
    public void outOfStock(String sku, long available) {
        emf.put(Instant.now(), List.of(Metric.count("OutOfStock", 1)), Map.of("sku", sku));
    }

    @Override
    public void lostDemandNotRecorded(String sku, RuntimeException cause) {
        emf.put(Instant.now(), List.of(Metric.count("LostDemandNotRecorded", 1)),
                Map.of("sku", sku, "error", cause.getClass().getSimpleName()));
    }
}
