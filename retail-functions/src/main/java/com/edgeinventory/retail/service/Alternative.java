package com.edgeinventory.retail.service;

/** An in-stock product of the same style, offered when a sku is out of stock. */
public record Alternative(String sku, String name, String size, String color, String category, long available) {}
