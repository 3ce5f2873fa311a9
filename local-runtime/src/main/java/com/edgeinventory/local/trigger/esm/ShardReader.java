package com.edgeinventory.local.trigger.esm;

import java.util.List;
import java.util.Optional;

/** Reads the shards of one stream: what a Lambda event source mapping polls. */
public interface ShardReader {

    /** A page of records and the iterator for the next one ({@code null} once a closed shard is exhausted). */
    record Page(List<PolledRecord> records, String nextIterator) {
        public Page {
            records = List.copyOf(records);
        }
    }

    /** The shard ids, parents before children. */
    List<String> shards();

    /**
     * An iterator just after {@code afterSequence}, or at the start position when there is none.
     *
     * @param trimHorizon the oldest record (else the tip, LATEST)
     */
    String iterator(String shardId, Optional<String> afterSequence, boolean trimHorizon);

    /** At most {@code limit} records from {@code iterator}. */
    Page read(String shardId, String iterator, int limit);
}
