package com.edgeinventory.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Unwraps {@link Parsed} outcomes in tests, failing with the other side's content when the kind is wrong. */
final class ParsedAssertions {
    private ParsedAssertions() {}

    static <T> T valueOf(Parsed<T> parsed) {
        assertThat(parsed).as("expected a valid outcome, got %s", parsed).isInstanceOf(Parsed.Valid.class);
        return ((Parsed.Valid<T>) parsed).value();
    }

    static List<ValidationError> errorsOf(Parsed<?> parsed) {
        assertThat(parsed).as("expected an invalid outcome, got %s", parsed).isInstanceOf(Parsed.Invalid.class);
        return ((Parsed.Invalid<?>) parsed).errors();
    }
}
