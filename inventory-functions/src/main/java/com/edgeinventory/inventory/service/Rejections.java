package com.edgeinventory.inventory.service;

import com.edgeinventory.model.Json;
import com.edgeinventory.model.Rejection;
import com.edgeinventory.model.ValidationError;
import java.time.Clock;
import java.util.List;

/**
 * Puts a bad upload aside: the object is copied to {@code rejected/{key}} and a sibling
 * {@code rejected/{key}.error.json} says what was wrong and where. The original stays where it was.
 */
public final class Rejections {

    public static final String PREFIX = "rejected/";

    private final UploadBucket bucket;
    private final Clock clock;

    public Rejections(UploadBucket bucket, Clock clock) {
        this.bucket = bucket;
        this.clock = clock;
    }

    public Outcome.Rejected reject(UploadEvent event, String code, List<ValidationError> errors) {
        bucket.copy(event.bucket(), event.key(), PREFIX + event.key());
        Rejection rejection = new Rejection(event.key(), code, errors, event.sequencer().normalized(),
                clock.instant().toString());
        bucket.put(event.bucket(), errorKey(event.key()), Json.write(rejection), "application/json");
        return new Outcome.Rejected(event.key(), code, errors);
    }

    public Outcome.Rejected reject(UploadEvent event, String code, String message) {
        return reject(event, code, List.of(new ValidationError("", message)));
    }

    public static String errorKey(String key) {
        return PREFIX + key + ".error.json";
    }
}
