package com.edgeinventory.retail.service;

import java.util.Optional;

/**
 * Where customers live, as {@link CustomerService} needs it: a strongly consistent read, and a versioned save
 * written in one transaction with the request's idempotency record.
 */
public interface CustomerStore {

    /** What became of a save. */
    sealed interface SaveOutcome {
    }

    /** The customer and the idempotency record are written. */
    record Saved() implements SaveOutcome {
    }

    /** The customer changed since it was read: read again and retry. Nothing was written. */
    record VersionConflict() implements SaveOutcome {
    }

    /** The idempotency key was used before; its record, if it could be read. Nothing was written. */
    record KeyUsed(Optional<IdempotencyRecord> stored) implements SaveOutcome {
    }

    /** The customer, strongly consistent. */
    Optional<Customer> find(String customerId);

    /**
     * Writes the customer and the idempotency record together, or neither.
     *
     * @param expectedVersion the version read, or 0 when the customer did not exist
     */
    SaveOutcome save(Customer customer, long expectedVersion, IdempotencyRecord record);
}
