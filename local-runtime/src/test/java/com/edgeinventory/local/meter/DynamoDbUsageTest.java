package com.edgeinventory.local.meter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** DynamoDB's capacity rules on wire JSON: sizes by attribute type, units per operation. */
class DynamoDbUsageTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** One row per attribute type: the item, and its size by DynamoDB's rules. */
    static Stream<Arguments> sizes() {
        return Stream.of(
                Arguments.of("string: name + UTF-8 bytes", "{\"pk\":{\"S\":\"SKU#Ä\"}}", 2 + 6),
                Arguments.of("number: 1 byte per 2 digits + 1", "{\"n\":{\"N\":\"12345\"}}", 1 + 3 + 1),
                Arguments.of("number: zeros trimmed", "{\"n\":{\"N\":\"1000\"}}", 1 + 1 + 1),
                Arguments.of("bool and null: 1", "{\"b\":{\"BOOL\":true},\"z\":{\"NULL\":true}}", 2 + 2),
                Arguments.of("binary: decoded bytes", "{\"b\":{\"B\":\"AAECAw==\"}}", 1 + 4),
                Arguments.of("list: 3 + 1 per element", "{\"l\":{\"L\":[{\"S\":\"ab\"},{\"N\":\"7\"}]}}",
                        1 + 3 + (1 + 2) + (1 + 2)),
                Arguments.of("map: 3 + 1 + key per element", "{\"m\":{\"M\":{\"k\":{\"S\":\"v\"}}}}", 1 + 3 + 1 + 1 + 1),
                Arguments.of("string set: sum", "{\"s\":{\"SS\":[\"a\",\"bc\"]}}", 1 + 3),
                Arguments.of("not an item", "[]", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sizes")
    void itemSizesFollowDynamoDbsRules(String name, String item, long size) {
        assertThat(CapacityUnits.itemSize(json(item))).isEqualTo(size);
    }

    @Test
    void unitsPerStartedKilobyteOrFourAndTwiceInATransaction() {
        assertThat(CapacityUnits.writeUnits(1, false)).isEqualTo(1);
        assertThat(CapacityUnits.writeUnits(1025, false)).isEqualTo(2);
        assertThat(CapacityUnits.writeUnits(1025, true)).isEqualTo(4);
        assertThat(CapacityUnits.readUnits(4096, true, false)).isEqualTo(1);
        assertThat(CapacityUnits.readUnits(4097, false, false)).isEqualTo(1);
        assertThat(CapacityUnits.readUnits(10, true, true)).isEqualTo(2);
    }

    @Test
    void aTransactionCountsEachItemAndSizesUpdatesFromTheItemAfterTheCall() {
        String bigValue = "x".repeat(1500);
        JsonNode request = json("{\"TransactItems\":["
                + "{\"Put\":{\"TableName\":\"state\",\"Item\":{\"id\":{\"S\":\"a\"},\"v\":{\"S\":\"" + bigValue + "\"}}}},"
                + "{\"Update\":{\"TableName\":\"inventory\",\"Key\":{\"pk\":{\"S\":\"SKU#A\"}}}},"
                + "{\"ConditionCheck\":{\"TableName\":\"inventory\",\"Key\":{\"pk\":{\"S\":\"SKU#B\"}}}}]}");
        DynamoDbUsage.Units units = DynamoDbUsage.of("TransactWriteItems", request, json("{}"),
                (table, key) -> Optional.of(json("{\"pk\":{\"S\":\"SKU#A\"},\"available\":{\"N\":\"5\"}}")));

        // Put: 1.5 KB -> 2 units, x2; Update: under 1 KB -> 1, x2; ConditionCheck: a transactional read, 2.
        assertThat(units).isEqualTo(new DynamoDbUsage.Units(2, 6));
    }

    @Test
    void readsAreSizedFromWhatCameBack() {
        JsonNode items = json("{\"Items\":[{\"a\":{\"S\":\"" + "y".repeat(3000) + "\"}},{\"a\":{\"S\":\""
                + "y".repeat(3000) + "\"}}]}");
        assertThat(DynamoDbUsage.of("Query", json("{\"ConsistentRead\":true}"), items, (t, k) -> Optional.empty()))
                .isEqualTo(new DynamoDbUsage.Units(2, 0));
        assertThat(DynamoDbUsage.of("Query", json("{}"), items, (t, k) -> Optional.empty()))
                .isEqualTo(new DynamoDbUsage.Units(1, 0));
        assertThat(DynamoDbUsage.of("GetItem", json("{}"), json("{}"), (t, k) -> Optional.empty()))
                .as("a miss still costs the minimum").isEqualTo(new DynamoDbUsage.Units(0.5, 0));
        assertThat(DynamoDbUsage.of("DescribeTable", json("{}"), json("{}"), (t, k) -> Optional.empty()))
                .isEqualTo(DynamoDbUsage.Units.NONE);
    }
}
