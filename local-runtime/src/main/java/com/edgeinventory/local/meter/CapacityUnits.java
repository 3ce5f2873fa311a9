package com.edgeinventory.local.meter;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * DynamoDB's capacity rules on items in DynamoDB JSON ({@code {"name": {"S": "..."}}}), as the wire carries them
 * ("Item sizes and formats", "Read/write capacity unit consumption"): a write unit per started KB of the item
 * written, a read unit per started 4 KB read strongly consistently (half for an eventually consistent read),
 * twice that inside a transaction; a Query or Scan rounds the sum of the items it returns. Pure.
 */
public final class CapacityUnits {

    private CapacityUnits() {
    }

    /** An item's size: each attribute name's UTF-8 bytes plus its value's. */
    public static long itemSize(JsonNode item) {
        long size = 0;
        if (item == null || !item.isObject()) {
            return 0;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            size += utf8(e.getKey()) + valueSize(e.getValue());
        }
        return size;
    }

    /**
     * A value: strings their UTF-8 bytes, numbers one byte per two significant digits plus one, binary its bytes,
     * booleans and nulls one byte, lists and maps 3 bytes plus one byte and the size of each element (and, in a
     * map, each key), sets the sum of their elements.
     */
    static long valueSize(JsonNode value) {
        if (value == null || !value.isObject() || value.isEmpty()) {
            return 0;
        }
        Map.Entry<String, JsonNode> typed = value.fields().next();
        JsonNode v = typed.getValue();
        return switch (typed.getKey()) {
            case "S" -> utf8(v.asText());
            case "N" -> numberSize(v.asText());
            case "B" -> base64Length(v.asText());
            case "BOOL", "NULL" -> 1;
            case "L" -> {
                long size = 3;
                for (JsonNode element : v) {
                    size += 1 + valueSize(element);
                }
                yield size;
            }
            case "M" -> {
                long size = 3;
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    size += 1 + utf8(e.getKey()) + valueSize(e.getValue());
                }
                yield size;
            }
            case "SS" -> {
                long size = 0;
                for (JsonNode s : v) {
                    size += utf8(s.asText());
                }
                yield size;
            }
            case "NS" -> {
                long size = 0;
                for (JsonNode n : v) {
                    size += numberSize(n.asText());
                }
                yield size;
            }
            case "BS" -> {
                long size = 0;
                for (JsonNode b : v) {
                    size += base64Length(b.asText());
                }
                yield size;
            }
            default -> 0;
        };
    }

    /** Write units of one write of an item of {@code bytes}: one per started KB (at least one). */
    public static double writeUnits(long bytes, boolean transactional) {
        double units = Math.max(1, Math.ceil(bytes / 1024.0));
        return transactional ? 2 * units : units;
    }

    /** Read units of reading {@code bytes}: one per started 4 KB (at least one), half if eventually consistent. */
    public static double readUnits(long bytes, boolean consistent, boolean transactional) {
        double units = Math.max(1, Math.ceil(bytes / 4096.0));
        if (transactional) {
            return 2 * units;
        }
        return consistent ? units : units / 2;
    }

    private static long numberSize(String text) {
        String digits = text.replaceAll("[^0-9]", "").replaceAll("^0+", "").replaceAll("0+$", "");
        return Math.max(1, (digits.length() + 1) / 2) + 1;
    }

    private static long base64Length(String text) {
        int padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
        return (long) text.length() * 3 / 4 - padding;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
