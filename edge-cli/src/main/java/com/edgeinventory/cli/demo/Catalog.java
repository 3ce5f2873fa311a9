package com.edgeinventory.cli.demo;

import com.edgeinventory.local.sample.Jpeg;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A generated warehouse catalog for one region, deterministic for a seed: products (valid {@code product.json} per
 * the upload contract), a JPEG image per product and restock files ({@code stock/{wh}/{batch}.jsonl}). The skus are
 * the same in every region for one seed, so the central totals per sku add up several regions; the stock, the
 * currency and the warehouse differ per region.
 */
public final class Catalog {

    /** The sku rule of the upload contract (shared-model {@code UploadKey.SKU}). */
    public static final Pattern SKU = Pattern.compile("[A-Z0-9][A-Z0-9-]{2,39}");
    public static final int IMAGE_SIZE = 256;

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Model(String code, String name, String category, String description, int basePrice) {
    }

    private static final List<Model> MODELS = List.of(
            new Model("TR", "Trail Runner", "running-shoes", "Lightweight trail running shoe with a grippy outsole.", 8990),
            new Model("RD", "Road Racer", "running-shoes", "Fast, cushioned road shoe for race day.", 11990),
            new Model("CT", "Court Pro", "tennis-shoes", "Stable tennis shoe with a durable toe cap.", 9490),
            new Model("HK", "Hiker Mid", "hiking-boots", "Waterproof mid-cut hiking boot.", 14990),
            new Model("TS", "Tech Tee", "t-shirts", "Breathable, quick-drying training shirt.", 2990),
            new Model("SH", "Stride Short", "shorts", "Running short with a zipped pocket.", 3490),
            new Model("JK", "Storm Jacket", "jackets", "Packable rain jacket with taped seams.", 12990),
            new Model("HD", "Warmup Hoodie", "hoodies", "Brushed fleece hoodie for cold mornings.", 5990),
            new Model("TG", "Motion Tights", "tights", "Compressive tights with reflective details.", 4990),
            new Model("CP", "Sun Cap", "caps", "Light running cap with a sweatband.", 1990));

    private static final List<String> SHOE_SIZES = List.of("38", "39", "40", "41", "42", "43", "44", "45", "46");
    private static final List<String> WEAR_SIZES = List.of("XS", "S", "M", "L", "XL", "XXL");
    private static final Map<String, String> COLORS = colors();

    /**
     * One product as uploaded: the fields of {@code product.json}.
     *
     * @param amount the price as a decimal string, e.g. {@code "89.90"}
     */
    public record Product(String sku, String name, String description, String category, String amount,
                          String currency, String size, String color, String styleId, int stock,
                          String warehouseId, int stockShards) {

        /** A product whose stock is one item (no {@code stockShards} in its product.json). */
        public Product(String sku, String name, String description, String category, String amount,
                       String currency, String size, String color, String styleId, int stock, String warehouseId) {
            this(sku, name, description, category, amount, currency, size, color, styleId, stock, warehouseId, 1);
        }

        /** {@code products/{sku}/product.json} */
        public String key() {
            return "products/" + sku + "/product.json";
        }

        /** {@code products/{sku}/images/front.jpg} */
        public String imageKey() {
            return "products/" + sku + "/images/front.jpg";
        }

        /** The {@code product.json} document, UTF-8. */
        public byte[] json() {
            ObjectNode node = JSON.createObjectNode();
            node.put("sku", sku);
            node.put("name", name);
            node.put("description", description);
            node.put("category", category);
            node.putObject("price").put("amount", amount).put("currency", currency);
            node.put("size", size);
            node.put("color", color);
            node.put("stock", stock);
            node.put("warehouseId", warehouseId);
            node.put("styleId", styleId);
            if (stockShards > 1) {
                node.put("stockShards", stockShards);
            }
            return node.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** One line of a stock file. */
    public record StockLine(String sku, int delta, String reason) {
    }

    /** A restock file, {@code stock/{warehouseId}/{batchId}.jsonl}. */
    public record RestockFile(String warehouseId, String batchId, List<StockLine> lines) {

        public RestockFile {
            lines = List.copyOf(lines);
        }

        public String key() {
            return "stock/" + warehouseId + "/" + batchId + ".jsonl";
        }

        /** One JSON object per line, UTF-8. */
        public byte[] jsonl() {
            StringBuilder text = new StringBuilder();
            for (StockLine line : lines) {
                ObjectNode node = JSON.createObjectNode();
                node.put("sku", line.sku()).put("delta", line.delta()).put("reason", line.reason());
                text.append(node).append('\n');
            }
            return text.toString().getBytes(StandardCharsets.UTF_8);
        }

        /** The units this file adds per sku. */
        public Map<String, Long> deltas() {
            Map<String, Long> deltas = new LinkedHashMap<>();
            lines.forEach(l -> deltas.merge(l.sku(), (long) l.delta(), Long::sum));
            return deltas;
        }
    }

    private final String region;
    private final long seed;
    private final List<Product> products;
    private final List<RestockFile> restocks;

    private Catalog(String region, long seed, List<Product> products, List<RestockFile> restocks) {
        this.region = region;
        this.seed = seed;
        this.products = List.copyOf(products);
        this.restocks = List.copyOf(restocks);
    }

    /**
     * The catalog of one region.
     *
     * @param count    how many products (sizes and colours of generated models), at least 1
     * @param restocks how many restock files, each of 1-5 lines
     */
    public static Catalog generate(String region, int count, int restocks, long seed) {
        if (count < 1 || count > 100_000) {
            throw new IllegalArgumentException("the product count must be 1..100000, got " + count);
        }
        if (restocks < 0) {
            throw new IllegalArgumentException("the restock file count must not be negative, got " + restocks);
        }
        String currency = currency(region);
        String warehouse = warehouseId(region);
        // The skus and their attributes depend on the seed only; stock and restocks on the seed and region.
        Random shared = new Random(seed);
        Random regional = new Random(seed * 1_000_003L + region.hashCode());
        List<String> colors = new ArrayList<>(COLORS.keySet());
        List<Product> products = new ArrayList<>(count);
        Set<String> skus = new HashSet<>();
        int style = 0;
        while (products.size() < count) {
            style++;
            Model model = MODELS.get(shared.nextInt(MODELS.size()));
            String styleId = model.code() + "-" + String.format(Locale.ROOT, "%03d", style);
            List<String> sizes = model.category().endsWith("shoes") || model.category().endsWith("boots")
                    ? SHOE_SIZES : WEAR_SIZES;
            int variants = 2 + shared.nextInt(4);
            int sizeStart = shared.nextInt(sizes.size());
            int colorStart = shared.nextInt(colors.size());
            int price = model.basePrice() + 500 * shared.nextInt(4);
            for (int v = 0; v < variants && products.size() < count; v++) {
                String size = sizes.get((sizeStart + v) % sizes.size());
                String colorCode = colors.get((colorStart + v / sizes.size() + (v % 2)) % colors.size());
                String sku = styleId + "-" + size + "-" + colorCode;
                if (!skus.add(sku)) {
                    continue;
                }
                int stock = 5 + regional.nextInt(60);
                products.add(new Product(sku, model.name() + " " + size + " " + COLORS.get(colorCode),
                        model.description(), model.category(), amount(price, currency), currency, size,
                        COLORS.get(colorCode), styleId, stock, warehouse));
            }
        }
        List<RestockFile> files = new ArrayList<>(restocks);
        for (int f = 1; f <= restocks; f++) {
            int lines = 1 + regional.nextInt(5);
            List<StockLine> stockLines = new ArrayList<>(lines);
            for (int l = 0; l < lines; l++) {
                Product p = products.get(regional.nextInt(products.size()));
                stockLines.add(new StockLine(p.sku(), 5 + regional.nextInt(21), l % 4 == 3 ? "return" : "restock"));
            }
            files.add(new RestockFile(warehouse, String.format(Locale.ROOT, "sim-%d-%04d",
                    Math.floorMod(seed, 1_000_000_000L), f), stockLines));
        }
        return new Catalog(region, seed, products, files);
    }

    /**
     * This catalog with one more product: a sneaker drop everybody wants, {@code stock} units in this region, its
     * stock spread over {@code stockShards} items (the warehouse marks it hot in product.json), and a second
     * delivery of {@link #dropDelivery} more units in a restock file half-way through the others (spread over the
     * shards by the stock-file function while the drop sells). The other restock files leave it alone.
     */
    public Catalog withHotSku(String sku, int stock, int stockShards) {
        if (!SKU.matcher(sku).matches()) {
            throw new IllegalArgumentException("a sku is 3-40 of A-Z 0-9 and -, starting with a letter or digit, got '"
                    + sku + "'");
        }
        if (skus().contains(sku)) {
            throw new IllegalArgumentException("the catalog already has " + sku);
        }
        String currency = currency(region);
        List<Product> with = new ArrayList<>(products);
        with.add(new Product(sku, "Drop " + sku, "A limited release everybody wants on the same morning.",
                "running-shoes", amount(18_000, currency), currency, "44", "black", "DROP", stock,
                warehouseId(region), stockShards));
        List<RestockFile> files = new ArrayList<>(restocks);
        files.add(files.size() / 2, new RestockFile(warehouseId(region), String.format(Locale.ROOT, "sim-%d-drop",
                Math.floorMod(seed, 1_000_000_000L)), List.of(new StockLine(sku, dropDelivery(stock), "restock"))));
        return new Catalog(region, seed, with, files);
    }

    /** The second delivery of a drop of {@code stock} units: a quarter more, at least one. */
    public static int dropDelivery(int stock) {
        return Math.max(1, stock / 4);
    }

    public String region() {
        return region;
    }

    public long seed() {
        return seed;
    }

    public List<Product> products() {
        return products;
    }

    public List<RestockFile> restocks() {
        return restocks;
    }

    public List<String> skus() {
        return products.stream().map(Product::sku).toList();
    }

    /** EUR in the European regions, else USD. */
    public static String currency(String region) {
        return region.startsWith("eu-") ? "EUR" : "USD";
    }

    /** {@code WH-EUWEST1}, say: letters, digits and '-', at most 32. */
    public static String warehouseId(String region) {
        String code = region.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
        return "WH-" + code.substring(0, Math.min(code.length(), 26)) + "-1";
    }

    private static String amount(int cents, String currency) {
        return cents / 100 + "." + String.format(Locale.ROOT, "%02d", cents % 100);
    }

    private static Map<String, String> colors() {
        Map<String, String> colors = new LinkedHashMap<>();
        colors.put("BLU", "blue");
        colors.put("RED", "red");
        colors.put("BLK", "black");
        colors.put("WHT", "white");
        colors.put("GRN", "green");
        colors.put("ORG", "orange");
        colors.put("GRY", "grey");
        colors.put("YLW", "yellow");
        return colors;
    }

    // ------------------------------------------------------------------ images

    /**
     * The product's image: a {@value #IMAGE_SIZE}×{@value #IMAGE_SIZE} JPEG, a gradient in the product's colour
     * with a stripe pattern of its sku and the sku written on it. The same bytes for the same product on one JVM.
     */
    public static byte[] image(Product product) {
        BufferedImage image = new BufferedImage(IMAGE_SIZE, IMAGE_SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            Color base = color(product.color());
            g.setPaint(new GradientPaint(0, 0, base, IMAGE_SIZE, IMAGE_SIZE, base.darker().darker()));
            g.fillRect(0, 0, IMAGE_SIZE, IMAGE_SIZE);
            // A barcode-like stripe per sku character, so images differ even without fonts.
            g.setColor(Color.WHITE);
            int x = 16;
            for (char c : product.sku().toCharArray()) {
                int width = 1 + c % 4;
                g.fillRect(x, 200, width, 40);
                x += width + 2;
                if (x > IMAGE_SIZE - 16) {
                    break;
                }
            }
            drawSku(g, product.sku());
        } finally {
            g.dispose();
        }
        return Jpeg.encode(image, 0.85f);
    }

    private static void drawSku(Graphics2D g, String sku) {
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            g.drawString(sku, 16, 40);
        } catch (RuntimeException | LinkageError | InternalError noFonts) {
            // A JVM without usable fonts still gets the gradient and the stripes.
        }
    }

    private static Color color(String name) {
        return switch (name) {
            case "blue" -> new Color(40, 90, 200);
            case "red" -> new Color(200, 40, 50);
            case "black" -> new Color(40, 40, 40);
            case "white" -> new Color(230, 230, 230);
            case "green" -> new Color(40, 160, 80);
            case "orange" -> new Color(240, 140, 30);
            case "grey" -> new Color(130, 130, 130);
            case "yellow" -> new Color(230, 210, 40);
            default -> Color.GRAY;
        };
    }
}
