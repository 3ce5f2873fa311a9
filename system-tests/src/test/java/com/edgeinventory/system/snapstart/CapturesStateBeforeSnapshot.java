package com.edgeinventory.system.snapstart;

import java.time.Instant;
import java.util.Random;
import java.util.UUID;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * A handler that is wrong under SnapStart, for {@link SnapStartHygieneIT}: everything it computes in its
 * constructor is computed once, before the snapshot, and then shared by every environment restored from it.
 */
public final class CapturesStateBeforeSnapshot implements RequestHandler<String, String> {

    /** Every restored environment draws the same numbers. */
    private final Random random = new Random();
    /** Every restored environment has the same "unique" id. */
    private final String instanceId = UUID.randomUUID().toString();
    /** The snapshot's time, hours or days before the invocation. */
    private final Instant startedAt = Instant.now();
    private final long startedNanos = System.nanoTime();

    @Override
    public String handleRequest(String input, Context context) {
        return instanceId + " " + random.nextInt() + " " + startedAt + " " + startedNanos;
    }
}
