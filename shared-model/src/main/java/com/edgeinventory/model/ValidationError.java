package com.edgeinventory.model;

import java.util.Objects;

/**
 * What is wrong with an input, and where.
 *
 * @param location where: a JSON pointer such as {@code /price/amount}, {@code line 3: /delta}, or
 *                 {@code line 1, column 17} for syntax errors; empty for the whole document
 */
public record ValidationError(String location, String message) {
    public ValidationError {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return location.isEmpty() ? message : location + ": " + message;
    }
}
