package com.edgeinventory.inventory.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.inventory.store.InventoryStore.AdjustmentResult;
import com.edgeinventory.inventory.store.InventoryTable.Rebalance;
import com.edgeinventory.inventory.store.InventoryTable.ShardLevels;
import com.edgeinventory.model.AdjustmentReason;
import com.edgeinventory.model.Money;
import com.edgeinventory.model.Product;
import com.edgeinventory.model.Sequencer;
import com.edgeinventory.model.StockAdjustment;
import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.LocalAwsExtension;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A hot sku's stock shards in the inventory table, against moto: creation, sums, restocks, removals, refills. */
@ExtendWith(LocalAwsExtension.class)
class InventoryTableShardsIT {

    static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");
    static final String HOT = "TR-DROP-44-RED";

    InventoryTable inventory;

    @BeforeEach
    void setUp(LocalAws aws) {
        aws.reset();
        inventory = new InventoryTable(aws.dynamoDb(), aws.provision(Map.of()).physicalId("InventoryTable"));
    }

    static Product product(String sku, long stock, int shards) {
        return new Product(sku, "Drop 44", "A drop.", "running-shoes", new Money(new BigDecimal("199.00"), "EUR"),
                "44", "red", stock, "WH-MUC-1", "TR-DROP", shards);
    }

    static List<Long> available(List<ShardLevels> shards) {
        return shards.stream().map(ShardLevels::available).toList();
    }

    @Test
    void aHotSkuIsCreatedWithItsStockSpreadOverItsShardsAndReadAsOneSku() {
        inventory.upsertProduct(product(HOT, 100, 8), Sequencer.of("01"), T0);

        Map<String, AttributeValue> item = inventory.getProductItem(HOT).orElseThrow();
        assertThat(item.get("stockShards").n()).isEqualTo("8");
        assertThat(item.get("available").n()).as("the product item holds no units").isEqualTo("0");
        assertThat(available(inventory.shardLevels(HOT))).containsExactly(13L, 13L, 13L, 13L, 12L, 12L, 12L, 12L);
        assertThat(inventory.stock(HOT).orElseThrow().available()).isEqualTo(100);
        assertThat(inventory.liveLevels(List.of(HOT)).get(HOT)).isEqualTo(new InventoryStore.Levels(100, 0, 0));
        assertThat(inventory.lineProduct(HOT).orElseThrow().stockShards()).isEqualTo(8);
        assertThat(inventory.lineProduct(HOT).orElseThrow().available()).isEqualTo(100);

        // A later product.json changes the catalog, never the shards or the stock.
        inventory.upsertProduct(product(HOT, 5, 4), Sequencer.of("02"), T0.plusSeconds(1));
        assertThat(inventory.shardLevels(HOT)).hasSize(8);
        assertThat(inventory.stock(HOT).orElseThrow().available()).isEqualTo(100);
    }

    @Test
    void aProductThatExistsAsOneItemStaysOne() {
        inventory.upsertProduct(product("TR-RUN-42-BLU", 10, 1), Sequencer.of("01"), T0);
        inventory.upsertProduct(product("TR-RUN-42-BLU", 10, 8), Sequencer.of("02"), T0);

        assertThat(inventory.shardLevels("TR-RUN-42-BLU")).isEmpty();
        assertThat(InventoryTable.stockShardsOf(inventory.getProductItem("TR-RUN-42-BLU").orElseThrow())).isEqualTo(1);
        assertThat(inventory.stock("TR-RUN-42-BLU").orElseThrow().available()).isEqualTo(10);
    }

    @Test
    void restocksSpreadEvenlyRemovalsTakeFromTheFullestAndEachLineIsDecidedOnce() {
        inventory.upsertProduct(product(HOT, 20, 4), Sequencer.of("01"), T0);

        AdjustmentResult restock = inventory.applyAdjustment("WH-MUC-1", "b1", "stock/WH-MUC-1/b1.jsonl",
                new StockAdjustment(1, HOT, 6, AdjustmentReason.RESTOCK), T0);
        AdjustmentResult again = inventory.applyAdjustment("WH-MUC-1", "b1", "stock/WH-MUC-1/b1.jsonl",
                new StockAdjustment(1, HOT, 6, AdjustmentReason.RESTOCK), T0);
        assertThat(restock).isEqualTo(new AdjustmentResult.Applied(26));
        assertThat(again).isInstanceOf(AdjustmentResult.AlreadyDecided.class);
        assertThat(available(inventory.shardLevels(HOT))).containsExactly(7L, 7L, 6L, 6L);

        AdjustmentResult removal = inventory.applyAdjustment("WH-MUC-1", "b1", "stock/WH-MUC-1/b1.jsonl",
                new StockAdjustment(2, HOT, -15, AdjustmentReason.SHRINKAGE), T0);
        assertThat(removal).isEqualTo(new AdjustmentResult.Applied(11));
        assertThat(available(inventory.shardLevels(HOT)).stream().mapToLong(Long::longValue).sum()).isEqualTo(11);
        assertThat(inventory.shardLevels(HOT)).allSatisfy(s -> assertThat(s.available()).isNotNegative());

        AdjustmentResult tooMuch = inventory.applyAdjustment("WH-MUC-1", "b1", "stock/WH-MUC-1/b1.jsonl",
                new StockAdjustment(3, HOT, -12, AdjustmentReason.SHRINKAGE), T0);
        assertThat(tooMuch).isEqualTo(new AdjustmentResult.Refused("INSUFFICIENT_STOCK", 11));
        assertThat(inventory.stock(HOT).orElseThrow().available()).isEqualTo(11);
    }

    @Test
    void aDryShardIsRefilledFromTheFullestAndASkuShortEverywhereIsInsufficient() {
        inventory.upsertProduct(product(HOT, 40, 4), Sequencer.of("01"), T0);
        inventory.applyAdjustment("WH-MUC-1", "b1", "k", new StockAdjustment(1, HOT, -10, AdjustmentReason.SHRINKAGE), T0);
        List<Long> before = available(inventory.shardLevels(HOT));
        int dry = before.indexOf(before.stream().min(Long::compare).orElseThrow());

        Rebalance moved = inventory.rebalance(HOT, dry, before.get(dry) + 3, T0);

        List<Long> after = available(inventory.shardLevels(HOT));
        assertThat(moved).isInstanceOf(Rebalance.Moved.class);
        assertThat(after.get(dry)).isGreaterThanOrEqualTo(before.get(dry) + 3).isGreaterThanOrEqualTo(30 / 4);
        assertThat(after.stream().mapToLong(Long::longValue).sum()).isEqualTo(30);
        assertThat(inventory.rebalance(HOT, dry, 31, T0)).isEqualTo(new Rebalance.Insufficient(30));
    }

    @Test
    void spreadIsEvenForARestockAndTakesFromTheFullestForARemoval() {
        List<ShardLevels> shards = List.of(new ShardLevels(0, 5, 0, 0, 1), new ShardLevels(1, 1, 0, 0, 1),
                new ShardLevels(2, 9, 0, 0, 1));

        assertThat(InventoryTable.spread(shards, 7, 3)).containsExactly(2, 3, 2);
        assertThat(InventoryTable.spread(shards, -10, 3)).containsExactly(-1, 0, -9);
        assertThat(InventoryTable.spread(shards, 0, 3)).containsExactly(0, 0, 0);
    }
}
