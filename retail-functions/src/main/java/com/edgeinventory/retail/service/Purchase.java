package com.edgeinventory.retail.service;

import com.edgeinventory.retail.service.TransactionState.Line;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A completed purchase: a checked-out transaction ({@code kind = checkout}) or a one-shot sale ({@code sale}).
 *
 * @param clientId   {@code null} for a sale
 * @param txnId      {@code null} for a sale
 * @param customerId {@code null} when unknown
 */
public record Purchase(String purchaseId, String kind, String storeId, String deviceId, String clientId, String txnId,
                       String customerId, List<Line> lines, BigDecimal total, String currency, Instant purchasedAt) {
    public Purchase {
        lines = List.copyOf(lines);
    }
}
