package com.edgeinventory.model;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Parses and validates {@code products/{sku}/product.json}. Reports every problem, each with its JSON pointer. */
public final class ProductParser {

    public static final int MAX_DOCUMENT_BYTES = 64 * 1024;
    public static final long MAX_STOCK = 1_000_000;
    public static final BigDecimal MAX_PRICE = new BigDecimal("1000000");

    static final Set<String> FIELDS = Set.of(
            "sku", "name", "description", "category", "price", "size", "color", "stock", "warehouseId", "styleId",
            "stockShards");
    static final Set<String> PRICE_FIELDS = Set.of("amount", "currency");

    private static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9-]{0,47}");
    private static final Pattern AMOUNT = Pattern.compile("\\d{1,7}(\\.\\d{1,4})?");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private ProductParser() {}

    /**
     * @param expectedSku the sku in the object key; the document's sku must equal it
     */
    public static Parsed<Product> parse(byte[] json, String expectedSku) {
        List<ValidationError> errors = JsonFields.newErrors();
        if (json.length > MAX_DOCUMENT_BYTES) {
            errors.add(new ValidationError("", "product.json is " + json.length
                    + " bytes; the maximum is " + MAX_DOCUMENT_BYTES));
            return Parsed.invalid(errors);
        }
        JsonFields doc = JsonFields.parseObject(json, "", errors);
        if (doc == null) {
            return Parsed.invalid(errors);
        }
        doc.rejectUnknown(FIELDS);
        String sku = doc.requiredString("sku", 40, UploadKey.SKU,
                "a sku is 3-40 upper-case letters, digits or '-', starting with a letter or digit");
        if (sku != null && !sku.equals(expectedSku)) {
            doc.fail("sku", "'" + sku + "' does not match the sku in the object key, '" + expectedSku + "'");
        }
        String name = doc.requiredString("name", 200, null, null);
        String description = doc.requiredString("description", 4000, null, null);
        String category = doc.requiredString("category", 48, CATEGORY,
                "a category is 1-48 lower-case letters, digits or '-', e.g. running-shoes");
        Money price = price(doc);
        String size = doc.requiredString("size", 16, null, null);
        String color = doc.requiredString("color", 32, null, null);
        Long stock = doc.requiredInteger("stock", 0, MAX_STOCK);
        String warehouseId = doc.requiredString("warehouseId", 32, UploadKey.WAREHOUSE_ID,
                "a warehouseId is 1-32 letters, digits or '-', starting with a letter or digit");
        String styleId = doc.optionalString("styleId", 40, UploadKey.SKU,
                "a styleId is 3-40 upper-case letters, digits or '-', starting with a letter or digit");
        Long stockShards = doc.optionalInteger("stockShards", 1, Product.MAX_STOCK_SHARDS, 1);
        if (!errors.isEmpty()) {
            return Parsed.invalid(errors);
        }
        return Parsed.valid(new Product(sku, name, description, category, price, size, color, stock, warehouseId,
                styleId, stockShards.intValue()));
    }

    private static Money price(JsonFields doc) {
        JsonFields price = doc.requiredObject("price");
        if (price == null) {
            return null;
        }
        price.rejectUnknown(PRICE_FIELDS);
        String amountText = price.requiredString("amount", 16, null, null);
        String code = price.requiredString("currency", 3, CURRENCY, "a currency is an ISO 4217 code such as EUR");
        Currency currency = null;
        if (code != null) {
            try {
                currency = Currency.getInstance(code);
            } catch (IllegalArgumentException unknown) {
                price.fail("currency", "'" + code + "' is not an ISO 4217 currency code");
            }
        }
        if (amountText == null) {
            return null;
        }
        if (amountText.startsWith("-")) {
            price.fail("amount", "'" + amountText + "' is negative; a price must be zero or more");
            return null;
        }
        if (!AMOUNT.matcher(amountText).matches()) {
            price.fail("amount", "'" + amountText + "' is not a decimal amount such as \"89.90\"");
            return null;
        }
        BigDecimal amount = new BigDecimal(amountText);
        if (amount.compareTo(MAX_PRICE) > 0) {
            price.fail("amount", amountText + " is above the maximum of " + MAX_PRICE.toPlainString());
            return null;
        }
        if (currency == null) {
            return null;
        }
        int minorUnits = currency.getDefaultFractionDigits();
        if (minorUnits >= 0 && amount.scale() > minorUnits) {
            price.fail("amount", "'" + amountText + "' has " + amount.scale() + " decimals; " + code
                    + " has " + minorUnits);
            return null;
        }
        return new Money(amount, code);
    }
}
