package com.edgeinventory.model;

import java.math.BigDecimal;
import java.util.Objects;

/** An amount in an ISO 4217 currency. The amount is exact; its scale never exceeds the currency's minor units. */
public record Money(BigDecimal amount, String currency) {
    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("amount must not be negative");
        }
    }

    /** The amount as the plain decimal string the upload contract uses, e.g. "89.90". */
    public String amountText() {
        return amount.toPlainString();
    }
}
