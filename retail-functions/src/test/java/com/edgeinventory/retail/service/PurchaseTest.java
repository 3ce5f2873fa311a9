package com.edgeinventory.retail.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The purchase id a request's store and Idempotency-Key decide: the purchase is the request's idempotency record. */
class PurchaseTest {

    @Test
    void theIdIsAVersion8UuidThatTheStoreAndKeyDecide() {
        String id = Purchase.idFor("STORE-1", "key-sale-0001");

        UUID uuid = UUID.fromString(id);
        assertThat(uuid.version()).isEqualTo(8);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(Purchase.idFor("STORE-1", "key-sale-0001")).as("a retry gets the same id").isEqualTo(id);
        assertThat(Purchase.idFor("STORE-2", "key-sale-0001")).as("keys are scoped to their store").isNotEqualTo(id);
        assertThat(Purchase.idFor("STORE-1", "key-sale-0002")).isNotEqualTo(id);
        // No other store's key can make this id: "#" separates store and key, and no key may contain it.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RequestValidator.idempotencyKey("key#sale-0001"))
                .isInstanceOf(InvalidRequest.class);
    }
}
