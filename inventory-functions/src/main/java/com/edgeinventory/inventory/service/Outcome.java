package com.edgeinventory.inventory.service;

import com.edgeinventory.model.ValidationError;
import java.util.List;

/** What happened to one uploaded object. Expected business results, not exceptions. */
public sealed interface Outcome permits Outcome.Applied, Outcome.Rejected, Outcome.Ignored {

    String key();

    /** The change reached the inventory table. */
    record Applied(String key, String detail) implements Outcome {}

    /** The upload is bad; it was copied to {@code rejected/} with an error file, and nothing was written. */
    record Rejected(String key, String code, List<ValidationError> errors) implements Outcome {
        public Rejected {
            errors = List.copyOf(errors);
        }
    }

    /** Nothing to do: a stale or repeated event, or an object already gone. */
    record Ignored(String key, String reason) implements Outcome {}
}
