package com.edgeinventory.retail.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.edgeinventory.inventory.store.InventoryTable;
import com.edgeinventory.model.Json;
import com.edgeinventory.model.Money;
import com.edgeinventory.model.Product;
import com.edgeinventory.model.Sequencer;
import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.LocalAwsExtension;
import com.edgeinventory.testing.TestLambdaContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(LocalAwsExtension.class)
class StockHandlerIT {

    static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");
    static final String SKU = "TR-RUN-42-BLU";

    InventoryTable inventory;
    StockHandler handler;

    @BeforeEach
    void setUp(LocalAws aws) {
        aws.reset();
        inventory = new InventoryTable(aws.dynamoDb(), aws.provision(Map.of()).physicalId("InventoryTable"));
        handler = new StockHandler(inventory, "eu-west-1");
        inventory.upsertProduct(product(SKU, 25), Sequencer.of("01"), T0);
    }

    static Product product(String sku, long stock) {
        return new Product(sku, "Trail Runner 42", "Lightweight trail running shoe.", "running-shoes",
                new Money(new BigDecimal("89.90"), "EUR"), "42", "blue", stock, "WH-MUC-1", "TR-RUN");
    }

    static APIGatewayV2HTTPEvent get(String sku) {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("http-get-stock.json");
        event.setPathParameters(Map.of("sku", sku));
        event.setRawPath("/v1/stock/" + sku);
        return event;
    }

    APIGatewayV2HTTPResponse send(APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, new TestLambdaContext());
    }

    @Test
    void theFixtureShowsLevelsPriceAndRegion() throws IOException {
        APIGatewayV2HTTPResponse response = send(EventLoader.loadApiGatewayHttpEvent("http-get-stock.json"));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(response.getBody());
        assertThat(body.get("sku").asText()).isEqualTo(SKU);
        assertThat(body.get("available").asLong()).isEqualTo(25);
        assertThat(body.get("reserved").asLong()).isZero();
        assertThat(body.get("sold").asLong()).isZero();
        assertThat(body.get("name").asText()).isEqualTo("Trail Runner 42");
        assertThat(body.at("/price/amount").asText()).isEqualTo("89.90");
        assertThat(body.at("/price/amount").isTextual()).isTrue();
        assertThat(body.at("/price/currency").asText()).isEqualTo("EUR");
        assertThat(body.get("region").asText()).isEqualTo("eu-west-1");
    }

    @Test
    void theReadMethodReturnsTheStockView() {
        assertThat(inventory.stock(SKU)).hasValueSatisfying(s -> {
            assertThat(s.available()).isEqualTo(25);
            assertThat(s.priceAmount()).isEqualTo("89.90");
            assertThat(s.deleted()).isFalse();
            assertThat(s.version()).isEqualTo(1);
        });
        assertThat(inventory.stock("NOPE-1")).isEmpty();
    }

    @Test
    void unknownAndDeletedSkusAre404() throws IOException {
        inventory.upsertProduct(product("GONE-1", 3), Sequencer.of("01"), T0);
        inventory.tombstoneProduct("GONE-1", Sequencer.of("02"), T0);

        APIGatewayV2HTTPResponse unknown = send(get("NOPE-1"));
        APIGatewayV2HTTPResponse deleted = send(get("GONE-1"));

        assertThat(unknown.getStatusCode()).isEqualTo(404);
        assertThat(unknown.getHeaders()).containsEntry("content-type", "application/problem+json");
        assertThat(deleted.getStatusCode()).isEqualTo(404);
        assertThat(Json.mapper().readTree(deleted.getBody()).get("type").asText()).endsWith("/not-found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ab", "tr-run-42", "-TR", "TR_RUN", "TR RUN", "A234567890123456789012345678901234567890X"})
    void aBadSkuIs400(String sku) throws IOException {
        APIGatewayV2HTTPResponse response = send(get(sku));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(Json.mapper().readTree(response.getBody()).get("field").asText()).isEqualTo("sku");
    }

    @Test
    void withoutACallerIs401() {
        APIGatewayV2HTTPEvent event = get(SKU);
        event.getRequestContext().setAuthorizer(null);

        assertThat(send(event).getStatusCode()).isEqualTo(401);
    }
}
