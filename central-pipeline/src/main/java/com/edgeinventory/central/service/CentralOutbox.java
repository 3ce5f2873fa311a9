package com.edgeinventory.central.service;

import com.edgeinventory.model.central.OutboxCodec;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Where the edge keeps central records that central could not take (the forwarder's outbox): durable in the edge
 * region, drained to the central stream when central is back.
 */
public interface CentralOutbox {

    /**
     * Keeps the entries; returns the indices (into {@code entries}) that could not be kept.
     *
     * @param warnings one line per problem
     */
    Set<Integer> keep(List<OutboxCodec.Entry> entries, Consumer<String> warnings);

    /** No outbox: nothing can be kept, so undelivered records fail their batch (the stream's retries decide). */
    CentralOutbox NONE = (entries, warnings) -> IntStream.range(0, entries.size()).boxed()
            .collect(Collectors.toCollection(java.util.TreeSet::new));
}
