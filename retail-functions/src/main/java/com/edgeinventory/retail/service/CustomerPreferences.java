package com.edgeinventory.retail.service;

import java.util.Optional;

/** The port the transaction service reads a customer's stored preferences through (implemented by the customers adapter). */
@FunctionalInterface
public interface CustomerPreferences {

    CustomerPreferences NONE = customerId -> Optional.empty();

    Optional<Preferences> preferences(String customerId);
}
