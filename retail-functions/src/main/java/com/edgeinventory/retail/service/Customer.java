package com.edgeinventory.retail.service;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A customer as stored: the store of first registration, profile, preferences and marketing consent.
 *
 * @param profile   may be empty ({@link Profile#NONE})
 * @param consentAt when the marketing consent was last given or withdrawn
 * @param version   1 on creation, +1 on every change
 */
public record Customer(String customerId, String storeId, Profile profile, Preferences preferences,
                       boolean marketing, Instant consentAt, Instant updatedAt, long version) {

    /** Optional personal data; either part may be null. */
    public record Profile(String name, String email) {
        public static final Profile NONE = new Profile(null, null);

        public boolean isEmpty() {
            return name == null && email == null;
        }
    }

    public Customer {
        Objects.requireNonNull(customerId);
        Objects.requireNonNull(storeId);
        profile = profile == null ? Profile.NONE : profile;
        preferences = preferences == null ? Preferences.NONE : preferences;
        Objects.requireNonNull(consentAt);
        Objects.requireNonNull(updatedAt);
    }

    /**
     * The pure transition of {@code PUT /v1/customers/{id}}: the request replaces profile, preferences and
     * consent; the store of first registration stays; the consent time moves only when the consent changes.
     */
    public static Customer apply(Optional<Customer> current, String customerId, String storeId,
                                 CustomerUpdate update, Instant now) {
        if (current.isEmpty()) {
            return new Customer(customerId, storeId, update.profile(), update.preferences(), update.marketing(),
                    now, now, 1);
        }
        Customer c = current.get();
        Instant consentAt = c.marketing() == update.marketing() ? c.consentAt() : now;
        return new Customer(customerId, c.storeId(), update.profile(), update.preferences(), update.marketing(),
                consentAt, now, c.version() + 1);
    }
}
