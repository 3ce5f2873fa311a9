package com.edgeinventory.cli.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Personal data must not cross to central: scans the bytes of every record the central stream received for the
 * identifiers a run used (customer ids, device ids, device keys). Pure: the caller reads the stream.
 */
public final class ResidencyCheck {

    private ResidencyCheck() {
    }

    /** What was found: how many records were scanned, and per identifier kind the records that contain one. */
    public record Outcome(long records, long bytes, Map<String, Long> found) {
        public boolean clean() {
            return found.isEmpty();
        }

        public String render() {
            return clean()
                    ? String.format(java.util.Locale.ROOT, "Personal data in the %d records (%d bytes) central "
                            + "received: none (customer ids, device ids and device keys scanned for)%n", records, bytes)
                    : String.format(java.util.Locale.ROOT, "Personal data in the records central received: FOUND %s "
                            + "in %d records%n", found, records);
        }
    }

    /** @param identifiers kind (e.g. {@code customer id}) -> the values the run used */
    public static Outcome scan(Collection<byte[]> records, Map<String, Collection<String>> identifiers) {
        Map<String, Long> found = new TreeMap<>();
        long bytes = 0;
        for (byte[] record : records) {
            bytes += record.length;
            String text = new String(record, StandardCharsets.ISO_8859_1);
            for (Map.Entry<String, Collection<String>> kind : identifiers.entrySet()) {
                for (String value : kind.getValue()) {
                    if (!value.isEmpty() && text.contains(new String(value.getBytes(StandardCharsets.UTF_8),
                            StandardCharsets.ISO_8859_1))) {
                        found.merge(kind.getKey(), 1L, Long::sum);
                        break;
                    }
                }
            }
        }
        return new Outcome(records.size(), bytes, found);
    }

    /** The customer ids a demo's members may have used: {@code M-{run}-{region code}-{0..members-1}}. */
    public static List<String> memberIds(String runId, Collection<String> regions, int members) {
        List<String> ids = new ArrayList<>();
        for (String region : regions) {
            String code = region.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "");
            for (int i = 0; i < members; i++) {
                ids.add("M-" + runId + "-" + code + "-" + i);
            }
        }
        return ids;
    }
}
