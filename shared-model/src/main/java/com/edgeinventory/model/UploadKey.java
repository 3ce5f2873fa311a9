package com.edgeinventory.model;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The upload contract's object keys, parsed. Everything a warehouse may put into the bucket has one of
 * these shapes; anything else is {@link Unrecognized}.
 *
 * <pre>
 * products/{sku}/product.json
 * products/{sku}/images/{name}.jpg|.jpeg|.png
 * stock/{warehouseId}/{batchId}.jsonl
 * </pre>
 */
public sealed interface UploadKey
        permits UploadKey.ProductFile, UploadKey.ProductImage, UploadKey.StockFile, UploadKey.Unrecognized {

    /** The key as it was uploaded. */
    String key();

    record ProductFile(String key, String sku) implements UploadKey {}

    /** @param imageName the file name without its extension, e.g. {@code front} */
    record ProductImage(String key, String sku, String imageName, String extension) implements UploadKey {}

    record StockFile(String key, String warehouseId, String batchId) implements UploadKey {}

    record Unrecognized(String key, String reason) implements UploadKey {}

    Pattern SKU = Pattern.compile("[A-Z0-9][A-Z0-9-]{2,39}");
    Pattern WAREHOUSE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,31}");
    Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    Pattern IMAGE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    Pattern PRODUCT = Pattern.compile("products/([^/]+)/product\\.json");
    Pattern IMAGE = Pattern.compile("products/([^/]+)/images/([^/]+)\\.([A-Za-z]+)");
    Pattern STOCK = Pattern.compile("stock/([^/]+)/([^/]+)\\.jsonl");

    static UploadKey parse(String key) {
        Matcher m = PRODUCT.matcher(key);
        if (m.matches()) {
            String sku = m.group(1);
            return SKU.matcher(sku).matches()
                    ? new ProductFile(key, sku)
                    : new Unrecognized(key, skuRule(sku));
        }
        m = IMAGE.matcher(key);
        if (m.matches()) {
            String sku = m.group(1);
            String name = m.group(2);
            String ext = m.group(3).toLowerCase(Locale.ROOT);
            if (!SKU.matcher(sku).matches()) {
                return new Unrecognized(key, skuRule(sku));
            }
            if (!ext.equals("jpg") && !ext.equals("jpeg") && !ext.equals("png")) {
                return new Unrecognized(key, "image extension '." + m.group(3) + "' is not supported; use .jpg, .jpeg or .png");
            }
            if (!IMAGE_NAME.matcher(name).matches()) {
                return new Unrecognized(key, "image name '" + name
                        + "' must be 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
            }
            return new ProductImage(key, sku, name, ext);
        }
        m = STOCK.matcher(key);
        if (m.matches()) {
            String warehouse = m.group(1);
            String batch = m.group(2);
            if (!WAREHOUSE_ID.matcher(warehouse).matches()) {
                return new Unrecognized(key, "warehouseId '" + warehouse
                        + "' must be 1-32 letters, digits or '-', starting with a letter or digit");
            }
            if (!BATCH_ID.matcher(batch).matches()) {
                return new Unrecognized(key, "batchId '" + batch
                        + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
            }
            return new StockFile(key, warehouse, batch);
        }
        return new Unrecognized(key, "key does not follow the upload contract: expected products/{sku}/product.json, "
                + "products/{sku}/images/{name}.jpg|.jpeg|.png or stock/{warehouseId}/{batchId}.jsonl");
    }

    private static String skuRule(String sku) {
        return "sku '" + sku + "' in the key must be 3-40 upper-case letters, digits or '-', starting with a letter or digit";
    }
}
