package com.edgeinventory.central.service;

import java.util.Map;

/**
 * One DynamoDB stream record, without Lambda or SDK types, so the mapping can be tested as plain Java.
 * Attribute values are {@link String} (S), {@link Num} (N), {@link Boolean} (BOOL), {@code List<Object>} (L),
 * {@code Map<String, Object>} (M), {@code null} (NULL) or {@link Other} (any other type, e.g. SS or B).
 *
 * @param eventName INSERT, MODIFY or REMOVE
 * @param newImage  {@code null} when the record has none (REMOVE)
 * @param approximateMillis the record's ApproximateCreationDateTime, epoch milliseconds (0 when absent)
 */
public record ChangeRecord(String sequenceNumber, String eventName, Map<String, Object> keys,
                           Map<String, Object> newImage, long approximateMillis) {

    /** A DynamoDB number, as its decimal text. */
    public record Num(String text) {}

    /** An attribute of a type the mapping never reads. */
    public record Other(String type) {}
}
