package com.edgeinventory.retail.service;

import java.util.List;

/**
 * A customer's stored shopping preferences, used to rank out-of-stock alternatives. Every list is non-null
 * (possibly empty) and unmodifiable.
 */
public record Preferences(List<String> sizes, List<String> colors, List<String> categories) {

    public static final Preferences NONE = new Preferences(List.of(), List.of(), List.of());

    public Preferences {
        sizes = sizes == null ? List.of() : List.copyOf(sizes);
        colors = colors == null ? List.of() : List.copyOf(colors);
        categories = categories == null ? List.of() : List.copyOf(categories);
    }
}
