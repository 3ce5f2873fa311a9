package com.edgeinventory.central.service;

import com.edgeinventory.central.service.ChangeRecord.Num;
import com.edgeinventory.model.central.LevelChange;
import com.edgeinventory.model.central.LostDemand;
import com.edgeinventory.model.central.SaleLine;
import com.edgeinventory.model.central.SkuDelta;
import com.edgeinventory.model.central.Visit;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Maps a batch of inventory-table and purchases-table stream records to one {@link SkuDelta} per sku: what the
 * central region needs and nothing more. Pure.
 *
 * <ul>
 *   <li>Inventory product items ({@code sk = PRODUCT}, INSERT or MODIFY, with {@code available}) give a
 *       {@link LevelChange}; of several in a batch, the highest item version wins. REMOVE events, ledger items
 *       ({@code sk = ADJ#...}) and image-only items (no {@code available}) are ignored.</li>
 *   <li>A hot sku's stock is spread over shard items ({@code sk = STOCK#..}; its product item has
 *       {@code stockShards} &gt; 1 and no levels of its own): a change of any of them marks the sku's
 *       {@link Forward#levelFromTable()}, and the level is the sum the forwarder reads ({@link HotSkuLevels}), so
 *       central sees one sku.</li>
 *   <li>Lost-demand counters ({@code sk = DEMAND#{day}#{store}}) cross as they stand (refused units, refusals,
 *       refusals offering an alternative, alternatives bought in the same cart; a missing one is 0): they only
 *       grow, so central keeps the largest.</li>
 *   <li>Purchase INSERTs give one {@link SaleLine} per sku line (amount = unit price x qty, day = purchasedAt in
 *       UTC). Lines of one purchase, sku, day, store and currency are summed. The purchase id is kept: it is the
 *       identity the central aggregator deduplicates by. MODIFY and REMOVE are ignored.</li>
 *   <li>A purchase's first line starts its basket ({@link SaleLine#basketStart()}), which says who bought:
 *       anonymous, or (once the edge has looked the customer up, {@link Result#withVisits}) new or returning. The
 *       lines' category and size become the sku's {@link SkuDelta.Attributes}.</li>
 *   <li>Only sku, levels, version, time, store, day, qty, amount, currency, category, size and purchase id are
 *       forwarded; the customer id is read only to look up the visit at the edge ({@link Result#customers}) and
 *       names, descriptions, images and everything else never leave this class.</li>
 *   <li>A record that cannot be read is reported alone as {@link Malformed}; the rest of the batch goes on.</li>
 * </ul>
 * Table is told apart by key shape: {@code pk}/{@code sk} is the inventory table, {@code purchaseId} the
 * purchases table.
 */
public final class StreamChanges {

    private static final String PRODUCT_SK = "PRODUCT";
    private static final String STOCK_SK = "STOCK#";
    private static final String DEMAND_SK = "DEMAND#";
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    /**
     * A delta and the stream records it was built from, in sequence order.
     *
     * @param levelFromTable the sku is sharded: its level is the sum over its shard items, read from the table
     *                       (the delta's level is empty until then)
     * @param latestMillis   the latest change time among the sku's inventory records (the level's time)
     */
    public record Forward(SkuDelta delta, List<String> sourceSequenceNumbers, boolean levelFromTable,
                          long latestMillis) {
        public Forward {
            sourceSequenceNumbers = List.copyOf(sourceSequenceNumbers);
        }

        public Forward(SkuDelta delta, List<String> sourceSequenceNumbers) {
            this(delta, sourceSequenceNumbers, false, 0);
        }

        /** The same, with the level read from the table. */
        public Forward withLevel(LevelChange level) {
            return new Forward(new SkuDelta(delta.region(), delta.sku(), java.util.Optional.of(level), delta.sales(),
                    delta.attributes(), delta.lostDemand()), sourceSequenceNumbers, false, latestMillis);
        }
    }

    public record Malformed(String sequenceNumber, String reason) {}

    /** The known customer of a purchase, and when it was made: for the edge's lookup only, never forwarded. */
    public record Buyer(String customerId, Instant purchasedAt) {}

    /**
     * @param customers purchase id -> its buyer, for the purchases whose customer is known: read here so that the
     *                  edge can tell a new customer from a returning one ({@link #withVisits}); never forwarded
     */
    public record Result(List<Forward> forwards, List<Malformed> malformed, Map<String, Buyer> customers) {
        public Result {
            forwards = List.copyOf(forwards);
            malformed = List.copyOf(malformed);
            // In stream order: the edge looks them up in this order, so a customer's earlier purchase is the new one.
            customers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(customers));
        }

        public Result(List<Forward> forwards, List<Malformed> malformed) {
            this(forwards, malformed, Map.of());
        }

        /**
         * The same forwards with each basket's first line telling who bought: {@code visits} by purchase id for the
         * purchases with a customer (a purchase left out stays {@link Visit#UNKNOWN}), anonymous ones as they are.
         */
        public Result withVisits(Map<String, Visit> visits) {
            List<Forward> marked = forwards.stream().map(f -> {
                List<SaleLine> sales = f.delta().sales().stream()
                        .map(l -> l.basketStart() && customers.containsKey(l.purchaseId())
                                ? l.withVisit(visits.getOrDefault(l.purchaseId(), Visit.UNKNOWN)) : l)
                        .toList();
                SkuDelta d = f.delta();
                return new Forward(new SkuDelta(d.region(), d.sku(), d.level(), sales, d.attributes(), d.lostDemand()),
                        f.sourceSequenceNumbers(), f.levelFromTable(), f.latestMillis());
            }).toList();
            return new Result(marked, malformed, customers);
        }
    }

    /** Orders DynamoDB stream sequence numbers (decimal strings of varying length) numerically. */
    public static final Comparator<String> SEQUENCE_ORDER = Comparator.comparing(StreamChanges::sequenceValue);

    private StreamChanges() {}

    public static Result coalesce(String region, List<ChangeRecord> records) {
        Objects.requireNonNull(region, "region");
        Map<String, Accumulator> bySku = new LinkedHashMap<>();
        List<Malformed> malformed = new ArrayList<>();
        Map<String, Buyer> customers = new LinkedHashMap<>();
        List<ChangeRecord> ordered = new ArrayList<>(records);
        ordered.sort(Comparator.comparing(ChangeRecord::sequenceNumber, SEQUENCE_ORDER));
        for (ChangeRecord record : ordered) {
            try {
                apply(record, bySku, customers);
            } catch (MalformedRecordException | ArithmeticException | DateTimeParseException e) {
                malformed.add(new Malformed(record.sequenceNumber(), e.getMessage()));
            }
        }
        List<Forward> forwards = new ArrayList<>();
        bySku.forEach((sku, acc) -> forwards.add(acc.toForward(region, sku)));
        return new Result(forwards, malformed, customers);
    }

    private static void apply(ChangeRecord r, Map<String, Accumulator> bySku, Map<String, Buyer> customers) {
        Map<String, Object> keys = r.keys() == null ? Map.of() : r.keys();
        if (keys.containsKey("pk") && keys.containsKey("sk")) {
            inventory(r, keys, bySku);
        } else if (keys.containsKey("purchaseId")) {
            purchase(r, bySku, customers);
        } else {
            throw new MalformedRecordException("keys " + keys.keySet() + " are neither an inventory nor a purchase key");
        }
    }

    private static void inventory(ChangeRecord r, Map<String, Object> keys, Map<String, Accumulator> bySku) {
        if (keys.get("sk") instanceof String sk && sk.startsWith(DEMAND_SK)) {
            if (!"REMOVE".equals(r.eventName())) {
                demand(r, keys, bySku);
            }
            return;
        }
        boolean shard = keys.get("sk") instanceof String sk && sk.startsWith(STOCK_SK);
        if (!(PRODUCT_SK.equals(keys.get("sk")) || shard) || "REMOVE".equals(r.eventName())) {
            return; // ledger entries and removals are not what the central region needs
        }
        Map<String, Object> image = requireImage(r);
        if (!image.containsKey("available")) {
            return; // images only, no product yet
        }
        String sku = string(image, "sku");
        if (!("SKU#" + sku).equals(keys.get("pk"))) {
            throw new MalformedRecordException("product item sku '" + sku + "' does not match its key " + keys.get("pk"));
        }
        long at = image.containsKey("updatedAt") ? instant(string(image, "updatedAt"), "updatedAt").toEpochMilli()
                : r.approximateMillis();
        if (shard || (image.get("stockShards") instanceof Num shards && !"1".equals(shards.text()))) {
            Accumulator acc = bySku.computeIfAbsent(sku, k -> new Accumulator());
            acc.sources.add(r.sequenceNumber());
            acc.levelFromTable = true;
            acc.latestMillis = Math.max(acc.latestMillis, at);
            return;
        }
        boolean deleted = image.get("deleted") instanceof Boolean b && b;
        LevelChange level = new LevelChange(sku, number(image, "available"), number(image, "reserved"),
                number(image, "sold"), number(image, "version"), at, deleted);
        Accumulator acc = bySku.computeIfAbsent(sku, k -> new Accumulator());
        acc.sources.add(r.sequenceNumber());
        if (acc.level == null || level.version() >= acc.level.version()) {
            acc.level = level;
        }
    }

    /** A store's lost-demand counter of a day: the newest counts (they only grow) cross as they stand. */
    private static void demand(ChangeRecord r, Map<String, Object> keys, Map<String, Accumulator> bySku) {
        Map<String, Object> image = requireImage(r);
        String sku = string(image, "sku");
        if (!("SKU#" + sku).equals(keys.get("pk"))) {
            throw new MalformedRecordException("demand item sku '" + sku + "' does not match its key " + keys.get("pk"));
        }
        String where = "lost demand of " + sku + " ";
        LocalDate day;
        try {
            day = LocalDate.parse(string(image, "day", where));
        } catch (DateTimeParseException e) {
            throw new MalformedRecordException(where + "has day '" + image.get("day") + "'");
        }
        LostDemand counters;
        try {
            // A counter may hold alternatives bought and no refusal yet (the refusal was the day before): a missing
            // count is 0, a count of another type is malformed.
            counters = new LostDemand(day, string(image, "storeId", where), count(image, "refusedUnits", where),
                    count(image, "refusals", where), count(image, "offered", where),
                    count(image, "alternativesBought", where));
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException(where + e.getMessage());
        }
        Accumulator acc = bySku.computeIfAbsent(sku, k -> new Accumulator());
        acc.sources.add(r.sequenceNumber());
        acc.lost.merge(day + "#" + counters.storeId(), counters, (a, b) -> new LostDemand(day, a.storeId(),
                Math.max(a.refusedUnits(), b.refusedUnits()), Math.max(a.refusals(), b.refusals()),
                Math.max(a.offered(), b.offered()), Math.max(a.alternativesBought(), b.alternativesBought())));
        // the newest counts of the batch: each only grows
    }

    private static void purchase(ChangeRecord r, Map<String, Accumulator> bySku, Map<String, Buyer> customers) {
        if (!"INSERT".equals(r.eventName())) {
            return; // purchases are immutable; a MODIFY or REMOVE is not a sale
        }
        Map<String, Object> image = requireImage(r);
        String purchaseId = string(image, "purchaseId");
        String store = string(image, "storeId");
        Instant purchasedAt = instant(string(image, "purchasedAt"), "purchasedAt");
        LocalDate day = LocalDate.ofInstant(purchasedAt, ZoneOffset.UTC);
        if (!(image.get("lines") instanceof List<?> lines) || lines.isEmpty()) {
            throw new MalformedRecordException("purchase " + purchaseId + " has no lines");
        }
        String customer = image.get("customerId") instanceof String c && !c.isEmpty() ? c : null;
        // Validate every line before recording any, so a bad line leaves no half-recorded purchase.
        List<SaleLine> sales = new ArrayList<>();
        List<String> skus = new ArrayList<>();
        List<SkuDelta.Attributes> kinds = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!(lines.get(i) instanceof Map<?, ?> raw)) {
                throw new MalformedRecordException("purchase " + purchaseId + " line " + i + " is not a map");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> line = (Map<String, Object>) raw;
            String where = "purchase " + purchaseId + " line " + i + " ";
            String sku = string(line, "sku", where);
            long qty = number(line, "qty", where);
            if (qty <= 0) {
                throw new MalformedRecordException(where + "has qty " + qty);
            }
            BigDecimal unitPrice = decimal(string(line, "unitPrice", where), where + "unitPrice");
            String currency = string(line, "currency", where);
            if (!CURRENCY.matcher(currency).matches()) {
                throw new MalformedRecordException(where + "has currency '" + currency + "'");
            }
            // The basket is counted on its first line; who bought is said there too (an anonymous one at once, a
            // known customer's after the edge has looked them up: Result.withVisits).
            sales.add(new SaleLine(purchaseId, day, store, qty, unitPrice.multiply(BigDecimal.valueOf(qty)), currency,
                    i == 0, i == 0 && customer == null ? Visit.ANONYMOUS : Visit.UNKNOWN));
            skus.add(sku);
            String category = line.get("category") instanceof String c ? c : null;
            String size = line.get("size") instanceof String z ? z : null;
            kinds.add(category == null && size == null ? null : new SkuDelta.Attributes(category, size));
        }
        if (customer != null) {
            customers.put(purchaseId, new Buyer(customer, purchasedAt));
        }
        for (int i = 0; i < sales.size(); i++) {
            Accumulator acc = bySku.computeIfAbsent(skus.get(i), k -> new Accumulator());
            if (acc.sources.isEmpty() || !acc.sources.getLast().equals(r.sequenceNumber())) {
                acc.sources.add(r.sequenceNumber());
            }
            acc.add(sales.get(i));
            if (kinds.get(i) != null) {
                acc.attributes = kinds.get(i);
            }
        }
    }

    private static final class Accumulator {
        final List<String> sources = new ArrayList<>();
        LevelChange level;
        boolean levelFromTable;
        long latestMillis;
        final Map<SaleKey, SaleLine> sales = new TreeMap<>();
        final Map<String, LostDemand> lost = new TreeMap<>();
        SkuDelta.Attributes attributes;

        void add(SaleLine s) {
            sales.merge(new SaleKey(s.day(), s.storeId(), s.currency(), s.purchaseId()), s, (a, b) ->
                    new SaleLine(a.purchaseId(), a.day(), a.storeId(), Math.addExact(a.qty(), b.qty()),
                            a.amount().add(b.amount()), a.currency(), a.basketStart() || b.basketStart(),
                            a.basketStart() ? a.visit() : b.visit()));
        }

        Forward toForward(String region, String sku) {
            return new Forward(new SkuDelta(region, sku, java.util.Optional.ofNullable(levelFromTable ? null : level),
                    List.copyOf(sales.values()), java.util.Optional.ofNullable(sales.isEmpty() ? null : attributes),
                    List.copyOf(lost.values())), sources, levelFromTable, latestMillis);
        }
    }

    /** Sales sort by (day, store, currency) first, so the codec writes each of those groups once. */
    private record SaleKey(LocalDate day, String store, String currency, String purchaseId)
            implements Comparable<SaleKey> {
        private static final Comparator<SaleKey> ORDER = Comparator.comparing(SaleKey::day)
                .thenComparing(SaleKey::store).thenComparing(SaleKey::currency).thenComparing(SaleKey::purchaseId);

        @Override
        public int compareTo(SaleKey o) {
            return ORDER.compare(this, o);
        }
    }

    // ------------------------------------------------------------------ attribute reading

    private static Map<String, Object> requireImage(ChangeRecord r) {
        if (r.newImage() == null || r.newImage().isEmpty()) {
            throw new MalformedRecordException(r.eventName() + " without a NewImage (is the stream NEW_AND_OLD_IMAGES?)");
        }
        return r.newImage();
    }

    private static String string(Map<String, Object> item, String name) {
        return string(item, name, "");
    }

    private static String string(Map<String, Object> item, String name, String where) {
        if (!(item.get(name) instanceof String s) || s.isEmpty()) {
            throw new MalformedRecordException(where + "attribute '" + name + "' is missing or not a non-empty string");
        }
        return s;
    }

    private static long number(Map<String, Object> item, String name) {
        return number(item, name, "");
    }

    /** A counter: 0 when absent. */
    private static long count(Map<String, Object> item, String name, String where) {
        return item.get(name) == null ? 0 : number(item, name, where);
    }

    private static long number(Map<String, Object> item, String name, String where) {
        if (!(item.get(name) instanceof Num n)) {
            throw new MalformedRecordException(where + "attribute '" + name + "' is missing or not a number");
        }
        try {
            return new BigDecimal(n.text()).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new MalformedRecordException(where + "attribute '" + name + "' = '" + n.text()
                    + "' is not a whole number in range", e);
        }
    }

    private static BigDecimal decimal(String text, String what) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new MalformedRecordException(what + " '" + text + "' is not a decimal number", e);
        }
    }

    private static Instant instant(String text, String what) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new MalformedRecordException(what + " '" + text + "' is not an ISO-8601 instant", e);
        }
    }

    private static BigInteger sequenceValue(String sequenceNumber) {
        try {
            return new BigInteger(sequenceNumber);
        } catch (NumberFormatException | NullPointerException e) {
            return BigInteger.valueOf(Long.MAX_VALUE).shiftLeft(64); // unreadable ones sort last
        }
    }
}
