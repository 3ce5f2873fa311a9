package com.edgeinventory.retail.service;

import java.util.Objects;

/** A validated {@code PUT /v1/customers/{customerId}} body. */
public record CustomerUpdate(Customer.Profile profile, Preferences preferences, boolean marketing) {
    public CustomerUpdate {
        profile = profile == null ? Customer.Profile.NONE : profile;
        Objects.requireNonNull(preferences);
    }
}
