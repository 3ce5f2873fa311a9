package com.edgeinventory.central.service;

import java.math.BigDecimal;
import java.util.Currency;

/** Money amounts as the analytics API shows them: decimal strings with the currency's minor units. */
public final class Amounts {

    private Amounts() {}

    /**
     * The amount with at least the currency's minor units ({@code 179.8} EUR is {@code "179.80"}, {@code 12000} JPY
     * is {@code "12000"}); more decimals are kept, never rounded away. DynamoDB drops trailing zeros of numbers,
     * which is why they are put back here.
     */
    public static String text(String currency, BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        int scale = Math.max(0, Math.max(stripped.scale(), minorUnits(currency)));
        return stripped.setScale(scale).toPlainString();
    }

    static int minorUnits(String currency) {
        try {
            return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }
}
