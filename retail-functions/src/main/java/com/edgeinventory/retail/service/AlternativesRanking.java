package com.edgeinventory.retail.service;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Ranks in-stock alternatives by how many of the customer's preferred sizes, colors and categories they match.
 * Ties keep the input order (sku order from the index), so the ranking is stable and deterministic.
 */
public final class AlternativesRanking {

    public static final int MAX_ALTERNATIVES = 10;

    private AlternativesRanking() {}

    public static List<Alternative> rank(List<Alternative> candidates, Optional<Preferences> preferences) {
        Preferences p = preferences.orElse(Preferences.NONE);
        return candidates.stream()
                .filter(a -> a.available() > 0)
                .sorted(Comparator.comparingInt((Alternative a) -> -score(a, p)))
                .limit(MAX_ALTERNATIVES)
                .toList();
    }

    static int score(Alternative a, Preferences p) {
        return matches(p.sizes(), a.size()) + matches(p.colors(), a.color()) + matches(p.categories(), a.category());
    }

    private static int matches(List<String> preferred, String value) {
        if (value == null) {
            return 0;
        }
        String v = value.toLowerCase(Locale.ROOT);
        return preferred.stream().anyMatch(x -> x != null && x.toLowerCase(Locale.ROOT).equals(v)) ? 1 : 0;
    }
}
