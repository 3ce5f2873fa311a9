package com.edgeinventory.model.central;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The compact binary encoding of a {@link SkuDelta}, the payload of one record on the central Kinesis stream.
 *
 * <h2>Format version 2</h2>
 * <pre>
 * u8      format version = 2
 * str     region
 * str     sku
 * u8      flags: bit 0 = level present, bit 1 = level deleted, bit 2 = attributes present, bit 3 = lost demand
 *         present, bit 4 = its entries carry alternativesBought (only with bit 3; other bits must be 0)
 * [level] svar available, svar reserved, svar sold, uvar version, svar atMillis
 * [attrs] str category, str size
 * [lost]  uvar count, entry* = svar epochDay, str storeId, uvar refusedUnits, uvar refusals, uvar offered,
 *         [bit 4: uvar alternativesBought]
 * uvar    number of sale groups
 * group*  svar epochDay, str storeId, 3 bytes currency (ASCII A-Z), uvar number of entries,
 *         entry* = u8 entry byte: bits 0-1 id kind (0 = UUID: 16 bytes big-endian msb,lsb | 1 = str), bit 2 =
 *                  the first line of its basket, bits 3-4 = visit (0 unknown, 1 anonymous, 2 new, 3 returning),
 *                  bits 5-7 = 0; then the id, svar qty, svar amount unscaled value, svar amount scale
 *
 * uvar = unsigned LEB128 varint (at most 10 bytes), svar = zig-zag then uvar,
 * str  = uvar byte length + UTF-8 bytes
 * </pre>
 * Bit 4 is set only when an entry has alternatives bought, so every other record is byte for byte what readers
 * before it wrote and read; a reader before it rejects a record with it (deploy central first).
 * Version 1 (still read, never written) is the same without attributes and lost demand (flag bits 2 and 3 must
 * be 0) and with an entry
 * byte that is the id kind alone: its lines read as neither basket starts nor with a visit. The new fields cost
 * no bytes per line (bits of a byte that was there) and {@code 2 + |category| + |size|} per delta with sales.
 * A group is a run of consecutive sale lines with the same (day, store, currency), so their shared fields are
 * written once; per-purchase identity and amounts are kept, and decoding gives the lines back in the same order.
 * Amounts whose unscaled value does not fit in 64 bits cannot be encoded. Decoding rejects anything else than
 * exactly one well-formed record (truncated, unknown version, unknown flags or entry bits, overlong varint, bad
 * UTF-8, trailing bytes) with an {@link IllegalArgumentException}.
 */
public final class CentralCodec {

    public static final int FORMAT_VERSION = 2;
    /** The version before baskets, visits and attributes; still read. */
    public static final int FORMAT_VERSION_1 = 1;

    private static final int LEVEL = 1;
    private static final int DELETED = 2;
    private static final int ATTRIBUTES = 4;
    private static final int LOST_DEMAND = 8;
    private static final int ALTERNATIVES_BOUGHT = 16;
    private static final int BASKET_START = 4;
    private static final int VISIT_SHIFT = 3;
    private static final int ID_UUID = 0;
    private static final int ID_TEXT = 1;
    private static final Pattern CANONICAL_UUID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private CentralCodec() {}

    public static byte[] encode(SkuDelta delta) {
        Objects.requireNonNull(delta, "delta");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 40 * delta.sales().size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            writeString(out, delta.region());
            writeString(out, delta.sku());
            Optional<LevelChange> level = delta.level();
            boolean alternativesBought = delta.lostDemand().stream().anyMatch(d -> d.alternativesBought() > 0);
            out.writeByte((level.isEmpty() ? 0 : LEVEL | (level.get().deleted() ? DELETED : 0))
                    | (delta.attributes().isPresent() ? ATTRIBUTES : 0) | (delta.lostDemand().isEmpty() ? 0 : LOST_DEMAND)
                    | (alternativesBought ? ALTERNATIVES_BOUGHT : 0));
            if (level.isPresent()) {
                LevelChange l = level.get();
                writeSigned(out, l.available());
                writeSigned(out, l.reserved());
                writeSigned(out, l.sold());
                writeUnsigned(out, l.version());
                writeSigned(out, l.atMillis());
            }
            if (delta.attributes().isPresent()) {
                writeString(out, delta.attributes().get().category());
                writeString(out, delta.attributes().get().size());
            }
            if (!delta.lostDemand().isEmpty()) {
                writeUnsigned(out, delta.lostDemand().size());
                for (LostDemand d : delta.lostDemand()) {
                    writeSigned(out, d.day().toEpochDay());
                    writeString(out, d.storeId());
                    writeUnsigned(out, d.refusedUnits());
                    writeUnsigned(out, d.refusals());
                    writeUnsigned(out, d.offered());
                    if (alternativesBought) {
                        writeUnsigned(out, d.alternativesBought());
                    }
                }
            }
            List<List<SaleLine>> groups = groups(delta.sales());
            writeUnsigned(out, groups.size());
            for (List<SaleLine> group : groups) {
                SaleLine first = group.getFirst();
                writeSigned(out, first.day().toEpochDay());
                writeString(out, first.storeId());
                out.write(first.currency().getBytes(StandardCharsets.US_ASCII));
                writeUnsigned(out, group.size());
                for (SaleLine s : group) {
                    writePurchaseId(out, s.purchaseId(), (s.basketStart() ? BASKET_START : 0)
                            | s.visit().ordinal() << VISIT_SHIFT);
                    writeSigned(out, s.qty());
                    BigInteger unscaled = s.amount().unscaledValue();
                    if (unscaled.bitLength() > 63) {
                        throw new IllegalArgumentException("amount " + s.amount() + " of purchase " + s.purchaseId()
                                + " has more than 63 bits of unscaled value");
                    }
                    writeSigned(out, unscaled.longValueExact());
                    writeSigned(out, s.amount().scale());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return bytes.toByteArray();
    }

    public static SkuDelta decode(byte[] data) {
        Objects.requireNonNull(data, "data");
        Reader in = new Reader(data);
        int version = in.u8("format version");
        if (version != FORMAT_VERSION && version != FORMAT_VERSION_1) {
            throw new IllegalArgumentException("unsupported central record format version " + version
                    + " (this reader knows " + FORMAT_VERSION_1 + " and " + FORMAT_VERSION + ")");
        }
        String region = in.string("region");
        String sku = in.string("sku");
        int flags = in.u8("flags");
        int known = version == FORMAT_VERSION ? LEVEL | DELETED | ATTRIBUTES | LOST_DEMAND | ALTERNATIVES_BOUGHT
                : LEVEL | DELETED;
        if ((flags & ~known) != 0 || (flags & (LEVEL | DELETED)) == DELETED
                || (flags & (LOST_DEMAND | ALTERNATIVES_BOUGHT)) == ALTERNATIVES_BOUGHT) {
            throw new IllegalArgumentException("corrupt central record: unknown flags 0x" + Integer.toHexString(flags));
        }
        Optional<LevelChange> level = Optional.empty();
        if ((flags & LEVEL) != 0) {
            long available = in.signed("available");
            long reserved = in.signed("reserved");
            long sold = in.signed("sold");
            long itemVersion = in.unsigned("version");
            long at = in.signed("atMillis");
            level = Optional.of(new LevelChange(sku, available, reserved, sold, itemVersion, at, (flags & DELETED) != 0));
        }
        Optional<SkuDelta.Attributes> attributes = Optional.empty();
        if ((flags & ATTRIBUTES) != 0) {
            attributes = Optional.of(new SkuDelta.Attributes(in.string("category"), in.string("size")));
        }
        List<LostDemand> lost = new ArrayList<>();
        if ((flags & LOST_DEMAND) != 0) {
            long n = in.count("lost demand entries");
            if (n == 0) {
                throw new IllegalArgumentException("corrupt central record: lost demand flagged with no entry");
            }
            for (long i = 0; i < n; i++) {
                LocalDate day = in.day();
                String store = in.string("lost demand storeId");
                long units = in.unsigned("refused units");
                long refusals = in.unsigned("refusals");
                long offered = in.unsigned("offered");
                long bought = (flags & ALTERNATIVES_BOUGHT) != 0 ? in.unsigned("alternatives bought") : 0;
                try {
                    lost.add(new LostDemand(day, store, units, refusals, offered, bought));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("corrupt central record: " + e.getMessage(), e);
                }
            }
        }
        long groupCount = in.count("sale groups");
        List<SaleLine> sales = new ArrayList<>();
        for (long g = 0; g < groupCount; g++) {
            LocalDate day = in.day();
            String store = in.string("storeId");
            String currency = in.currency();
            long entries = in.count("sale entries");
            if (entries == 0) {
                throw new IllegalArgumentException("corrupt central record: empty sale group");
            }
            for (long e = 0; e < entries; e++) {
                int entry = in.u8("entry byte");
                if (version == FORMAT_VERSION_1 ? entry > 1 : (entry & ~0x1F) != 0) {
                    throw new IllegalArgumentException("corrupt central record: unknown purchase id kind or entry bits 0x"
                            + Integer.toHexString(entry));
                }
                String purchaseId = in.purchaseId(entry & 3);
                boolean basketStart = (entry & BASKET_START) != 0;
                Visit visit = Visit.values()[(entry >> VISIT_SHIFT) & 3];
                long qty = in.signed("qty");
                long unscaled = in.signed("amount");
                long scale = in.signed("scale");
                if (scale < Integer.MIN_VALUE || scale > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("corrupt central record: amount scale " + scale);
                }
                sales.add(new SaleLine(purchaseId, day, store, qty, BigDecimal.valueOf(unscaled, (int) scale), currency,
                        basketStart, visit));
            }
        }
        if (in.remaining() != 0) {
            throw new IllegalArgumentException("corrupt central record: " + in.remaining() + " trailing bytes");
        }
        return new SkuDelta(region, sku, level, sales, attributes, lost);
    }

    private static List<List<SaleLine>> groups(List<SaleLine> sales) {
        List<List<SaleLine>> groups = new ArrayList<>();
        for (SaleLine s : sales) {
            List<SaleLine> last = groups.isEmpty() ? null : groups.getLast();
            if (last != null && sameGroup(last.getFirst(), s)) {
                last.add(s);
            } else {
                List<SaleLine> group = new ArrayList<>();
                group.add(s);
                groups.add(group);
            }
        }
        return groups;
    }

    private static boolean sameGroup(SaleLine a, SaleLine b) {
        return a.day().equals(b.day()) && a.storeId().equals(b.storeId()) && a.currency().equals(b.currency());
    }

    /** @param bits the entry byte's other bits (basket start, visit) */
    private static void writePurchaseId(DataOutputStream out, String id, int bits) throws IOException {
        // Only the canonical lower-case form, so that decoding gives the very same string back.
        if (id.length() == 36 && CANONICAL_UUID.matcher(id).matches()) {
            UUID uuid = UUID.fromString(id);
            out.writeByte(ID_UUID | bits);
            out.writeLong(uuid.getMostSignificantBits());
            out.writeLong(uuid.getLeastSignificantBits());
        } else {
            out.writeByte(ID_TEXT | bits);
            writeString(out, id);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        writeUnsigned(out, utf8.length);
        out.write(utf8);
    }

    private static void writeSigned(DataOutputStream out, long v) throws IOException {
        writeUnsigned(out, (v << 1) ^ (v >> 63));
    }

    private static void writeUnsigned(DataOutputStream out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    /** Bounds-checked reading of one record. */
    private static final class Reader {
        private final byte[] data;
        private int pos;

        Reader(byte[] data) {
            this.data = data;
        }

        int remaining() {
            return data.length - pos;
        }

        int u8(String what) {
            need(1, what);
            return data[pos++] & 0xFF;
        }

        long unsigned(String what) {
            long result = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                int b = u8(what);
                if (shift == 63 && (b & 0x7E) != 0) {
                    throw new IllegalArgumentException("corrupt central record: varint " + what + " overflows 64 bits");
                }
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("corrupt central record: varint " + what + " longer than 10 bytes");
        }

        long signed(String what) {
            long raw = unsigned(what);
            return (raw >>> 1) ^ -(raw & 1);
        }

        /** A count of items that each take at least one byte, so it can never exceed what is left. */
        long count(String what) {
            long n = unsigned(what);
            if (n < 0 || n > remaining()) {
                throw new IllegalArgumentException("corrupt central record: " + what + " count " + Long.toUnsignedString(n)
                        + " exceeds the " + remaining() + " bytes left");
            }
            return n;
        }

        String string(String what) {
            long length = unsigned(what + " length");
            if (length < 0 || length > remaining()) {
                throw new IllegalArgumentException("corrupt central record: truncated " + what + " (length "
                        + Long.toUnsignedString(length) + ", " + remaining() + " bytes left)");
            }
            int n = (int) length;
            try {
                CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(data, pos, n));
                pos += n;
                return chars.toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("corrupt central record: " + what + " is not valid UTF-8", e);
            }
        }

        String currency() {
            need(3, "currency");
            for (int i = 0; i < 3; i++) {
                byte b = data[pos + i];
                if (b < 'A' || b > 'Z') {
                    throw new IllegalArgumentException("corrupt central record: currency is not three letters A-Z");
                }
            }
            String c = new String(data, pos, 3, StandardCharsets.US_ASCII);
            pos += 3;
            return c;
        }

        LocalDate day() {
            long epochDay = signed("day");
            try {
                return LocalDate.ofEpochDay(epochDay);
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException("corrupt central record: epoch day " + epochDay + " out of range", e);
            }
        }

        String purchaseId(int kind) {
            return switch (kind) {
                case ID_UUID -> {
                    need(16, "purchase id");
                    ByteBuffer b = ByteBuffer.wrap(data, pos, 16);
                    pos += 16;
                    yield new UUID(b.getLong(), b.getLong()).toString();
                }
                case ID_TEXT -> string("purchase id");
                default -> throw new IllegalArgumentException("corrupt central record: unknown purchase id kind " + kind);
            };
        }

        private void need(int n, String what) {
            if (remaining() < n) {
                throw new IllegalArgumentException("corrupt central record: truncated at byte " + pos + " reading " + what);
            }
        }
    }
}
