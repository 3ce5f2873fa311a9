package com.edgeinventory.retail.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlternativesRankingTest {

    static Alternative alt(String sku, String size, String color, String category, long available) {
        return new Alternative(sku, sku, size, color, category, available);
    }

    static final List<Alternative> CANDIDATES = List.of(
            alt("A-40", "40", "blue", "running-shoes", 3),
            alt("A-42", "42", "red", "running-shoes", 1),
            alt("A-43", "43", "red", "trail-shoes", 5),
            alt("A-44", "44", "green", "running-shoes", 0));

    @Test
    void moreMatchesRankHigherAndTiesKeepTheirOrder() {
        Preferences p = new Preferences(List.of("42"), List.of("Red"), List.of("trail-shoes"));

        List<Alternative> ranked = AlternativesRanking.rank(CANDIDATES, Optional.of(p));

        assertThat(ranked).extracting(Alternative::sku).containsExactly("A-42", "A-43", "A-40");
    }

    @Test
    void withoutPreferencesTheOrderIsKeptAndOutOfStockDropped() {
        assertThat(AlternativesRanking.rank(CANDIDATES, Optional.empty())).extracting(Alternative::sku)
                .containsExactly("A-40", "A-42", "A-43");
    }
}
