package com.edgeinventory.central.service;

import com.edgeinventory.model.central.Visit;
import java.time.Instant;

/**
 * Tells, at the edge, whether a purchase's customer is new to this region or coming back: the customer's id stays
 * here (implemented in {@code adapter/} over a regional table), only the {@link Visit} goes to central. Answers the
 * same for the same purchase however often it is asked (a redelivered stream batch).
 */
@FunctionalInterface
public interface CustomerVisits {

    /** For tests that have no table: every known customer's visit is left {@link Visit#UNKNOWN}. */
    CustomerVisits NOT_LOOKED_UP = (purchaseId, customerId, at) -> Visit.UNKNOWN;

    /** {@link Visit#NEW} when this is the customer's first purchase here, else {@link Visit#RETURNING}. */
    Visit visit(String purchaseId, String customerId, Instant at);
}
