package com.edgeinventory.central.adapter;

import com.edgeinventory.central.service.Aggregation;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Item layout of the freshness items in the central sales table: pk {@value #PK}, sk {@code {region}},
 * {@code atMillis} (N) = the newest edge time of a level change seen from that region. Only ever moves forward.
 */
public final class FreshnessItems implements Aggregation.FreshnessStore {

    public static final String PK = "FRESHNESS";

    private final DynamoDbClient dynamo;
    private final String tableName;

    public FreshnessItems(DynamoDbClient dynamo, String tableName) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.tableName = Objects.requireNonNull(tableName);
    }

    @Override
    public void advance(String region, long atMillis) {
        try {
            dynamo.updateItem(b -> b.tableName(tableName).key(key(region))
                    .updateExpression("SET #t = :t")
                    .conditionExpression("attribute_not_exists(#t) OR #t < :t")
                    .expressionAttributeNames(Map.of("#t", "atMillis"))
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromN(Long.toString(atMillis)))));
        } catch (ConditionalCheckFailedException e) {
            // a newer (or the same) time is already stored
        }
    }

    public OptionalLong read(String region) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tableName).key(key(region))
                .consistentRead(true)).item();
        if (item == null || !item.containsKey("atMillis")) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(item.get("atMillis").n()));
    }

    /** The newest edge time of every region that reported one, by region. Eventually consistent. */
    public SortedMap<String, Long> all() {
        SortedMap<String, Long> newest = new TreeMap<>();
        for (Map<String, AttributeValue> item : dynamo.queryPaginator(b -> b.tableName(tableName)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", "pk"))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(PK)))).items()) {
            AttributeValue at = item.get("atMillis");
            if (at != null && at.n() != null) {
                newest.put(item.get("sk").s(), Long.parseLong(at.n()));
            }
        }
        return newest;
    }

    private static Map<String, AttributeValue> key(String region) {
        return Map.of("pk", AttributeValue.fromS(PK), "sk", AttributeValue.fromS(region));
    }
}
