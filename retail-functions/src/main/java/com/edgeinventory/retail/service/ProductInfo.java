package com.edgeinventory.retail.service;

import java.math.BigDecimal;

/** What a line needs from a product: name and price (cached), and styleId/size/color/category for alternatives. */
public record ProductInfo(String sku, String name, BigDecimal price, String currency, String styleId) {}
