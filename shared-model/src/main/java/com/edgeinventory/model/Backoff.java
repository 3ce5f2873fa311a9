package com.edgeinventory.model;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a write waits before it tries again after DynamoDB cancelled it for a transient reason
 * (TransactionConflict with another transaction on the same item, throttling): the retail service's and the
 * central aggregator's retries. Retrying at once only meets the
 * same transaction again; AWS's advice is exponential backoff with jitter, here "full jitter": a uniform pause in
 * {@code [0, min(cap, base * 2^retry))}. A version conflict is not transient (the state changed) and is retried
 * at once from the new state.
 */
@FunctionalInterface
public interface Backoff {

    /** The production pauses: base 20 ms, cap 320 ms; three retries wait 0.28 s at the most, 0.14 s on average. */
    Backoff JITTERED = jittered(20, 320);

    /** No pause (tests of the retry count). */
    Backoff NONE = retry -> { };

    /** Waits before retry number {@code retry} (0 for the first). */
    void pause(int retry);

    static Backoff jittered(long baseMillis, long capMillis) {
        return retry -> {
            long millis = ThreadLocalRandom.current().nextLong(ceilingMillis(retry, baseMillis, capMillis) + 1);
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** The longest pause before retry number {@code retry}: {@code min(cap, base * 2^retry)}. */
    public static long ceilingMillis(int retry, long baseMillis, long capMillis) {
        return Math.min(capMillis, baseMillis << Math.min(retry, 20));
    }
}
