package com.edgeinventory.model;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Why a warehouse changes stock. Each reason fixes the sign its delta may have. */
public enum AdjustmentReason {
    RESTOCK(Sign.POSITIVE),
    RETURN(Sign.POSITIVE),
    SHRINKAGE(Sign.NEGATIVE),
    DAMAGE(Sign.NEGATIVE),
    CORRECTION(Sign.ANY);

    enum Sign { POSITIVE, NEGATIVE, ANY }

    private final Sign sign;

    AdjustmentReason(Sign sign) {
        this.sign = sign;
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean allows(long delta) {
        return switch (sign) {
            case POSITIVE -> delta > 0;
            case NEGATIVE -> delta < 0;
            case ANY -> delta != 0;
        };
    }

    public String signRule() {
        return switch (sign) {
            case POSITIVE -> "a positive delta";
            case NEGATIVE -> "a negative delta";
            case ANY -> "a non-zero delta";
        };
    }

    public static Optional<AdjustmentReason> fromWire(String value) {
        return Arrays.stream(values()).filter(r -> r.wireName().equals(value)).findFirst();
    }

    public static String wireNames() {
        return Arrays.stream(values()).map(AdjustmentReason::wireName).collect(Collectors.joining(", "));
    }
}
