package com.edgeinventory.central.handler;

import com.edgeinventory.inventory.store.InventoryStore.AdjustmentResult;
import com.edgeinventory.inventory.store.InventoryTable;
import com.edgeinventory.model.AdjustmentReason;
import com.edgeinventory.model.Money;
import com.edgeinventory.model.Product;
import com.edgeinventory.model.Sequencer;
import com.edgeinventory.model.StockAdjustment;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The transfer benchmark's generated workload, written to the edge regions' real tables through the real item
 * layouts: products through {@link InventoryTable#upsertProduct}, warehouse lines through
 * {@link InventoryTable#applyAdjustment}, one-shot sales ({@link InventoryTable#sell} per line and the purchase item
 * in one TransactWriteItems) and cart checkouts (one {@link InventoryTable#reserve} transaction per added item, then
 * {@link InventoryTable#commitReserved} per line and the purchase item in one TransactWriteItems), plus a few
 * abandoned carts (reserve, then {@link InventoryTable#release}). Purchase items have the purchases table's layout
 * (retail-functions' {@code PurchasesTable}, as {@code InventoryStreamForwarderIT.purchase()} writes it): customer
 * and device ids included. Seeded: the same seed writes the same items.
 *
 * <p>Stock is tracked here (this is the only writer) and a line is only ever taken from stock that is there, so
 * nothing is refused; the tables' own conditions would throw if that ever went wrong.
 */
final class TransferWorkload {

    /** One edge region's tables. */
    record Edge(String region, String currency, String city, DynamoDbClient dynamo, InventoryTable inventory,
                String purchasesTable) {}

    /**
     * The sizes of a run.
     *
     * @param splitTransactions send each retail transaction's items as their own UpdateItem / PutItem requests
     *                          (same keys, expressions and conditions, so the same stream records) instead of one
     *                          TransactWriteItems: moto deep-copies every table a transaction touches, stream
     *                          included, which makes a long run quadratic in time and memory
     */
    record Config(int skus, int adjustments, int purchases, long seed, boolean splitTransactions) {}

    /** One line of a purchase as written: qty and unit price (amount = unit price x qty). */
    record Line(String sku, long qty, BigDecimal unitPrice, String currency) {
        BigDecimal amount() {
            return unitPrice.multiply(BigDecimal.valueOf(qty));
        }
    }

    /** A purchase as written to a purchases table. */
    record Purchase(String region, String purchaseId, String kind, String storeId, Instant at, List<Line> lines) {
        LocalDate day() {
            return LocalDate.ofInstant(at, ZoneOffset.UTC);
        }
    }

    /** What was written, for the report and for the expected central aggregates. */
    /** @param kinds sku -> {category, size}, as the purchase lines carry them */
    record Summary(int products, int adjustments, int purchases, int oneShotSales, int cartCheckouts,
                   int abandonedCarts, int lines, long units, Map<String, Integer> purchasesByRegion,
                   Instant first, Instant last, List<Purchase> written, Map<String, String[]> kinds) {

        String[] kindOf(String sku) {
            return kinds.get(sku);
        }
    }

    static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
    /** Mean seconds between two events: 1,100 events span about three days. */
    static final int MEAN_GAP_SECONDS = 240;
    static final double CART_SHARE = 0.25;
    static final double ABANDONED_PER_CART = 0.10;

    private static final String[][] STYLES = {
        {"TR-RUN", "Trail Runner", "running-shoes"}, {"RD-SPD", "Road Speed", "running-shoes"},
        {"HK-ALP", "Alpine Hiker", "hiking-boots"}, {"HK-MDW", "Meadow Walker", "hiking-boots"},
        {"TN-CRT", "Court Classic", "tennis-shoes"}, {"BK-PRO", "Pro Dunk", "basketball-shoes"},
        {"SN-URB", "Urban Sneaker", "sneakers"}, {"SN-RTR", "Retro Sneaker", "sneakers"},
        {"SD-BCH", "Beach Sandal", "sandals"}, {"FB-TRF", "Turf Striker", "football-boots"},
        {"WK-CTY", "City Walker", "walking-shoes"}, {"YG-FLX", "Flex Studio", "training-shoes"},
    };
    private static final String[][] COLORS = {
        {"BLU", "blue"}, {"RED", "red"}, {"BLK", "black"}, {"WHT", "white"}, {"GRN", "green"}, {"GRY", "grey"},
    };
    private static final String[] PHRASES = {
        "Lightweight upper with a breathable engineered mesh.", "Grippy rubber outsole for wet and dry ground.",
        "Cushioned midsole that returns energy on every stride.", "Padded collar and tongue for a secure fit.",
        "Reinforced toe cap against scuffs.", "Removable insole, machine washable at 30 degrees.",
        "Recycled materials in the upper and laces.", "Reflective details for early mornings and late evenings.",
        "Wide toe box for natural toe splay.", "Made for daily miles on road and light trail.",
    };

    private final Config config;
    private final Random random;
    private final List<Edge> edges;
    private final List<ProductDef> catalog = new ArrayList<>();

    /** The category and size of every sku of the catalogue, as its purchase lines carry them. */
    private Map<String, String[]> kinds() {
        Map<String, String[]> kinds = new java.util.HashMap<>();
        catalog.forEach(def -> kinds.put(def.sku(), new String[] {def.category(), def.size()}));
        return kinds;
    }
    /** Per region: sku -> {available, reserved, sold}, as this writer knows them. */
    private final Map<String, Map<String, long[]>> stock = new LinkedHashMap<>();
    /** Per region: sku popularity weights (a random permutation of a Zipf-like curve). */
    private final Map<String, double[]> popularity = new LinkedHashMap<>();
    private final List<Purchase> written = new ArrayList<>();
    private Instant clock = T0;
    private int adjustmentsWritten;
    private int oneShot;
    private int carts;
    private int abandoned;

    private record ProductDef(String sku, String name, String description, String category, BigDecimal eur,
                              String size, String color, String styleId) {}

    TransferWorkload(Config config, List<Edge> edges) {
        this.config = config;
        this.random = new Random(config.seed());
        this.edges = List.copyOf(edges);
    }

    /** Writes the whole workload; returns what was written. */
    Summary run() {
        buildCatalog();
        for (Edge edge : edges) {
            Map<String, long[]> levels = new LinkedHashMap<>();
            for (ProductDef p : catalog) {
                long initial = 60 + random.nextInt(121);
                edge.inventory().upsertProduct(new Product(p.sku(), p.name(), p.description(), p.category(),
                        new Money(price(p, edge), edge.currency()), p.size(), p.color(), initial,
                        warehouse(edge), p.styleId()), Sequencer.of("01"), tick(5));
                levels.put(p.sku(), new long[] {initial, 0, 0});
            }
            stock.put(edge.region(), levels);
            double[] weights = new double[catalog.size()];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = 1.0 / Math.pow(i + 1, 0.8);
            }
            shuffle(weights);
            popularity.put(edge.region(), weights);
        }
        // the timeline: purchases and adjustments split evenly over the regions, interleaved at random
        List<String> events = new ArrayList<>();
        for (int i = 0; i < config.purchases(); i++) {
            events.add("P" + edges.get(i % edges.size()).region());
        }
        for (int i = 0; i < config.adjustments(); i++) {
            events.add("A" + edges.get(i % edges.size()).region());
        }
        Collections.shuffle(events, random);
        Instant first = clock;
        for (String e : events) {
            Edge edge = edges.stream().filter(x -> x.region().equals(e.substring(1))).findFirst().orElseThrow();
            clock = clock.plusSeconds(1 + (long) (-Math.log(1 - random.nextDouble()) * MEAN_GAP_SECONDS));
            if (e.charAt(0) == 'A') {
                adjustment(edge);
            } else if (random.nextDouble() < CART_SHARE) {
                cartCheckout(edge);
                if (random.nextDouble() < ABANDONED_PER_CART) {
                    abandonedCart(edge);
                }
            } else {
                oneShotSale(edge);
            }
        }
        Map<String, Integer> byRegion = new TreeMap<>();
        written.forEach(p -> byRegion.merge(p.region(), 1, Integer::sum));
        int lines = written.stream().mapToInt(p -> p.lines().size()).sum();
        long units = written.stream().flatMap(p -> p.lines().stream()).mapToLong(Line::qty).sum();
        return new Summary(catalog.size() * edges.size(), adjustmentsWritten, written.size(), oneShot, carts,
                abandoned, lines, units, byRegion, first, clock, List.copyOf(written), kinds());
    }

    // ------------------------------------------------------------------ catalog

    private void buildCatalog() {
        List<String[]> combos = new ArrayList<>();
        for (String[] style : STYLES) {
            for (String[] color : COLORS) {
                for (int size = 38; size <= 46; size++) {
                    combos.add(new String[] {style[0], style[1], style[2], color[0], color[1], Integer.toString(size)});
                }
            }
        }
        Collections.shuffle(combos, random);
        for (String[] c : combos.subList(0, config.skus())) {
            StringBuilder description = new StringBuilder();
            int phrases = 2 + random.nextInt(3);
            for (int i = 0; i < phrases; i++) {
                description.append(i == 0 ? "" : " ").append(PHRASES[random.nextInt(PHRASES.length)]);
            }
            BigDecimal eur = BigDecimal.valueOf(1990 + random.nextInt(16000), 2)
                    .setScale(0, RoundingMode.DOWN).add(new BigDecimal("0.90"));
            catalog.add(new ProductDef(c[0] + "-" + c[5] + "-" + c[3], c[1] + " " + c[5], description.toString(),
                    c[2], eur, c[5], c[4], c[0]));
        }
    }

    private static BigDecimal price(ProductDef p, Edge edge) {
        return "EUR".equals(edge.currency()) ? p.eur()
                : p.eur().multiply(new BigDecimal("1.08")).setScale(0, RoundingMode.DOWN).add(new BigDecimal("0.99"));
    }

    private static String warehouse(Edge edge) {
        return "WH-" + edge.city() + "-1";
    }

    // ------------------------------------------------------------------ events

    private void adjustment(Edge edge) {
        Map<String, long[]> levels = stock.get(edge.region());
        ProductDef p = catalog.get(random.nextInt(catalog.size()));
        long available = levels.get(p.sku())[0];
        double r = random.nextDouble();
        AdjustmentReason reason;
        long delta;
        if (r < 0.70) {
            reason = AdjustmentReason.RESTOCK;
            delta = 10 + random.nextInt(31);
        } else if (r < 0.80) {
            reason = AdjustmentReason.RETURN;
            delta = 1 + random.nextInt(2);
        } else if (r < 0.95 && available >= 2) {
            reason = random.nextBoolean() ? AdjustmentReason.SHRINKAGE : AdjustmentReason.DAMAGE;
            delta = -(1 + random.nextInt(2));
        } else {
            reason = AdjustmentReason.CORRECTION;
            delta = available >= 3 && random.nextBoolean() ? -(1 + random.nextInt(3)) : 1 + random.nextInt(3);
        }
        adjustmentsWritten++;
        String batch = "b" + String.format("%04d", adjustmentsWritten);
        String wh = warehouse(edge);
        AdjustmentResult result = edge.inventory().applyAdjustment(wh, batch, "stock/" + wh + "/" + batch + ".jsonl",
                new StockAdjustment(1, p.sku(), delta, reason), clock);
        if (!(result instanceof AdjustmentResult.Applied)) {
            throw new IllegalStateException("adjustment " + batch + " of " + p.sku() + " not applied: " + result);
        }
        levels.get(p.sku())[0] += delta;
    }

    private void oneShotSale(Edge edge) {
        List<Line> lines = pickLines(edge);
        List<TransactWriteItem> items = new ArrayList<>();
        for (Line l : lines) {
            items.add(edge.inventory().sell(l.sku(), l.qty(), clock));
            long[] s = stock.get(edge.region()).get(l.sku());
            s[0] -= l.qty();
            s[2] += l.qty();
        }
        Purchase purchase = purchase(edge, "sale", lines);
        items.add(putPurchase(edge, purchase, null, null));
        commit(edge, items);
        written.add(purchase);
        oneShot++;
    }

    private void cartCheckout(Edge edge) {
        List<Line> lines = pickLines(edge);
        for (Line l : lines) { // one transaction per added item, as the retail path's add item
            commit(edge, List.of(edge.inventory().reserve(l.sku(), l.qty(), clock)));
            long[] s = stock.get(edge.region()).get(l.sku());
            s[0] -= l.qty();
            s[1] += l.qty();
            clock = clock.plusSeconds(5 + random.nextInt(40));
        }
        List<TransactWriteItem> items = new ArrayList<>();
        for (Line l : lines) {
            items.add(edge.inventory().commitReserved(l.sku(), l.qty(), clock));
            long[] s = stock.get(edge.region()).get(l.sku());
            s[1] -= l.qty();
            s[2] += l.qty();
        }
        Purchase purchase = purchase(edge, "checkout", lines);
        items.add(putPurchase(edge, purchase, uuid().toString(), "basket-" + String.format("%04d", carts + 1)));
        commit(edge, items);
        written.add(purchase);
        carts++;
    }

    private void abandonedCart(Edge edge) {
        Line l = pickLines(edge).getFirst();
        clock = clock.plusSeconds(20 + random.nextInt(100));
        commit(edge, List.of(edge.inventory().reserve(l.sku(), l.qty(), clock)));
        clock = clock.plusSeconds(300 + random.nextInt(600)); // the sweeper releases it
        commit(edge, List.of(edge.inventory().release(l.sku(), l.qty(), clock)));
        abandoned++;
    }

    /** 1–3 lines of distinct skus, by popularity, each only from stock that is available. */
    private List<Line> pickLines(Edge edge) {
        double r = random.nextDouble();
        int n = r < 0.60 ? 1 : r < 0.88 ? 2 : 3;
        Map<String, long[]> levels = stock.get(edge.region());
        double[] weights = popularity.get(edge.region());
        List<Line> lines = new ArrayList<>();
        for (int attempt = 0; lines.size() < n && attempt < 200; attempt++) {
            ProductDef p = catalog.get(weighted(weights));
            double q = random.nextDouble();
            long qty = q < 0.80 ? 1 : q < 0.95 ? 2 : 3;
            if (levels.get(p.sku())[0] < qty || lines.stream().anyMatch(l -> l.sku().equals(p.sku()))) {
                continue;
            }
            lines.add(new Line(p.sku(), qty, price(p, edge), edge.currency()));
        }
        if (lines.isEmpty()) {
            throw new IllegalStateException("no stock left in " + edge.region() + ": size the initial stock up");
        }
        return lines;
    }

    private Purchase purchase(Edge edge, String kind, List<Line> lines) {
        String store = "STORE-" + edge.city() + "-0" + (1 + random.nextInt(4));
        return new Purchase(edge.region(), uuid().toString(), kind, store, clock, List.copyOf(lines));
    }

    /** The purchases table's item layout (retail-functions' PurchasesTable.toItem). */
    private TransactWriteItem putPurchase(Edge edge, Purchase p, String txnId, String clientId) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("purchaseId", AttributeValue.fromS(p.purchaseId()));
        item.put("kind", AttributeValue.fromS(p.kind()));
        item.put("storeId", AttributeValue.fromS(p.storeId()));
        item.put("deviceId", AttributeValue.fromS(p.storeId() + "-TILL-" + (1 + random.nextInt(3))));
        if (clientId != null) {
            item.put("clientId", AttributeValue.fromS(clientId));
        }
        if (txnId != null) {
            item.put("txnId", AttributeValue.fromS(txnId));
        }
        if (random.nextDouble() < 0.6) { // loyalty customers
            item.put("customerId", AttributeValue.fromS("CUST-" + edge.city() + "-" + (10000 + random.nextInt(90000))));
        }
        List<AttributeValue> lines = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (Line l : p.lines()) {
            ProductDef def = catalog.stream().filter(c -> c.sku().equals(l.sku())).findFirst().orElseThrow();
            lines.add(AttributeValue.fromM(Map.of("sku", AttributeValue.fromS(l.sku()),
                    "qty", AttributeValue.fromN(Long.toString(l.qty())),
                    "unitPrice", AttributeValue.fromS(l.unitPrice().toPlainString()),
                    "currency", AttributeValue.fromS(l.currency()),
                    "name", AttributeValue.fromS(def.name()),
                    "category", AttributeValue.fromS(def.category()),
                    "size", AttributeValue.fromS(def.size()))));
            total = total.add(l.amount());
        }
        item.put("lines", AttributeValue.fromL(lines));
        item.put("total", AttributeValue.fromS(total.toPlainString()));
        item.put("currency", AttributeValue.fromS(edge.currency()));
        item.put("purchasedAt", AttributeValue.fromS(p.at().toString()));
        // The request that made it: the purchase is its idempotency record (a key and a hex SHA-256).
        item.put("idempotencyKey", AttributeValue.fromS("key-" + p.purchaseId().substring(0, 18)));
        String hex = p.purchaseId().replace("-", "");
        item.put("fingerprint", AttributeValue.fromS(hex + hex));
        return TransactWriteItem.builder().put(b -> b.tableName(edge.purchasesTable()).item(item)
                .conditionExpression("attribute_not_exists(purchaseId)")).build();
    }

    /** One TransactWriteItems, or (splitTransactions) the same writes one request each, in order. */
    private void commit(Edge edge, List<TransactWriteItem> items) {
        if (!config.splitTransactions()) {
            edge.dynamo().transactWriteItems(b -> b.transactItems(items));
            return;
        }
        for (TransactWriteItem item : items) {
            if (item.update() != null) {
                Update u = item.update();
                edge.dynamo().updateItem(b -> b.tableName(u.tableName()).key(u.key())
                        .updateExpression(u.updateExpression()).conditionExpression(u.conditionExpression())
                        .expressionAttributeNames(u.hasExpressionAttributeNames() ? u.expressionAttributeNames() : null)
                        .expressionAttributeValues(u.hasExpressionAttributeValues() ? u.expressionAttributeValues()
                                : null));
            } else if (item.put() != null) {
                Put p = item.put();
                edge.dynamo().putItem(b -> b.tableName(p.tableName()).item(p.item())
                        .conditionExpression(p.conditionExpression())
                        .expressionAttributeNames(p.hasExpressionAttributeNames() ? p.expressionAttributeNames() : null)
                        .expressionAttributeValues(p.hasExpressionAttributeValues() ? p.expressionAttributeValues()
                                : null));
            } else {
                throw new IllegalArgumentException("only updates and puts: " + item);
            }
        }
    }

    // ------------------------------------------------------------------ randomness

    private Instant tick(int maxSeconds) {
        clock = clock.plusSeconds(1 + random.nextInt(maxSeconds));
        return clock;
    }

    private int weighted(double[] weights) {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        double x = random.nextDouble() * sum;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private void shuffle(double[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** A random (version 4) UUID from the seeded generator. */
    private UUID uuid() {
        long msb = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lsb = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
