package com.edgeinventory.model.central;

import com.edgeinventory.model.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The edge outbox's message body: central records (partition key and {@link CentralCodec} bytes, exactly what
 * would have gone to the central Kinesis stream) kept in the edge region while central cannot take them.
 * {@code {"v":1,"records":[{"k":"eu-west-1#SKU","d":"<base64>"},...]}}. Pure.
 *
 * <p>The records themselves are the idempotency key: central applies a level only when its version is newer and
 * counts a sale once per (region, purchase, sku), so a body sent twice, or after newer records, changes nothing.
 */
public final class OutboxCodec {

    public static final int VERSION = 1;
    /**
     * Body budget per message: SQS allows 262,144 bytes per message (body and attributes); this leaves room for
     * the attributes and keeps a margin.
     */
    public static final int MAX_BODY_BYTES = 200_000;

    /** One central record. */
    public record Entry(String partitionKey, byte[] data) {
        public Entry {
            Objects.requireNonNull(partitionKey, "partitionKey");
            Objects.requireNonNull(data, "data");
            if (partitionKey.isEmpty()) {
                throw new IllegalArgumentException("empty partition key");
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.partitionKey.equals(partitionKey) && Arrays.equals(e.data, data);
        }

        @Override
        public int hashCode() {
            return partitionKey.hashCode() * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Entry[" + partitionKey + ", " + data.length + " bytes]";
        }
    }

    /** One message body and the indices (into the packed list) of the entries it holds. */
    public record Message(String body, List<Integer> entries) {
        public Message {
            entries = List.copyOf(entries);
        }
    }

    /** The messages, and the entries too large for any message on their own (not packed). */
    public record Packed(List<Message> messages, List<Integer> tooLarge) {
        public Packed {
            messages = List.copyOf(messages);
            tooLarge = List.copyOf(tooLarge);
        }
    }

    private static final String PREFIX = "{\"v\":" + VERSION + ",\"records\":[";
    private static final String SUFFIX = "]}";

    private OutboxCodec() {}

    /** Packs entries in order into as few bodies of at most {@code maxBodyBytes} as that order allows. */
    public static Packed pack(List<Entry> entries, int maxBodyBytes) {
        List<Message> messages = new ArrayList<>();
        List<Integer> tooLarge = new ArrayList<>();
        StringBuilder body = new StringBuilder(PREFIX);
        List<Integer> current = new ArrayList<>();
        int overhead = PREFIX.length() + SUFFIX.length();
        int size = overhead;
        for (int i = 0; i < entries.size(); i++) {
            String item = item(entries.get(i));
            int itemBytes = item.length() + 1; // ASCII only: base64 and a JSON-escaped key; +1 for the comma
            if (overhead + itemBytes > maxBodyBytes) {
                tooLarge.add(i);
                continue;
            }
            if (size + itemBytes > maxBodyBytes) {
                messages.add(new Message(body.append(SUFFIX).toString(), current));
                body = new StringBuilder(PREFIX);
                current = new ArrayList<>();
                size = overhead;
            }
            if (!current.isEmpty()) {
                body.append(',');
            }
            body.append(item);
            current.add(i);
            size += itemBytes;
        }
        if (!current.isEmpty()) {
            messages.add(new Message(body.append(SUFFIX).toString(), current));
        }
        return new Packed(messages, tooLarge);
    }

    public static Packed pack(List<Entry> entries) {
        return pack(entries, MAX_BODY_BYTES);
    }

    /**
     * Reads a body written by {@link #pack}.
     *
     * @throws IllegalArgumentException saying what is wrong with it (not JSON, another version, a bad record)
     */
    public static List<Entry> unpack(String body) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("outbox message is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("outbox message is not a JSON object");
        }
        if (!root.path("v").isIntegralNumber() || root.path("v").asInt() != VERSION) {
            throw new IllegalArgumentException("outbox message version " + root.path("v") + " is not " + VERSION);
        }
        if (!(root.get("records") instanceof ArrayNode records)) {
            throw new IllegalArgumentException("outbox message has no records array");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode r = records.get(i);
            if (!r.path("k").isTextual() || r.path("k").asText().isEmpty() || !r.path("d").isTextual()) {
                throw new IllegalArgumentException("outbox record " + i + " has no partition key 'k' or data 'd'");
            }
            byte[] data;
            try {
                data = Base64.getDecoder().decode(r.path("d").asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("outbox record " + i + " data is not base64: " + e.getMessage());
            }
            entries.add(new Entry(r.path("k").asText(), data));
        }
        return entries;
    }

    private static String item(Entry e) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("k", e.partitionKey());
        node.put("d", Base64.getEncoder().encodeToString(e.data()));
        String json = node.toString();
        // Partition keys are {region}#{sku}; anything non-ASCII is escaped so the length counts bytes.
        StringBuilder ascii = new StringBuilder(json.length());
        json.chars().forEach(c -> {
            if (c < 0x80) {
                ascii.append((char) c);
            } else {
                ascii.append(String.format("\\u%04x", c));
            }
        });
        return ascii.toString();
    }

    /** The UTF-8 size of a body, as SQS counts it. */
    public static int bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8).length;
    }
}
