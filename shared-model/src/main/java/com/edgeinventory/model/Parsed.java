package com.edgeinventory.model;

import java.util.List;
import java.util.Objects;

/** The outcome of parsing and validating an input: a value, or every error found in it. */
public sealed interface Parsed<T> permits Parsed.Valid, Parsed.Invalid {

    record Valid<T>(T value) implements Parsed<T> {
        public Valid {
            Objects.requireNonNull(value, "value");
        }
    }

    record Invalid<T>(List<ValidationError> errors) implements Parsed<T> {
        public Invalid {
            errors = List.copyOf(errors);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("an Invalid outcome needs at least one error");
            }
        }
    }

    static <T> Parsed<T> valid(T value) {
        return new Valid<>(value);
    }

    static <T> Parsed<T> invalid(List<ValidationError> errors) {
        return new Invalid<>(errors);
    }
}
