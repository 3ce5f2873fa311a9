package com.edgeinventory.central.service;

import com.edgeinventory.model.central.OutboxCodec;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Sends what the edge outbox holds to the central stream, message by message: a message whose every record was
 * put is deleted; a message that cannot be read goes to the dead-letter queue with the reason (bad input is never
 * retried); a message with any record not put stays, visible again at once together with the rest of its receive,
 * and the run stops, since central is evidently not taking records yet. Sending twice is harmless: central applies a level
 * only when it is newer and counts each sale once.
 */
public final class OutboxDrain {

    /** A message received from the outbox. */
    public record Received(String messageId, String receiptHandle, String body) {}

    /** The outbox as the drain sees it. */
    public interface Source {
        List<Received> receive(int max);

        void delete(Received message);

        /** Makes a received message visible again at once, for the next run. */
        void release(Received message);

        /** Moves an unreadable message to the dead-letter queue with the reason and deletes it from the outbox. */
        void deadLetter(Received message, String reason);
    }

    /** The central stream: puts entries, returns the indices that could not be put. */
    public interface Sink {
        Set<Integer> put(List<OutboxCodec.Entry> entries);
    }

    /** What one run did. */
    public record Report(int messagesDelivered, int recordsDelivered, int messagesDeadLettered, int messagesLeft,
                         boolean centralRefused) {
        public String summary() {
            return "outbox: " + messagesDelivered + " messages (" + recordsDelivered + " records) delivered, "
                    + messagesDeadLettered + " unreadable to the dead-letter queue, " + messagesLeft + " left"
                    + (centralRefused ? " (central refused records; trying again later)" : "");
        }
    }

    private final Source source;
    private final Sink sink;

    public OutboxDrain(Source source, Sink sink) {
        this.source = Objects.requireNonNull(source);
        this.sink = Objects.requireNonNull(sink);
    }

    /**
     * Drains until the outbox looks empty, central refuses a record, or {@code timeLeft} says stop.
     *
     * @param log one line per dead-lettered or refused message
     */
    public Report run(BooleanSupplier timeLeft, Consumer<String> log) {
        int delivered = 0;
        int records = 0;
        int deadLettered = 0;
        int left = 0;
        while (timeLeft.getAsBoolean()) {
            List<Received> batch = source.receive(10);
            if (batch.isEmpty()) {
                break;
            }
            for (int i = 0; i < batch.size(); i++) {
                Received message = batch.get(i);
                List<OutboxCodec.Entry> entries;
                try {
                    entries = OutboxCodec.unpack(message.body());
                } catch (IllegalArgumentException e) {
                    log.accept("outbox message " + message.messageId() + " cannot be read, moved to the dead-letter"
                            + " queue: " + e.getMessage());
                    source.deadLetter(message, e.getMessage());
                    deadLettered++;
                    continue;
                }
                Set<Integer> failed = entries.isEmpty() ? Set.of() : sink.put(entries);
                if (!failed.isEmpty()) {
                    left += batch.size() - i;
                    batch.subList(i, batch.size()).forEach(source::release);
                    log.accept("outbox message " + message.messageId() + ": central refused " + failed.size() + " of "
                            + entries.size() + " records; it stays in the outbox");
                    return new Report(delivered, records, deadLettered, left, true);
                }
                source.delete(message);
                delivered++;
                records += entries.size();
            }
        }
        return new Report(delivered, records, deadLettered, left, false);
    }
}
