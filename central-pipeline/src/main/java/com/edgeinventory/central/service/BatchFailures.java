package com.edgeinventory.central.service;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The partial-batch-failure rule of both stream consumers (the edge forwarder on DynamoDB Streams, the central
 * aggregator on Kinesis), which is what keeps the pipeline from losing or reordering a change. Lambda's event
 * source mapping, given {@code ReportBatchItemFailures}, resumes a shard from the <em>lowest</em> reported sequence
 * number and redelivers everything after it; central applies idempotently, so what is redelivered never counts
 * twice. Hence:
 * <ul>
 *   <li>a record that cannot be read (malformed) is reported {@linkplain #alone alone}: it must not hold the
 *       well-formed ones back, and the mapping's retries and on-failure destination take it from there;</li>
 *   <li>a coalesced central record that could not be written is reported as {@linkplain #all every stream record
 *       it was built from}, since they share its key;</li>
 *   <li>a record that could not be applied is reported with {@linkplain #holdBack every later record of its
 *       key}, which are not attempted, so that order per key holds on redelivery ({@link #keyFailed}).</li>
 * </ul>
 * Sequence numbers are decimal strings of varying length, ordered numerically. Pure: no I/O, not thread-safe
 * (one per batch).
 */
public final class BatchFailures {

    private final Set<String> reported = new TreeSet<>(StreamChanges.SEQUENCE_ORDER);
    private final Set<String> failedKeys = new HashSet<>();

    /** A record that cannot be read, reported alone; a record without a sequence number cannot be reported. */
    public void alone(String sequenceNumber) {
        if (sequenceNumber != null) {
            reported.add(sequenceNumber);
        }
    }

    /** The stream records one central record was built from, when that record could not be written. */
    public void all(Collection<String> sequenceNumbers) {
        sequenceNumbers.forEach(this::alone);
    }

    /**
     * Whether a record must not be attempted because an earlier record of its key failed in this batch; it is then
     * reported.
     */
    public boolean holdBack(String sequenceNumber, String key) {
        if (key == null || !failedKeys.contains(key)) {
            return false;
        }
        alone(sequenceNumber);
        return true;
    }

    /** A record that could not be applied: reported, and every later record of its key held back. */
    public void keyFailed(String sequenceNumber, String key) {
        alone(sequenceNumber);
        if (key != null) {
            failedKeys.add(key);
        }
    }

    /** What to report, lowest sequence number first. */
    public List<String> reported() {
        return List.copyOf(reported);
    }

    public int count() {
        return reported.size();
    }
}
