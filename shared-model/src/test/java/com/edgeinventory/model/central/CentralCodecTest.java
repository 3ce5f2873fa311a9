package com.edgeinventory.model.central;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CentralCodecTest {

    static final LocalDate DAY = LocalDate.of(2026, 11, 27);

    static SkuDelta typical(int salesLines) {
        List<SaleLine> sales = new ArrayList<>();
        for (int i = 0; i < salesLines; i++) {
            sales.add(new SaleLine(UUID.randomUUID().toString(), DAY, "STORE-MUC-01", 1 + i % 3,
                    new BigDecimal("89.90").multiply(BigDecimal.valueOf(1 + i % 3)), "EUR"));
        }
        return new SkuDelta("eu-west-1", "TR-RUN-42-BLU",
                Optional.of(new LevelChange("TR-RUN-42-BLU", 120, 3, 17, 42, 1_795_766_400_000L, false)), sales);
    }

    @Test
    void aTypicalRecordRoundTripsAndIsSmall() {
        SkuDelta delta = typical(10);

        byte[] bytes = CentralCodec.encode(delta);

        assertThat(CentralCodec.decode(bytes)).isEqualTo(delta);
        assertThat(bytes[0]).isEqualTo((byte) CentralCodec.FORMAT_VERSION);
        assertThat(bytes.length).isLessThan(400);
        System.out.println("[central-codec] one level + 10 sales lines = " + bytes.length + " bytes");
    }

    @Test
    void levelOnlyAndSalesOnlyAndEmptyRoundTrip() {
        SkuDelta levelOnly = new SkuDelta("us-east-1", "A", Optional.of(new LevelChange("A", 0, 0, 0, 1, 0, true)), List.of());
        SkuDelta salesOnly = new SkuDelta("us-east-1", "A", Optional.empty(), typical(3).sales());
        SkuDelta empty = new SkuDelta("", "", Optional.empty(), List.of());
        for (SkuDelta d : List.of(levelOnly, salesOnly, empty)) {
            assertThat(CentralCodec.decode(CentralCodec.encode(d))).isEqualTo(d);
        }
    }

    @Test
    void purchaseIdsKeepTheirExactSpelling() {
        String upper = UUID.randomUUID().toString().toUpperCase();
        String lower = UUID.randomUUID().toString();
        String text = "sale-0001-ä";
        SkuDelta d = new SkuDelta("r", "S", Optional.empty(), List.of(
                new SaleLine(upper, DAY, "S1", 1, BigDecimal.ONE, "EUR"),
                new SaleLine(lower, DAY, "S1", 1, BigDecimal.ONE, "EUR"),
                new SaleLine(text, DAY, "S1", 1, BigDecimal.ONE, "EUR")));

        SkuDelta back = CentralCodec.decode(CentralCodec.encode(d));

        assertThat(back.sales()).extracting(SaleLine::purchaseId).containsExactly(upper, lower, text);
    }

    /** Property-style: many generated deltas, with edge values mixed in, survive a round trip unchanged. */
    @Test
    void generatedDeltasRoundTrip() {
        Random random = new Random(20261127);
        long[] edges = {0, 1, -1, 63, 64, -64, -65, 127, 128, 16_383, 16_384, Integer.MAX_VALUE, Integer.MIN_VALUE,
                Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1};
        for (int i = 0; i < 2_000; i++) {
            SkuDelta d = randomDelta(random, edges);
            byte[] bytes = CentralCodec.encode(d);
            assertThat(CentralCodec.decode(bytes)).as("delta %d: %s", i, d).isEqualTo(d);
        }
    }

    private static SkuDelta randomDelta(Random r, long[] edges) {
        String sku = randomString(r);
        Optional<LevelChange> level = r.nextBoolean() ? Optional.empty() : Optional.of(new LevelChange(sku,
                pick(r, edges), pick(r, edges), pick(r, edges), r.nextBoolean() ? r.nextLong() : pick(r, edges),
                pick(r, edges), r.nextBoolean()));
        List<SaleLine> sales = new ArrayList<>();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            String id = switch (r.nextInt(3)) {
                case 0 -> UUID.randomUUID().toString();
                case 1 -> UUID.randomUUID().toString().toUpperCase();
                default -> randomString(r);
            };
            LocalDate day = r.nextInt(5) == 0 ? LocalDate.ofEpochDay(r.nextBoolean() ? LocalDate.MIN.toEpochDay()
                    : LocalDate.MAX.toEpochDay()) : DAY.plusDays(r.nextInt(3));
            BigDecimal amount = BigDecimal.valueOf(pick(r, edges), r.nextInt(7) == 0 ? -r.nextInt(5) : r.nextInt(5));
            String currency = List.of("EUR", "USD", "JPY", "ZZZ").get(r.nextInt(4));
            sales.add(new SaleLine(id, day, r.nextBoolean() ? "STORE-1" : randomString(r), pick(r, edges), amount, currency,
                    r.nextBoolean(), Visit.values()[r.nextInt(Visit.values().length)]));
        }
        Optional<SkuDelta.Attributes> attributes = r.nextBoolean() ? Optional.empty()
                : Optional.of(new SkuDelta.Attributes(randomString(r), r.nextBoolean() ? "" : randomString(r)));
        List<LostDemand> lost = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            long refusals = r.nextInt(1000);
            lost.add(new LostDemand(DAY.plusDays(r.nextInt(3)), randomString(r), r.nextLong() >>> 1, refusals,
                    refusals == 0 ? 0 : r.nextLong(refusals + 1), r.nextInt(3) == 0 ? r.nextLong() >>> 1 : 0));
        }
        return new SkuDelta(randomString(r), sku, level, sales, attributes, lost);
    }

    private static long pick(Random r, long[] edges) {
        return r.nextBoolean() ? edges[r.nextInt(edges.length)] : r.nextLong() >> r.nextInt(64);
    }

    private static String randomString(Random r) {
        int length = r.nextInt(5) == 0 ? 200 + r.nextInt(100) : r.nextInt(20);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = r.nextInt(10);
            s.appendCodePoint(kind < 7 ? 'A' + r.nextInt(26) : kind < 9 ? 0xE4 + r.nextInt(0x500) : 0x1F600 + r.nextInt(50));
        }
        return s.toString();
    }

    @Test
    void basketsVisitsAndAttributesRideInBitsThatWereThere() {
        SkuDelta plain = typical(10);
        List<SaleLine> marked = new ArrayList<>();
        for (int i = 0; i < plain.sales().size(); i++) {
            SaleLine l = plain.sales().get(i);
            marked.add(new SaleLine(l.purchaseId(), l.day(), l.storeId(), l.qty(), l.amount(), l.currency(), i % 2 == 0,
                    Visit.values()[i % 4]));
        }
        SkuDelta rich = new SkuDelta(plain.region(), plain.sku(), plain.level(), marked,
                Optional.of(new SkuDelta.Attributes("running-shoes", "42")));

        byte[] bytes = CentralCodec.encode(rich);

        assertThat(CentralCodec.decode(bytes)).isEqualTo(rich);
        assertThat(bytes.length).as("the same lines, plus the category and size once")
                .isEqualTo(CentralCodec.encode(plain).length + 2 + "running-shoes".length() + "42".length());
    }

    /** A record written before version 2 (still on the stream, in an outbox or a DLQ at the upgrade) reads as before. */
    /**
     * Alternatives bought ride in flag bit 4 and one varint per lost-demand entry, only when an entry has some:
     * a record without them is byte for byte what the reader before them reads.
     */
    @Test
    void alternativesBoughtCostAByteOnlyWhenThere() {
        LostDemand without = new LostDemand(DAY, "STORE-1", 3, 2, 1);
        LostDemand with = new LostDemand(DAY, "STORE-1", 3, 2, 1, 2);
        byte[] plain = CentralCodec.encode(new SkuDelta("eu-west-1", "SKU-1", Optional.empty(), List.of(),
                Optional.empty(), List.of(without)));
        byte[] bought = CentralCodec.encode(new SkuDelta("eu-west-1", "SKU-1", Optional.empty(), List.of(),
                Optional.empty(), List.of(with)));

        assertThat(plain[1 + 1 + 9 + 1 + 5]).as("flags: lost demand only").isEqualTo((byte) 0x08);
        assertThat(bought[1 + 1 + 9 + 1 + 5]).as("flags: lost demand with alternatives").isEqualTo((byte) 0x18);
        assertThat(bought).hasSize(plain.length + 1);
        assertThat(CentralCodec.decode(bought).lostDemand()).containsExactly(with);
        assertThat(CentralCodec.decode(plain).lostDemand()).containsExactly(without);
    }

    @Test
    void aVersion1RecordStillReadsItsLinesAsUnmarked() {
        // v1, region "", sku "", no level, 1 group: day 0, store "", EUR, 1 entry: text id "p", qty 1, amount 1, scale 0
        byte[] v1 = HexFormat.of().parseHex("01" + "00" + "00" + "00" + "01" + "00" + "00" + "455552" + "01"
                + "01" + "0170" + "02" + "02" + "00");

        SkuDelta d = CentralCodec.decode(v1);

        assertThat(d.sales()).containsExactly(new SaleLine("p", LocalDate.ofEpochDay(0), "", 1, BigDecimal.ONE, "EUR",
                false, Visit.UNKNOWN));
        assertThat(d.attributes()).isEmpty();
    }

    @Test
    void amountsBeyond63BitsAreRefusedOnEncode() {
        BigDecimal huge = new BigDecimal(BigInteger.ONE.shiftLeft(63), 2);
        SkuDelta d = new SkuDelta("r", "S", Optional.empty(), List.of(new SaleLine("p", DAY, "S1", 1, huge, "EUR")));

        assertThatThrownBy(() -> CentralCodec.encode(d)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("63 bits");
    }

    static Stream<Arguments> corruptInputs() {
        byte[] good = CentralCodec.encode(typical(2));
        HexFormat hex = HexFormat.of();
        return Stream.of(
                Arguments.of("empty", new byte[0], "truncated"),
                Arguments.of("unknown version", withByte(good, 0, 3), "unsupported central record format version 3"),
                Arguments.of("v2 unknown flags", hex.parseHex("0200001000"), "unknown flags"),
                Arguments.of("v2 flag 0x20", hex.parseHex("0200002000"), "unknown flags"),
                Arguments.of("v2 unknown entry bits", hex.parseHex("0200000001" + "00" + "00" + "455552" + "01" + "20"),
                        "entry bits"),
                Arguments.of("v2 unknown id kind", hex.parseHex("0200000001" + "00" + "00" + "455552" + "01" + "02"),
                        "unknown purchase id kind 2"),
                Arguments.of("v2 truncated attributes", hex.parseHex("0200000403"), "truncated category"),
                Arguments.of("v1 with attributes", hex.parseHex("010000040000" + "00"), "unknown flags"),
                Arguments.of("v2 lost demand without an entry", hex.parseHex("020000" + "08" + "00"), "no entry"),
                Arguments.of("v2 lost demand offered above refusals",
                        hex.parseHex("020000" + "08" + "01" + "00" + "00" + "05" + "01" + "02" + "00"), "offered <= refusals"),
                Arguments.of("version zero", withByte(good, 0, 0), "unsupported"),
                Arguments.of("truncated by one", Arrays.copyOf(good, good.length - 1), "truncated"),
                Arguments.of("truncated in the header", Arrays.copyOf(good, 5), "truncated"),
                Arguments.of("trailing byte", Arrays.copyOf(good, good.length + 1), "1 trailing bytes"),
                Arguments.of("string longer than the record", hex.parseHex("0105"), "truncated region"),
                Arguments.of("unknown flags", hex.parseHex("0100000400"), "unknown flags"),
                Arguments.of("deleted without a level", hex.parseHex("0100000200"), "unknown flags"),
                Arguments.of("overlong varint", hex.parseHex("010000" + "01" + "ffffffffffffffffffff01"), "varint"),
                Arguments.of("varint over 64 bits", hex.parseHex("010000" + "01" + "ffffffffffffffffff7f"), "overflows"),
                Arguments.of("absurd group count", hex.parseHex("01000000ff01"), "exceeds"),
                Arguments.of("empty group", hex.parseHex("0100000001" + "00" + "00" + "455552" + "00"), "empty sale group"),
                Arguments.of("bad currency", hex.parseHex("0100000001" + "00" + "00" + "657572" + "01"), "currency"),
                Arguments.of("unknown id kind", hex.parseHex("0100000001" + "00" + "00" + "455552" + "01" + "07"), "id kind"),
                Arguments.of("bad UTF-8", hex.parseHex("0102c328" + "0000"), "UTF-8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptInputs")
    void corruptInputIsRefusedClearly(String name, byte[] bytes, String message) {
        assertThatThrownBy(() -> CentralCodec.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    private static byte[] withByte(byte[] bytes, int index, int value) {
        byte[] copy = bytes.clone();
        copy[index] = (byte) value;
        return copy;
    }
}
