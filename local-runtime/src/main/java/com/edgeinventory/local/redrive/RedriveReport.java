package com.edgeinventory.local.redrive;

import java.util.List;

/**
 * What redrive did with one source (an edge outbox or the central aggregator's dead-letter queue).
 *
 * @param source       e.g. {@code outbox eu-west-1}
 * @param queueUrl     the queue
 * @param messagesDone messages handled and deleted
 * @param recordsPut   central records put on the central stream
 * @param messagesLeft messages left in place, each with a reason in {@code reasons}
 * @param skipped      records not put back because they cannot be read (they would fail again)
 * @param reasons      one line per message left or record skipped
 */
public record RedriveReport(String source, String queueUrl, int messagesDone, int recordsPut, int messagesLeft,
                            int skipped, List<String> reasons) {
    public RedriveReport {
        reasons = List.copyOf(reasons);
    }

    public boolean complete() {
        return messagesLeft == 0;
    }
}
