package com.edgeinventory.central.adapter;

import com.edgeinventory.central.service.Aggregation;
import com.edgeinventory.central.service.AnalyticsStore;
import com.edgeinventory.central.service.LevelMerge;
import com.edgeinventory.central.service.Levels;
import com.edgeinventory.central.service.RegionalLevel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Item layout of the central levels table (pk {@code sku}, sk {@code region}; GSI {@value #BY_REGION} on
 * (region, available), all attributes projected).
 * <ul>
 *   <li>(sku, region): {@code available, reserved, sold, version, atMillis} (N), {@code deleted} (BOOL): the
 *       newest levels of the sku in that edge region;</li>
 *   <li>(sku, {@value #ALL}): {@code available, reserved, sold} (N): the sums over the regions' non-deleted
 *       levels, moved by ADD in the same transaction as the regional item.</li>
 * </ul>
 */
public final class LevelsTable implements Aggregation.LevelStore {

    public static final String ALL = "#ALL";
    public static final String BY_REGION = "byRegion";

    private final DynamoDbClient dynamo;
    private final String tableName;

    public LevelsTable(DynamoDbClient dynamo, String tableName) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.tableName = Objects.requireNonNull(tableName);
    }

    @Override
    public Optional<RegionalLevel> read(String sku, String region) {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(tableName).key(key(sku, region)).consistentRead(true));
        if (!response.hasItem() || response.item().isEmpty() || !response.item().containsKey("version")) {
            return Optional.empty();
        }
        return Optional.of(level(response.item()));
    }

    private static RegionalLevel level(Map<String, AttributeValue> item) {
        return new RegionalLevel(number(item, "available"), number(item, "reserved"),
                number(item, "sold"), number(item, "version"), number(item, "atMillis"),
                item.containsKey("deleted") && Boolean.TRUE.equals(item.get("deleted").bool()));
    }

    /** The global totals of a sku, zero when no region reported it yet. */
    public Levels totals(String sku) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tableName).key(key(sku, ALL))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Levels.ZERO;
        }
        return new Levels(number(item, "available"), number(item, "reserved"), number(item, "sold"));
    }

    /**
     * The totals and every region's levels of a sku (deleted ones included, sorted by region) in one query: the
     * totals item's sort key {@value #ALL} sorts before every region. Eventually consistent.
     */
    public AnalyticsStore.SkuLevels levelsOf(String sku) {
        Levels totals = Levels.ZERO;
        List<AnalyticsStore.RegionLevel> regions = new ArrayList<>();
        for (Map<String, AttributeValue> item : dynamo.queryPaginator(b -> b.tableName(tableName)
                .keyConditionExpression("#k = :sku")
                .expressionAttributeNames(Map.of("#k", "sku"))
                .expressionAttributeValues(Map.of(":sku", AttributeValue.fromS(sku)))).items()) {
            String region = item.get("region").s();
            if (ALL.equals(region)) {
                totals = new Levels(number(item, "available"), number(item, "reserved"), number(item, "sold"));
            } else if (item.containsKey("version")) {
                regions.add(new AnalyticsStore.RegionLevel(region, level(item)));
            }
        }
        return new AnalyticsStore.SkuLevels(totals, regions);
    }

    /**
     * The levels of a region with {@code available < threshold} from the {@value #BY_REGION} index, in ascending
     * order of available, deleted ones included; read lazily, {@code pageSize} items per query page.
     */
    public Iterator<AnalyticsStore.SkuLevel> availableBelow(String region, long threshold, int pageSize) {
        return dynamo.queryPaginator(b -> b.tableName(tableName).indexName(BY_REGION)
                        .keyConditionExpression("#r = :r AND #a < :t")
                        .expressionAttributeNames(Map.of("#r", "region", "#a", "available"))
                        .expressionAttributeValues(Map.of(":r", AttributeValue.fromS(region), ":t", n(threshold)))
                        .limit(pageSize))
                .items().stream()
                .filter(item -> item.containsKey("version"))
                .map(item -> new AnalyticsStore.SkuLevel(item.get("sku").s(), level(item)))
                .iterator();
    }

    @Override
    public boolean write(String sku, String region, LevelMerge.Write write) {
        RegionalLevel next = write.next();
        Map<String, String> names = Map.of("#a", "available", "#r", "reserved", "#s", "sold", "#v", "version",
                "#t", "atMillis", "#d", "deleted");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":a", n(next.available()));
        values.put(":r", n(next.reserved()));
        values.put(":s", n(next.sold()));
        values.put(":v", n(next.version()));
        values.put(":t", n(next.atMillis()));
        values.put(":d", AttributeValue.fromBool(next.deleted()));
        String condition;
        if (write.expectedVersion().isPresent()) {
            condition = "#v = :old";
            values.put(":old", n(write.expectedVersion().getAsLong()));
        } else {
            condition = "attribute_not_exists(#v)";
        }
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().update(u -> u.tableName(tableName).key(key(sku, region))
                .updateExpression("SET #a = :a, #r = :r, #s = :s, #v = :v, #t = :t, #d = :d")
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)).build());
        Levels delta = write.totalsDelta();
        if (!delta.isZero()) {
            items.add(TransactWriteItem.builder().update(u -> u.tableName(tableName).key(key(sku, ALL))
                    .updateExpression("ADD #a :da, #r :dr, #s :ds")
                    .expressionAttributeNames(Map.of("#a", "available", "#r", "reserved", "#s", "sold"))
                    .expressionAttributeValues(Map.of(":da", n(delta.available()), ":dr", n(delta.reserved()),
                            ":ds", n(delta.sold())))).build());
        }
        try {
            dynamo.transactWriteItems(b -> b.transactItems(items));
            return true;
        } catch (TransactionCanceledException e) {
            if (isRace(e)) {
                return false;
            }
            throw e;
        }
    }

    /** A condition that no longer holds, or another transaction on the same items: read again and retry. */
    static boolean isRace(TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) {
            return false;
        }
        for (CancellationReason reason : e.cancellationReasons()) {
            String code = reason.code();
            if ("ConditionalCheckFailed".equals(code) || "TransactionConflict".equals(code)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, AttributeValue> key(String sku, String region) {
        return Map.of("sku", AttributeValue.fromS(sku), "region", AttributeValue.fromS(region));
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }
}
