package com.edgeinventory.central.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.central.service.ChangeRecord.Num;
import com.edgeinventory.model.central.LevelChange;
import com.edgeinventory.model.central.LostDemand;
import com.edgeinventory.model.central.SaleLine;
import com.edgeinventory.model.central.SkuDelta;
import com.edgeinventory.model.central.Visit;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamChangesTest {

    static final String SKU = "TR-RUN-42-BLU";

    static ChangeRecord product(String seq, String event, long available, long version) {
        Map<String, Object> image = new HashMap<>(Map.of("pk", "SKU#" + SKU, "sk", "PRODUCT", "sku", SKU,
                "available", new Num(Long.toString(available)), "reserved", new Num("0"), "sold", new Num("1"),
                "version", new Num(Long.toString(version)), "updatedAt", "2026-11-27T08:00:00Z",
                "name", "Trail Runner", "description", "secret text"));
        return new ChangeRecord(seq, event, Map.of("pk", "SKU#" + SKU, "sk", "PRODUCT"), image, 0);
    }

    static ChangeRecord purchase(String seq, String id, String store, String at, List<Object> lines) {
        Map<String, Object> image = Map.of("purchaseId", id, "storeId", store, "purchasedAt", at,
                "customerId", "CUST-1", "lines", lines);
        return new ChangeRecord(seq, "INSERT", Map.of("purchaseId", id), image, 0);
    }

    static Map<String, Object> line(String sku, long qty, String price) {
        return Map.of("sku", sku, "qty", new Num(Long.toString(qty)), "unitPrice", price, "currency", "EUR",
                "name", "Trail Runner");
    }

    static ChangeRecord shard(String seq, String sku, int shard, long available, String updatedAt) {
        Map<String, Object> image = Map.of("pk", "SKU#" + sku, "sk", "STOCK#0" + shard, "sku", sku,
                "shard", new Num(Integer.toString(shard)), "available", new Num(Long.toString(available)),
                "reserved", new Num("0"), "sold", new Num("3"), "version", new Num("4"), "updatedAt", updatedAt);
        return new ChangeRecord(seq, "MODIFY", Map.of("pk", "SKU#" + sku, "sk", "STOCK#0" + shard), image, 0);
    }

    @Test
    void aShardedSkusShardAndProductRecordsAskForTheLevelFromTheTableAndKeepTheirSales() {
        Map<String, Object> hotProduct = new HashMap<>(Map.of("pk", "SKU#HOT-1", "sk", "PRODUCT", "sku", "HOT-1",
                "available", new Num("0"), "reserved", new Num("0"), "sold", new Num("0"), "version", new Num("2"),
                "stockShards", new Num("8"), "updatedAt", "2026-11-27T07:00:00Z"));
        List<ChangeRecord> records = List.of(
                shard("100", "HOT-1", 3, 40, "2026-11-27T08:00:00Z"),
                new ChangeRecord("150", "MODIFY", Map.of("pk", "SKU#HOT-1", "sk", "PRODUCT"), hotProduct, 0),
                shard("200", "HOT-1", 5, 39, "2026-11-27T08:00:01Z"),
                purchase("300", "p1", "S1", "2026-11-27T08:00:01Z", List.of(line("HOT-1", 1, "199.00"))),
                product("400", "MODIFY", 7, 3));

        StreamChanges.Result result = StreamChanges.coalesce("eu-west-1", records);

        StreamChanges.Forward hot = result.forwards().stream().filter(f -> f.delta().sku().equals("HOT-1"))
                .findFirst().orElseThrow();
        assertThat(hot.levelFromTable()).isTrue();
        assertThat(hot.delta().level()).as("no shard's own numbers cross").isEmpty();
        assertThat(hot.latestMillis()).isEqualTo(1_795_766_401_000L);
        assertThat(hot.delta().sales()).hasSize(1);
        assertThat(hot.sourceSequenceNumbers()).containsExactly("100", "150", "200", "300");
        StreamChanges.Forward plain = result.forwards().stream().filter(f -> f.delta().sku().equals(SKU))
                .findFirst().orElseThrow();
        assertThat(plain.levelFromTable()).isFalse();
        assertThat(plain.delta().level()).isPresent();
    }

    @Test
    void theLevelsReadForShardedSkusAreSentAndAFailedReadHoldsOnlyThatSkuBack() {
        StreamChanges.Result result = StreamChanges.coalesce("eu-west-1", List.of(
                shard("100", "HOT-1", 1, 40, "2026-11-27T08:00:00Z"),
                shard("200", "HOT-2", 1, 40, "2026-11-27T08:00:00Z"),
                product("300", "MODIFY", 7, 3)));
        LevelChange hot1 = new LevelChange("HOT-1", 300, 2, 98, 57, 1_795_766_400_000L, false);

        HotSkuLevels.Resolved resolved = HotSkuLevels.resolve(result.forwards(), (sku, at) -> {
            if (sku.equals("HOT-2")) {
                throw new IllegalStateException("throttled");
            }
            return java.util.Optional.of(new LevelChange(sku, 300, 2, 98, 57, at, false));
        }, line -> { });

        assertThat(resolved.ready()).extracting(f -> f.delta().sku()).containsExactly("HOT-1", SKU);
        assertThat(resolved.ready().getFirst().delta().level()).contains(hot1);
        assertThat(resolved.unreadable()).extracting(f -> f.sourceSequenceNumbers()).containsExactly(List.of("200"));
    }

    @Test
    void theNewestVersionWinsAndIgnoredRecordsGiveNothing() {
        Map<String, Object> imageOnly = Map.of("pk", "SKU#IMG-ONLY", "sk", "PRODUCT", "sku", "IMG-ONLY",
                "version", new Num("1"));
        List<ChangeRecord> records = List.of(
                product("300", "MODIFY", 7, 3),
                product("100", "INSERT", 10, 1),
                product("200", "MODIFY", 8, 2),
                new ChangeRecord("400", "MODIFY", Map.of("pk", "SKU#" + SKU, "sk", "ADJ#WH#b1#000001"),
                        Map.of("delta", new Num("5")), 0),
                new ChangeRecord("500", "REMOVE", Map.of("pk", "SKU#" + SKU, "sk", "PRODUCT"), null, 0),
                new ChangeRecord("600", "INSERT", Map.of("pk", "SKU#IMG-ONLY", "sk", "PRODUCT"), imageOnly, 0),
                new ChangeRecord("700", "MODIFY", Map.of("purchaseId", "p9"), Map.of("purchaseId", "p9"), 0));

        StreamChanges.Result result = StreamChanges.coalesce("eu-west-1", records);

        assertThat(result.malformed()).isEmpty();
        assertThat(result.forwards()).hasSize(1);
        assertThat(result.forwards().getFirst().delta().level()).contains(
                new LevelChange(SKU, 7, 0, 1, 3, 1_795_766_400_000L, false));
        assertThat(result.forwards().getFirst().sourceSequenceNumbers()).containsExactly("100", "200", "300");
    }

    @Test
    void salesAreSummedPerPurchaseAndKeyAndKeepTheirIds() {
        String at = "2026-11-27T23:30:00Z";
        List<ChangeRecord> records = List.of(
                purchase("1", "p1", "S1", at, List.of(line(SKU, 2, "89.90"), line(SKU, 1, "89.90"), line("B", 1, "5"))),
                purchase("2", "p2", "S1", "2026-11-28T00:30:00Z", List.of(line(SKU, 1, "89.90"))));

        StreamChanges.Result result = StreamChanges.coalesce("eu-west-1", records);

        assertThat(result.forwards()).hasSize(2);
        assertThat(result.forwards().getFirst().delta().sales()).containsExactly(
                new SaleLine("p1", LocalDate.of(2026, 11, 27), "S1", 3, new BigDecimal("269.70"), "EUR", true,
                        Visit.UNKNOWN),
                new SaleLine("p2", LocalDate.of(2026, 11, 28), "S1", 1, new BigDecimal("89.90"), "EUR", true,
                        Visit.UNKNOWN));
        assertThat(result.forwards().get(1).delta().sales()).extracting(SaleLine::basketStart)
                .as("p1's basket is counted on its first line only").containsExactly(false);
        assertThat(result.forwards().getFirst().sourceSequenceNumbers()).containsExactly("1", "2");
        assertThat(result.forwards().toString()).doesNotContain("CUST-1", "Trail Runner", "secret text");
    }

    static ChangeRecord demand(String seq, String sku, String day, String store, long units, long refusals,
                               long offered) {
        Map<String, Object> image = Map.of("pk", "SKU#" + sku, "sk", "DEMAND#" + day + "#" + store, "sku", sku,
                "day", day, "storeId", store, "refusedUnits", new Num(Long.toString(units)),
                "refusals", new Num(Long.toString(refusals)), "offered", new Num(Long.toString(offered)));
        return new ChangeRecord(seq, "MODIFY", Map.of("pk", "SKU#" + sku, "sk", "DEMAND#" + day + "#" + store), image, 0);
    }

    @Test
    void lostDemandCountersCrossAsTheyStandTheNewestOfTheBatchPerDayAndStore() {
        List<ChangeRecord> records = List.of(
                demand("1", SKU, "2026-11-27", "S1", 2, 1, 1),
                demand("2", SKU, "2026-11-27", "S1", 5, 2, 1),
                demand("3", SKU, "2026-11-27", "S2", 1, 1, 0),
                demand("4", "B", "2026-11-28", "S1", 3, 1, 0));

        StreamChanges.Result result = StreamChanges.coalesce("eu-west-1", records);

        assertThat(result.malformed()).isEmpty();
        assertThat(result.forwards().getFirst().delta().lostDemand()).containsExactly(
                new LostDemand(LocalDate.of(2026, 11, 27), "S1", 5, 2, 1),
                new LostDemand(LocalDate.of(2026, 11, 27), "S2", 1, 1, 0));
        assertThat(result.forwards().getFirst().delta().sales()).isEmpty();
        assertThat(result.forwards().get(1).delta().lostDemand()).hasSize(1);

        Map<String, Object> bad = new HashMap<>(demand("5", SKU, "2026-11-27", "S1", 1, 1, 2).newImage());
        StreamChanges.Result refused = StreamChanges.coalesce("eu-west-1", List.of(new ChangeRecord("5", "MODIFY",
                Map.of("pk", "SKU#" + SKU, "sk", "DEMAND#2026-11-27#S1"), bad, 0),
                new ChangeRecord("6", "MODIFY", Map.of("pk", "SKU#" + SKU, "sk", "DEMAND#x#S1"),
                        Map.of("sku", SKU, "day", "x", "storeId", "S1", "refusedUnits", new Num("1"),
                                "refusals", new Num("1"), "offered", new Num("0")), 0)));
        assertThat(refused.malformed()).extracting(StreamChanges.Malformed::reason)
                .anyMatch(r -> r.contains("offered <= refusals")).anyMatch(r -> r.contains("has day 'x'"));
    }

    /**
     * Alternatives bought in the same cart ride on the refused sku's counter; a counter holding only them (its
     * refusal was the day before) crosses with zero refusals, and of a batch's records the largest counts cross.
     */
    @Test
    void alternativesBoughtCrossWithTheRefusalsAMissingCountIsZero() {
        Map<String, Object> onlyBought = Map.of("pk", "SKU#" + SKU, "sk", "DEMAND#2026-11-28#S1", "sku", SKU,
                "day", "2026-11-28", "storeId", "S1", "alternativesBought", new Num("2"));
        Map<String, Object> both = new HashMap<>(demand("2", SKU, "2026-11-27", "S1", 5, 2, 1).newImage());
        both.put("alternativesBought", new Num("1"));
        Map<String, Object> wrongType = new HashMap<>(both);
        wrongType.put("alternativesBought", "one");

        StreamChanges.Result result = StreamChanges.coalesce("eu-west-1", List.of(
                demand("1", SKU, "2026-11-27", "S1", 5, 2, 1),
                new ChangeRecord("2", "MODIFY", Map.of("pk", "SKU#" + SKU, "sk", "DEMAND#2026-11-27#S1"), both, 0),
                new ChangeRecord("3", "MODIFY", Map.of("pk", "SKU#" + SKU, "sk", "DEMAND#2026-11-28#S1"), onlyBought,
                        0),
                new ChangeRecord("4", "MODIFY", Map.of("pk", "SKU#" + SKU, "sk", "DEMAND#2026-11-27#S1"), wrongType,
                        0)));

        assertThat(result.forwards().getFirst().delta().lostDemand()).containsExactly(
                new LostDemand(LocalDate.of(2026, 11, 27), "S1", 5, 2, 1, 1),
                new LostDemand(LocalDate.of(2026, 11, 28), "S1", 0, 0, 0, 2));
        assertThat(result.malformed()).extracting(StreamChanges.Malformed::reason)
                .singleElement().asString().contains("alternativesBought");
    }

    @Test
    void theEdgeSaysWhoBoughtAndWhatKindSoldButNotWho() {
        Map<String, Object> shoe = new HashMap<>(line(SKU, 1, "89.90"));
        shoe.put("category", "running-shoes");
        shoe.put("size", "42");
        Map<String, Object> anonymousImage = Map.of("purchaseId", "p3", "storeId", "S1",
                "purchasedAt", "2026-11-27T10:00:00Z", "lines", List.of(shoe));
        List<ChangeRecord> records = List.of(
                purchase("1", "p1", "S1", "2026-11-27T09:00:00Z", List.of(shoe)),
                purchase("2", "p2", "S1", "2026-11-27T09:30:00Z", List.of(shoe)),
                new ChangeRecord("3", "INSERT", Map.of("purchaseId", "p3"), anonymousImage, 0));

        StreamChanges.Result coalesced = StreamChanges.coalesce("eu-west-1", records);
        StreamChanges.Result result = coalesced.withVisits(Map.of("p1", Visit.NEW, "p2", Visit.RETURNING));

        assertThat(coalesced.customers()).containsOnlyKeys("p1", "p2")
                .containsEntry("p1", new StreamChanges.Buyer("CUST-1", java.time.Instant.parse("2026-11-27T09:00:00Z")));
        SkuDelta delta = result.forwards().getFirst().delta();
        assertThat(delta.attributes()).contains(new SkuDelta.Attributes("running-shoes", "42"));
        assertThat(delta.sales()).extracting(l -> l.purchaseId() + " " + l.visit())
                .containsExactly("p1 NEW", "p2 RETURNING", "p3 ANONYMOUS");
        assertThat(coalesced.withVisits(Map.of()).forwards().getFirst().delta().sales()).extracting(SaleLine::visit)
                .as("a customer not looked up stays unknown").containsExactly(Visit.UNKNOWN, Visit.UNKNOWN,
                        Visit.ANONYMOUS);
        assertThat(result.forwards().toString()).doesNotContain("CUST-1");
    }

    @Test
    void malformedRecordsAreReportedOneByOne() {
        Map<String, Object> noSku = new HashMap<>(product("2", "INSERT", 1, 1).newImage());
        noSku.remove("sku");
        Map<String, Object> badNumber = new HashMap<>(product("3", "INSERT", 1, 1).newImage());
        badNumber.put("available", new Num("12x"));
        List<ChangeRecord> records = List.of(
                product("1", "INSERT", 10, 1),
                new ChangeRecord("2", "INSERT", Map.of("pk", "SKU#" + SKU, "sk", "PRODUCT"), noSku, 0),
                new ChangeRecord("3", "MODIFY", Map.of("pk", "SKU#" + SKU, "sk", "PRODUCT"), badNumber, 0),
                purchase("4", "p4", "S1", "2026-11-27T08:00:00Z", List.of()),
                purchase("5", "p5", "S1", "yesterday", List.of(line(SKU, 1, "1"))),
                purchase("6", "p6", "S1", "2026-11-27T08:00:00Z", List.of(line(SKU, 1, "1.x"))),
                new ChangeRecord("7", "INSERT", Map.of("customerId", "CUST-1"), Map.of("email", "a@b.c"), 0),
                purchase("8", "p8", "S1", "2026-11-27T08:00:00Z", List.of(line(SKU, 1, "2.50"))));

        StreamChanges.Result result = StreamChanges.coalesce("eu-west-1", records);

        assertThat(result.malformed()).extracting(StreamChanges.Malformed::sequenceNumber)
                .containsExactly("2", "3", "4", "5", "6", "7");
        assertThat(result.malformed().get(0).reason()).contains("'sku'");
        assertThat(result.malformed().get(1).reason()).contains("12x");
        assertThat(result.forwards()).hasSize(1);
        assertThat(result.forwards().getFirst().sourceSequenceNumbers()).containsExactly("1", "8");
        assertThat(result.forwards().getFirst().delta().sales()).extracting(SaleLine::purchaseId).containsExactly("p8");
    }
}
