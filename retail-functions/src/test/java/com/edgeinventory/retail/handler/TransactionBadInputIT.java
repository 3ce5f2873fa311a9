package com.edgeinventory.retail.handler;

import static com.edgeinventory.retail.handler.TransactionFixture.STORE_A;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.LocalAwsExtension;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input: 400 (or 413) problem+json naming the field, and nothing written to any table. */
@ExtendWith(LocalAwsExtension.class)
class TransactionBadInputIT {

    static final String SKU = "TR-RUN-42-BLU";
    static final String KEY = "key-bad-0001";
    static final String ADD = TransactionHandler.ADD;
    static final String SALE = TransactionHandler.SALE;
    static final Map<String, String> CLIENT = Map.of("clientId", "basket-1");

    static TransactionFixture fx;

    @BeforeAll
    static void setUp(LocalAws aws) {
        fx = new TransactionFixture(aws);
        fx.product(SKU, 25);
        // An open transaction, so that checkout/cancel/remove would have something to change.
        assertThat(fx.add(STORE_A, "basket-1", SKU, 2, "key-seed-0001").getStatusCode()).isEqualTo(201);
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    record Case(String name, String route, Map<String, String> path, String key, String body, boolean base64,
                int status, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, String route, Map<String, String> path, String key, String body, int status, String field) {
        return new Case(name, route, path, key, body, false, status, field);
    }

    static Case add(String name, String body, String field) {
        return c(name, ADD, CLIENT, KEY, body, 400, field);
    }

    static Case sale(String name, String body, String field) {
        return c(name, SALE, Map.of(), KEY, body, 400, field);
    }

    static String line(int i) {
        return "{\"sku\":\"" + SKU + "\",\"qty\":1}";
    }

    static Stream<Arguments> cases() {
        String big = "{\"sku\":\"" + SKU + "\",\"qty\":1,\"pad\":\"" + "x".repeat(17 * 1024) + "\"}";
        String nonUtf8 = Base64.getEncoder().encodeToString(new byte[] {'{', '"', 's', 'k', 'u', '"', ':', '"',
                (byte) 0xC3, (byte) 0x28, '"', '}'});
        return Stream.of(
                c("add without Idempotency-Key", ADD, CLIENT, null, "{\"sku\":\"" + SKU + "\",\"qty\":1}", 400, "Idempotency-Key"),
                c("add with a 5-character key", ADD, CLIENT, "short", "{\"sku\":\"" + SKU + "\",\"qty\":1}", 400, "Idempotency-Key"),
                c("add with a key holding spaces", ADD, CLIENT, "key with space", "{\"sku\":\"" + SKU + "\",\"qty\":1}", 400, "Idempotency-Key"),
                c("add with a 129-character key", ADD, CLIENT, "k".repeat(129), "{\"sku\":\"" + SKU + "\",\"qty\":1}", 400, "Idempotency-Key"),
                c("add with a bad clientId", ADD, Map.of("clientId", "bad id!"), KEY, "{\"sku\":\"" + SKU + "\",\"qty\":1}", 400, "clientId"),
                c("add with a 65-character clientId", ADD, Map.of("clientId", "c".repeat(65)), KEY, "{\"sku\":\"" + SKU + "\",\"qty\":1}", 400, "clientId"),
                add("add with an empty body", "", "body"),
                add("add with malformed JSON", "{\"sku\":", "body"),
                add("add with an array body", "[]", "body"),
                add("add with a string body", "\"hello\"", "body"),
                add("add with an unknown field", "{\"sku\":\"" + SKU + "\",\"qty\":1,\"price\":1}", "/price"),
                add("add with a duplicate key", "{\"sku\":\"" + SKU + "\",\"sku\":\"TR-RUN-43-RED\",\"qty\":1}", "/sku"),
                add("add with a numeric sku", "{\"sku\":42,\"qty\":1}", "/sku"),
                add("add with a lower-case sku", "{\"sku\":\"tr-run-42\",\"qty\":1}", "/sku"),
                add("add with a 2-character sku", "{\"sku\":\"AB\",\"qty\":1}", "/sku"),
                add("add without sku", "{\"qty\":1}", "/sku"),
                add("add with qty 0", "{\"sku\":\"" + SKU + "\",\"qty\":0}", "/qty"),
                add("add with qty 51", "{\"sku\":\"" + SKU + "\",\"qty\":51}", "/qty"),
                add("add with qty -1", "{\"sku\":\"" + SKU + "\",\"qty\":-1}", "/qty"),
                add("add with qty 1.5", "{\"sku\":\"" + SKU + "\",\"qty\":1.5}", "/qty"),
                add("add with qty as a string", "{\"sku\":\"" + SKU + "\",\"qty\":\"2\"}", "/qty"),
                add("add with a 24-digit qty", "{\"sku\":\"" + SKU + "\",\"qty\":100000000000000000000000}", "/qty"),
                add("add with qty null", "{\"sku\":\"" + SKU + "\",\"qty\":null}", "/qty"),
                add("add without qty", "{\"sku\":\"" + SKU + "\"}", "/qty"),
                add("add as an alternative for a lower-case sku", "{\"sku\":\"" + SKU
                        + "\",\"qty\":1,\"alternativeFor\":\"tr-run-43\"}", "/alternativeFor"),
                add("add as an alternative for a number", "{\"sku\":\"" + SKU
                        + "\",\"qty\":1,\"alternativeFor\":43}", "/alternativeFor"),
                add("add as an alternative for itself", "{\"sku\":\"" + SKU
                        + "\",\"qty\":1,\"alternativeFor\":\"" + SKU + "\"}", "/alternativeFor"),
                add("add with trailing data", "{\"sku\":\"" + SKU + "\",\"qty\":1} {}", "body"),
                add("add with NaN", "{\"sku\":\"" + SKU + "\",\"qty\":NaN}", "body"),
                new Case("add with invalid UTF-8", ADD, CLIENT, KEY, nonUtf8, true, 400, "body"),
                c("add over 16 KiB", ADD, CLIENT, KEY, big, 413, null),
                c("remove with a bad sku", TransactionHandler.REMOVE, Map.of("clientId", "basket-1", "sku", "bad_sku"), KEY, null, 400, "sku"),
                c("remove with a body", TransactionHandler.REMOVE, Map.of("clientId", "basket-1", "sku", SKU), KEY, "{\"x\":1}", 400, "/x"),
                c("checkout with an unknown field", TransactionHandler.CHECKOUT, CLIENT, KEY, "{\"force\":true}", 400, "/force"),
                c("checkout without Idempotency-Key", TransactionHandler.CHECKOUT, CLIENT, null, null, 400, "Idempotency-Key"),
                c("cancel with malformed JSON", TransactionHandler.CANCEL, CLIENT, KEY, "{", 400, "body"),
                c("get with a bad clientId", TransactionHandler.GET, Map.of("clientId", "a/b"), null, null, 400, "clientId"),
                sale("sale without lines", "{}", "/lines"),
                sale("sale with no lines", "{\"lines\":[]}", "/lines"),
                sale("sale with 51 lines", "{\"lines\":[" + IntStream.range(0, 51).mapToObj(TransactionBadInputIT::line)
                        .collect(Collectors.joining(",")) + "]}", "/lines"),
                sale("sale with lines as an object", "{\"lines\":{\"sku\":\"" + SKU + "\",\"qty\":1}}", "/lines"),
                sale("sale with a line that is a number", "{\"lines\":[1]}", "/lines/0"),
                sale("sale with qty 0 in a line", "{\"lines\":[{\"sku\":\"" + SKU + "\",\"qty\":0}]}", "/lines/0/qty"),
                sale("sale with an unknown field in line 2", "{\"lines\":[" + line(0) + ",{\"sku\":\"" + SKU
                        + "\",\"qty\":1,\"color\":\"red\"}]}", "/lines/1/color"),
                sale("sale with a bad customerId", "{\"lines\":[" + line(0) + "],\"customerId\":\"a b\"}", "/customerId"),
                sale("sale with a numeric customerId", "{\"lines\":[" + line(0) + "],\"customerId\":7}", "/customerId"),
                sale("sale with a duplicate key in a line", "{\"lines\":[{\"sku\":\"" + SKU + "\",\"qty\":1,\"qty\":2}]}", "/lines/0/qty"),
                sale("sale with an unknown top-level field", "{\"lines\":[" + line(0) + "],\"storeId\":\"STORE-BER-02\"}", "/storeId"),
                c("sale over 16 KiB", SALE, Map.of(), KEY, "{\"lines\":[" + IntStream.range(0, 600)
                        .mapToObj(TransactionBadInputIT::line).collect(Collectors.joining(",")) + "]}", 413, null),
                c("unknown route", "PATCH /v1/transactions/{clientId}", CLIENT, KEY, null, 404, null))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRejectedAndWritesNothing(Case c) {
        var before = fx.everything();
        APIGatewayV2HTTPEvent event = TransactionFixture.event(STORE_A, c.route(), c.path(), c.key(), c.body());
        event.setIsBase64Encoded(c.base64());

        APIGatewayV2HTTPResponse response = fx.send(event);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(c.status());
        assertThat(response.getHeaders().get("content-type")).isEqualTo("application/problem+json");
        JsonNode problem = TransactionFixture.json(response);
        assertThat(problem.get("type").asText()).startsWith("https://edge-inventory.example/problems/");
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("status").asInt()).isEqualTo(c.status());
        assertThat(problem.get("detail").asText()).isNotBlank();
        if (c.field() != null) {
            assertThat(problem.get("field")).as(response.getBody()).isNotNull();
            assertThat(problem.get("field").asText()).isEqualTo(c.field());
        }
        assertThat(fx.everything()).isEqualTo(before);
    }
}
