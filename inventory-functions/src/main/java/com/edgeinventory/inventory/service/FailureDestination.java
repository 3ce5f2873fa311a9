package com.edgeinventory.inventory.service;

/**
 * Where an event that must not be retried goes at once: the function's on-failure queue, with a record in the
 * shape of Lambda's own (request payload, error type and message), so operators find it where every other failed
 * upload event is.
 */
@FunctionalInterface
public interface FailureDestination {

    /** Puts the failure record aside; throws when it cannot (then the invocation fails and Lambda retries). */
    void refuse(String requestPayloadJson, String errorType, String errorMessage);
}
