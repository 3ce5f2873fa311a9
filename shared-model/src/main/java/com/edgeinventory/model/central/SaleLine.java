package com.edgeinventory.model.central;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What one purchase sold of one sku: units and their amount, on a day (UTC) in a store. The purchase id is the
 * source event identity the central aggregator deduplicates by, so a redelivered batch never counts twice.
 *
 * @param amount      unit price x qty, exact
 * @param currency    ISO 4217 code, three upper-case ASCII letters
 * @param basketStart the first line of its purchase (its basket), so that counting these counts baskets once
 * @param visit       who bought, as the edge tells it; meaningful on a basket's first line
 */
public record SaleLine(String purchaseId, LocalDate day, String storeId, long qty, BigDecimal amount,
                       String currency, boolean basketStart, Visit visit) {

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    public SaleLine {
        Objects.requireNonNull(purchaseId, "purchaseId");
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(visit, "visit");
        if (!CURRENCY.matcher(currency).matches()) {
            throw new IllegalArgumentException("currency must be three upper-case letters, got '" + currency + "'");
        }
    }

    /** A line that says nothing of its basket or buyer. */
    public SaleLine(String purchaseId, LocalDate day, String storeId, long qty, BigDecimal amount, String currency) {
        this(purchaseId, day, storeId, qty, amount, currency, false, Visit.UNKNOWN);
    }

    public SaleLine withVisit(Visit newVisit) {
        return new SaleLine(purchaseId, day, storeId, qty, amount, currency, basketStart, newVisit);
    }
}
