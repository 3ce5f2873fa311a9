package com.edgeinventory.local.fault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A switch for a central outage ({@code up --central-outage FILE}): while the file exists, {@link FaultProxy}
 * answers every Kinesis call of the functions (the forwarders' and drainers' PutRecords to the central stream)
 * with HTTP 503, as an unavailable central region would; create and delete the file while {@code up} runs.
 * The aggregator's own reads of the stream are not affected (the local event source mapping reads directly).
 */
public record CentralOutage(Path switchFile) {

    public CentralOutage {
        Objects.requireNonNull(switchFile, "switchFile");
    }

    /** Whether central is down right now. */
    public boolean active() {
        return Files.exists(switchFile);
    }

    @Override
    public String toString() {
        return "central outage while " + switchFile + " exists";
    }
}
