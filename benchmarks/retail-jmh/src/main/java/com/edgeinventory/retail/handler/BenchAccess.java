package com.edgeinventory.retail.handler;

import com.edgeinventory.retail.service.TransactionService;

/** The benchmarks' way to the package-private {@code TransactionHandler(TransactionService)} constructor. */
public final class BenchAccess {

    private BenchAccess() {}

    public static TransactionHandler transactionHandler(TransactionService service) {
        return new TransactionHandler(service);
    }
}
