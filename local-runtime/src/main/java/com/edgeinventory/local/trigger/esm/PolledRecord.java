package com.edgeinventory.local.trigger.esm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * One record read from a shard, already in the shape Lambda delivers it.
 *
 * @param sequenceNumber the shard's sequence number (decimal digits for both DynamoDB Streams and Kinesis)
 * @param arrival        when the record reached the stream (record age is measured from it)
 * @param json           the record as an entry of the event's {@code Records}
 */
public record PolledRecord(String sequenceNumber, Instant arrival, ObjectNode json) {

    /** Sequence numbers compare as numbers, not as strings. */
    public static final Comparator<String> SEQUENCE_ORDER = Comparator.comparing(BigInteger::new);

    public PolledRecord {
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        Objects.requireNonNull(arrival, "arrival");
        Objects.requireNonNull(json, "json");
    }
}
