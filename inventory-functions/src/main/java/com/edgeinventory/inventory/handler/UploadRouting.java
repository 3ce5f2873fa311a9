package com.edgeinventory.inventory.handler;

import java.util.Optional;

import com.edgeinventory.inventory.service.FailureDestination;

/**
 * Which bucket's events the function serves ({@code UPLOAD_BUCKET}), and where an event of another bucket goes:
 * refused at once, never retried, to the on-failure queue with the reason. Such an event is misrouted (a
 * notification configured by hand, SAM's sample event for {@code example-bucket}), not a transient failure.
 */
record UploadRouting(Optional<String> bucket, FailureDestination refused) {

    /** Serves every bucket (tests that build their own events). */
    static final UploadRouting ANY = new UploadRouting(Optional.empty(), (payload, type, message) -> {
        throw new IllegalStateException("no bucket is refused");
    });

    boolean serves(String eventBucket) {
        return bucket.map(b -> b.equals(eventBucket)).orElse(true);
    }
}
