package com.edgeinventory.model;

import java.util.List;
import java.util.Objects;

/**
 * The content of {@code rejected/{original key}.error.json}: why an upload was not applied.
 *
 * @param key        the original object key
 * @param code       a stable machine-readable reason, e.g. {@code INVALID_PRODUCT}, {@code CORRUPT_IMAGE}
 * @param errors     each problem with where it is
 * @param sequencer  the S3 event sequencer of the rejected upload, when known
 * @param rejectedAt ISO-8601 instant
 */
public record Rejection(String key, String code, List<ValidationError> errors, String sequencer, String rejectedAt) {
    public Rejection {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(code, "code");
        errors = List.copyOf(errors);
        Objects.requireNonNull(rejectedAt, "rejectedAt");
    }
}
