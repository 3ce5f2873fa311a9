package com.edgeinventory.central.service;

/** Three stock levels, or a difference between two of them. */
public record Levels(long available, long reserved, long sold) {

    public static final Levels ZERO = new Levels(0, 0, 0);

    public Levels minus(Levels other) {
        return new Levels(available - other.available, reserved - other.reserved, sold - other.sold);
    }

    public boolean isZero() {
        return available == 0 && reserved == 0 && sold == 0;
    }
}
