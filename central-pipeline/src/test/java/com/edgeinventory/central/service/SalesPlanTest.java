package com.edgeinventory.central.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.model.central.SaleLine;
import com.edgeinventory.model.central.SkuDelta;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SalesPlanTest {

    static final LocalDate D1 = LocalDate.parse("2026-11-26");
    static final LocalDate D2 = LocalDate.parse("2026-11-27");

    static SaleLine line(String id, LocalDate day, long qty, String amount, String currency) {
        return new SaleLine(id, day, "STORE-1", qty, new BigDecimal(amount), currency);
    }

    @Test
    void groupsByDayChunksAndKeepsARepeatedEventOnce() {
        List<SaleLine> lines = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            lines.add(line("p" + i, D1, 1, "10.00", "EUR"));
        }
        lines.add(line("q", D2, 2, "3.50", "USD"));
        lines.add(line("p0", D1, 1, "10.00", "EUR"));
        SkuDelta delta = new SkuDelta("eu-west-1", "SKU-1", Optional.empty(), lines);

        List<SalesBatch> batches = SalesPlan.plan(delta, 2);

        assertThat(batches).extracting(SalesBatch::day).containsExactly(D1, D1, D1, D2);
        assertThat(batches).extracting(b -> b.lines().size()).containsExactly(2, 2, 1, 1);
        assertThat(batches.stream().mapToLong(SalesBatch::qty).sum()).isEqualTo(7);
    }

    @Test
    void sumsAmountsPerCurrencyAndNamesEventsByRegionPurchaseAndSku() {
        SalesBatch batch = new SalesBatch("eu-west-1", "SKU-1", D1, List.of(
                line("a", D1, 1, "89.90", "EUR"), line("b", D1, 2, "0.15", "EUR"), line("c", D1, 1, "5", "CHF")));

        assertThat(batch.amounts()).isEqualTo(Map.of("CHF", new BigDecimal("5"), "EUR", new BigDecimal("90.05")));
        assertThat(batch.qty()).isEqualTo(4);
        assertThat(batch.eventId(batch.lines().getFirst())).isEqualTo("eu-west-1#a#SKU-1");
        assertThat(batch.singles()).hasSize(3).allSatisfy(s -> assertThat(s.lines()).hasSize(1));
    }
}
