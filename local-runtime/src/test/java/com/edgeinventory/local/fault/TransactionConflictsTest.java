package com.edgeinventory.local.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.fault.TransactionConflicts.Admission;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The conflict rule on request bodies as the SDK sends them; no HTTP (FaultProxyTest has the SDK's view). */
class TransactionConflictsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String EU = "eu-west-1";
    final TransactionConflicts conflicts = new TransactionConflicts();
    final List<String> described = new ArrayList<>();

    /** Inventory's key is pk+sk, the state table's id; asked once per table. */
    List<String> schema(String table) {
        described.add(table);
        return table.equals("inventory") ? List.of("pk", "sk") : List.of("id");
    }

    Admission admit(String region, String operation, String body) {
        return conflicts.admit(region, operation, body.getBytes(StandardCharsets.UTF_8), this::schema);
    }

    static String update(String table, String key) {
        return "{\"Update\":{\"TableName\":\"" + table + "\",\"Key\":" + key + ",\"UpdateExpression\":\"SET a = :a\"}}";
    }

    static String put(String table, String item) {
        return "{\"Put\":{\"TableName\":\"" + table + "\",\"Item\":" + item + "}}";
    }

    static String transaction(String... items) {
        return "{\"TransactItems\":[" + String.join(",", items) + "],\"ClientRequestToken\":\"t\"}";
    }

    static final String SKU_KEY = "{\"pk\":{\"S\":\"SKU#A\"},\"sk\":{\"S\":\"PRODUCT\"}}";
    /** The same key with its attributes in the other order, as another client may send it. */
    static final String SKU_KEY_REORDERED = "{\"sk\":{\"S\":\"PRODUCT\"},\"pk\":{\"S\":\"SKU#A\"}}";
    static final String OTHER_SKU_KEY = "{\"pk\":{\"S\":\"SKU#B\"},\"sk\":{\"S\":\"PRODUCT\"}}";

    @Test
    void aTransactionOverlappingOneInFlightIsCancelledWithTheReasonOnTheOverlappingItemOnly() throws Exception {
        Admission first = admit(EU, "TransactWriteItems", transaction(update("inventory", SKU_KEY)));
        assertThat(first).isInstanceOf(Admission.Admitted.class);

        Admission second = admit(EU, "TransactWriteItems", transaction(
                put("state", "{\"id\":{\"S\":\"STORE#client\"},\"v\":{\"N\":\"2\"}}"),
                update("inventory", SKU_KEY_REORDERED)));

        assertThat(second).isInstanceOf(Admission.Refused.class);
        JsonNode body = JSON.readTree(((Admission.Refused) second).body());
        assertThat(body.path("__type").asText()).isEqualTo(TransactionConflicts.CANCELLED);
        assertThat(body.path("CancellationReasons").findValuesAsText("Code"))
                .containsExactly("None", "TransactionConflict");
        assertThat(body.path("Message").asText()).contains("[None, TransactionConflict]");
        assertThat(conflicts.counts()).isEqualTo(new TransactionConflicts.Counts(2, 1, 0));
    }

    @Test
    void theItemsAreFreeOnceTheFirstAnswerHasGoneBackAndACancelledOneHoldsNothing() {
        Admission first = admit(EU, "TransactWriteItems", transaction(update("inventory", SKU_KEY)));
        Admission refused = admit(EU, "TransactWriteItems", transaction(update("inventory", SKU_KEY),
                update("inventory", OTHER_SKU_KEY)));
        assertThat(refused).isInstanceOf(Admission.Refused.class);
        // The refused transaction did not take SKU#B.
        assertThat(admit(EU, "TransactWriteItems", transaction(update("inventory", OTHER_SKU_KEY))))
                .isInstanceOf(Admission.Admitted.class);

        ((Admission.Admitted) first).releaseNow();

        assertThat(admit(EU, "TransactWriteItems", transaction(update("inventory", SKU_KEY))))
                .isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void aPutIsTheItemOfItsKeyAttributesAndTheSchemaIsAskedOncePerTable() {
        Admission first = admit(EU, "TransactWriteItems", transaction(
                put("inventory", "{\"pk\":{\"S\":\"SKU#A\"},\"sk\":{\"S\":\"PRODUCT\"},\"available\":{\"N\":\"5\"}}")));
        assertThat(first).isInstanceOf(Admission.Admitted.class);
        assertThat(admit(EU, "TransactWriteItems", transaction(update("inventory", SKU_KEY))))
                .isInstanceOf(Admission.Refused.class);
        assertThat(admit(EU, "TransactWriteItems", transaction(
                put("inventory", "{\"pk\":{\"S\":\"SKU#A\"},\"sk\":{\"S\":\"PRODUCT\"},\"available\":{\"N\":\"4\"}}"))))
                .isInstanceOf(Admission.Refused.class);
        assertThat(described).containsExactly("inventory");
    }

    @Test
    void aSingleWriteOfAHeldItemGetsTransactionConflictExceptionAndReadsAndOtherItemsPass() throws Exception {
        admit(EU, "TransactWriteItems", transaction(update("inventory", SKU_KEY)));

        Admission update = admit(EU, "UpdateItem", "{\"TableName\":\"inventory\",\"Key\":" + SKU_KEY + "}");
        Admission put = admit(EU, "PutItem", "{\"TableName\":\"inventory\",\"Item\":{\"pk\":{\"S\":\"SKU#A\"},"
                + "\"sk\":{\"S\":\"PRODUCT\"},\"x\":{\"N\":\"1\"}}}");
        Admission delete = admit(EU, "DeleteItem", "{\"TableName\":\"inventory\",\"Key\":" + SKU_KEY + "}");

        for (Admission refused : List.of(update, put, delete)) {
            assertThat(refused).isInstanceOf(Admission.Refused.class);
            assertThat(JSON.readTree(((Admission.Refused) refused).body()).path("__type").asText())
                    .isEqualTo(TransactionConflicts.CONFLICT);
        }
        assertThat(admit(EU, "GetItem", "{\"TableName\":\"inventory\",\"Key\":" + SKU_KEY + "}"))
                .isInstanceOf(Admission.Admitted.class);
        assertThat(admit(EU, "UpdateItem", "{\"TableName\":\"inventory\",\"Key\":" + OTHER_SKU_KEY + "}"))
                .isInstanceOf(Admission.Admitted.class);
        assertThat(conflicts.counts().refusedWrites()).isEqualTo(3);
    }

    @Test
    void theSameKeyInAnotherRegionOrTableIsAnotherItem() {
        admit(EU, "TransactWriteItems", transaction(update("inventory", SKU_KEY)));

        assertThat(admit("us-east-1", "TransactWriteItems", transaction(update("inventory", SKU_KEY))))
                .isInstanceOf(Admission.Admitted.class);
        assertThat(admit(EU, "TransactWriteItems", transaction(update("inventory-2", SKU_KEY))))
                .isInstanceOf(Admission.Admitted.class);
    }

    /** Bad requests are moto's to refuse: admitted, nothing held. */
    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("not JSON", "TransactWriteItems", "{\"TransactItems\":["),
                Arguments.of("JSON but not an object", "TransactWriteItems", "[1,2]"),
                Arguments.of("no TransactItems", "TransactWriteItems", "{}"),
                Arguments.of("an action without a table", "TransactWriteItems",
                        "{\"TransactItems\":[{\"Update\":{\"Key\":" + SKU_KEY + "}}]}"),
                Arguments.of("a Put without its key attributes", "TransactWriteItems",
                        transaction(put("inventory", "{\"pk\":{\"S\":\"SKU#A\"}}"))),
                Arguments.of("an unknown action", "TransactWriteItems",
                        "{\"TransactItems\":[{\"Upsert\":{\"TableName\":\"inventory\",\"Key\":" + SKU_KEY + "}}]}"),
                Arguments.of("a single write without a key", "UpdateItem", "{\"TableName\":\"inventory\"}"),
                Arguments.of("empty body", "PutItem", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestsAreLeftToMotoAndHoldNothing(String name, String operation, String body) {
        Admission admission = admit(EU, operation, body);
        assertThat(admission).isInstanceOf(Admission.Admitted.class);
        assertThat(admit(EU, "TransactWriteItems", transaction(update("inventory", SKU_KEY))))
                .isInstanceOf(Admission.Admitted.class);
    }
}
