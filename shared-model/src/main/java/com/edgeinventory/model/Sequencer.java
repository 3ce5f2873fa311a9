package com.edgeinventory.model;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An S3 event {@code sequencer}: a hexadecimal value that orders the PUTs and DELETEs of one key. S3 only
 * promises that a greater value is a later event for the same key, and the strings vary in length.
 * {@link #normalized()} left-pads to a fixed width and upper-cases, so that plain string comparison
 * (as DynamoDB condition expressions do it) orders sequencers by their numeric value.
 */
public record Sequencer(String normalized) implements Comparable<Sequencer> {

    public static final int WIDTH = 32;
    private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]{1," + WIDTH + "}");

    public Sequencer {
        if (normalized.length() != WIDTH || !HEX.matcher(normalized).matches()) {
            throw new IllegalArgumentException("not a normalized sequencer: " + normalized);
        }
    }

    /** Parses the raw value from an S3 event. */
    public static Sequencer of(String raw) {
        if (raw == null || !HEX.matcher(raw).matches()) {
            throw new IllegalArgumentException("S3 sequencer must be 1-" + WIDTH + " hex digits, got: " + raw);
        }
        String upper = raw.toUpperCase(Locale.ROOT);
        return new Sequencer("0".repeat(WIDTH - upper.length()) + upper);
    }

    @Override
    public int compareTo(Sequencer other) {
        return normalized.compareTo(other.normalized);
    }

    public boolean isAfter(Sequencer other) {
        return compareTo(other) > 0;
    }
}
