package com.edgeinventory.retail.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CustomerTest {

    static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");
    static final Instant T1 = Instant.parse("2026-11-27T09:00:00Z");
    static final Preferences PREFS = new Preferences(List.of("42"), List.of("blue"), List.of("running-shoes"));

    @Test
    void aNewCustomerBelongsToTheRegisteringStore() {
        Customer c = Customer.apply(Optional.empty(), "c1", "STORE-A",
                new CustomerUpdate(new Customer.Profile("Alex", null), PREFS, true), T0);

        assertThat(c.storeId()).isEqualTo("STORE-A");
        assertThat(c.version()).isEqualTo(1);
        assertThat(c.consentAt()).isEqualTo(T0);
        assertThat(c.preferences()).isEqualTo(PREFS);
    }

    @Test
    void anUpdateKeepsTheFirstStoreAndTheConsentTimeUnlessConsentChanges() {
        Customer first = Customer.apply(Optional.empty(), "c1", "STORE-A",
                new CustomerUpdate(null, PREFS, true), T0);

        Customer same = Customer.apply(Optional.of(first), "c1", "STORE-B",
                new CustomerUpdate(null, Preferences.NONE, true), T1);
        Customer withdrawn = Customer.apply(Optional.of(first), "c1", "STORE-B",
                new CustomerUpdate(null, PREFS, false), T1);

        assertThat(same.storeId()).isEqualTo("STORE-A");
        assertThat(same.version()).isEqualTo(2);
        assertThat(same.consentAt()).isEqualTo(T0);
        assertThat(same.preferences()).isEqualTo(Preferences.NONE);
        assertThat(same.updatedAt()).isEqualTo(T1);
        assertThat(withdrawn.consentAt()).isEqualTo(T1);
        assertThat(withdrawn.marketing()).isFalse();
    }
}
