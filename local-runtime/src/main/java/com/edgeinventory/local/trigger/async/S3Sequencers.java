package com.edgeinventory.local.trigger.async;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives S3 event notifications the {@code sequencer} that real S3 always sends and moto leaves empty.
 *
 * <p>S3's sequencer orders the events of one key: a later PUT or DELETE has a greater hex value. Locally we
 * derive it from the record's {@code eventTime} (milliseconds) and a per-process counter in the order the
 * notifications are received, which keeps that order for events of one key as long as they are received in
 * the order they happened (moto sends them synchronously, at upload time). A record that already has a
 * sequencer is left as it is.
 */
public final class S3Sequencers {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong COUNTER = new AtomicLong();

    private S3Sequencers() {}

    /** Returns the notification body with every record's missing or empty sequencer filled in. */
    public static String fillMissing(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return body; // not JSON: the function reports it
        }
        JsonNode records = root == null ? null : root.get("Records");
        if (records == null || !records.isArray()) {
            return body;
        }
        boolean changed = false;
        for (JsonNode record : records) {
            JsonNode object = record.path("s3").path("object");
            if (object instanceof ObjectNode o && o.path("sequencer").asText("").isEmpty()) {
                o.put("sequencer", next(record.path("eventTime").asText("")));
                changed = true;
            }
        }
        try {
            return changed ? JSON.writeValueAsString(root) : body;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String next(String eventTime) {
        long millis;
        try {
            millis = Instant.parse(eventTime).toEpochMilli();
        } catch (DateTimeParseException e) {
            millis = System.currentTimeMillis();
        }
        long count = COUNTER.incrementAndGet() & 0xFFFFF;
        return HexFormat.of().withUpperCase().toHexDigits(millis) + String.format("%05X", count);
    }
}
