package com.edgeinventory.retail.service;

import com.edgeinventory.retail.service.RetailStore.Committed;
import com.edgeinventory.retail.service.RetailStore.StateWrite;
import com.edgeinventory.retail.service.RetailStore.WriteSet;
import com.edgeinventory.retail.service.Transitions.Change;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Expires abandoned transactions: for every OPEN transaction idle past its expiry, one DynamoDB transaction
 * releases every line and sets the state to EXPIRED, conditioned on the version the sweep read. If that
 * condition fails, another sweep or a request got there first, and the transaction is skipped: each
 * reservation is released exactly once.
 */
public final class TransactionSweeper {

    /**
     * @param examined  expired OPEN transactions found
     * @param expired   of them, expired by this sweep
     * @param skipped   of them, changed meanwhile (closed, or expired by another sweep)
     * @param itemsRead items the search read (the sparse index: the expiring transactions only)
     * @param readUnits read capacity the search cost
     */
    public record Report(int examined, int expired, int skipped, long itemsRead, double readUnits) {

        public Report(int examined, int expired, int skipped) {
            this(examined, expired, skipped, examined, 0);
        }
    }

    private final RetailStore store;
    private final Clock clock;

    public TransactionSweeper(RetailStore store, Clock clock) {
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
    }

    public Report sweep() {
        return sweep(clock.instant());
    }

    /** Expires what is idle as of {@code now} (the schedule's time: the local stack's clock may be simulated). */
    public Report sweep(Instant now) {
        int[] counts = new int[3];
        RetailStore.SweepRead read = store.forEachOpenExpired(now, state -> {
            counts[0]++;
            Optional<Change> change = Transitions.expire(state, now);
            if (change.isEmpty()) {
                counts[2]++;
                return;
            }
            Change c = change.get();
            WriteSet write = new WriteSet(c.next().map(next -> new StateWrite(next, c.expectedVersion())), c.moves(),
                    Optional.empty(), Optional.empty(), now);
            if (store.commit(write) instanceof Committed) {
                counts[1]++;
            } else {
                counts[2]++;
            }
        });
        return new Report(counts[0], counts[1], counts[2], read.items(), read.readUnits());
    }
}
