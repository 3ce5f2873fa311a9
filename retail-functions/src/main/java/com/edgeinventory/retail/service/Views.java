package com.edgeinventory.retail.service;

import com.edgeinventory.retail.service.TransactionState.Line;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The JSON bodies of successful responses. Prices and totals are exact decimal strings. */
public final class Views {

    private Views() {}

    public record LineView(String sku, long qty, String unitPrice, String currency) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TransactionView(String clientId, String customerId, String status, String txnId, List<LineView> lines,
                                  String total, String currency, long version, long expiresAt) {}

    public record PurchaseView(String purchaseId, List<LineView> lines, String total, String currency,
                               String purchasedAt) {}

    /** The transaction as a reader at {@code now} sees it: an idle OPEN one reads as EXPIRED. */
    public static TransactionView transaction(TransactionState s, Instant now) {
        String status = s.expiredAt(now) ? TransactionState.Status.EXPIRED.name() : s.status().name();
        return new TransactionView(s.clientId(), s.customerId(), status, s.txnId(), lines(s.lines()), total(s.lines()).toPlainString(),
                currency(s.lines()), s.version(), s.expiresAt().getEpochSecond());
    }

    public static PurchaseView purchase(Purchase p) {
        return new PurchaseView(p.purchaseId(), lines(p.lines()), p.total().toPlainString(), p.currency(),
                p.purchasedAt().toString());
    }

    static List<LineView> lines(List<Line> lines) {
        return lines.stream().map(l -> new LineView(l.sku(), l.qty(), l.unitPrice().toPlainString(), l.currency()))
                .toList();
    }

    public static BigDecimal total(List<Line> lines) {
        return lines.stream().map(l -> l.unitPrice().multiply(BigDecimal.valueOf(l.qty())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    static String currency(List<Line> lines) {
        return lines.isEmpty() ? null : lines.getFirst().currency();
    }
}
