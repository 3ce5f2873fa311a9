package com.edgeinventory.inventory.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.inventory.store.InventoryTable.ShardLevels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a stock-file line of a sharded sku is split over its shards (a pure rule of InventoryTable). */
class ShardSpreadTest {

    /** Shards 0..3 with 5, 0, 9, 2 available. */
    static final List<ShardLevels> SHARDS = List.of(new ShardLevels(0, 5, 0, 0, 1), new ShardLevels(1, 0, 0, 0, 1),
            new ShardLevels(2, 9, 0, 0, 1), new ShardLevels(3, 2, 0, 0, 1));

    @Test
    void aRestockIsSpreadEvenlyTheRemainderToTheEmptiest() {
        assertThat(InventoryTable.spread(SHARDS, 10, 4)).containsExactly(2, 3, 2, 3);
    }

    @Test
    void underContentionARestockGoesToTheEmptiestShardAlone() {
        assertThat(InventoryTable.spread(SHARDS, 10, 4, 1)).containsExactly(0, 10, 0, 0);
        assertThat(InventoryTable.spread(SHARDS, 10, 4, 2)).containsExactly(0, 5, 0, 5);
    }

    @Test
    void aRemovalTakesFromTheFullestFirstAndNeverBelowZero() {
        assertThat(InventoryTable.spread(SHARDS, -12, 4)).containsExactly(-3, 0, -9, 0);
        assertThat(InventoryTable.spread(SHARDS, -16, 4, 1)).as("a removal ignores 'over'")
                .containsExactly(-5, 0, -9, -2);
    }
}
