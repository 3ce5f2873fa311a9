package com.edgeinventory.central.adapter;

import com.edgeinventory.central.service.HotSkuLevels;
import com.edgeinventory.inventory.store.InventoryTable;
import com.edgeinventory.model.central.LevelChange;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The edge inventory table as the forwarder reads it for a sharded sku: through the table's one owner, its
 * levels summed over the shards (a consistent GetItem and Query).
 */
public final class InventoryLevels implements HotSkuLevels.Reader {

    private final InventoryTable inventory;

    public InventoryLevels(InventoryTable inventory) {
        this.inventory = inventory;
    }

    @Override
    public Optional<LevelChange> read(String sku, long atMillis) {
        return inventory.levels(sku).filter(item -> item.containsKey("available")).map(item ->
                new LevelChange(sku, num(item, "available"), num(item, "reserved"), num(item, "sold"),
                        num(item, "version"), atMillis, item.get("deleted") != null
                        && Boolean.TRUE.equals(item.get("deleted").bool())));
    }

    private static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }
}
