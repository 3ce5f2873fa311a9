package com.edgeinventory.retail.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.edgeinventory.inventory.store.InventoryTable;
import com.edgeinventory.inventory.store.StockView;
import com.edgeinventory.model.UploadKey;
import com.edgeinventory.retail.handler.http.Caller;
import com.edgeinventory.retail.handler.http.HttpResponses;
import com.edgeinventory.model.Problem;
import com.edgeinventory.retail.handler.http.Requests;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /v1/stock/{sku}}: the levels and price of a live product in this region. Unknown and deleted skus
 * are 404. Reads only.
 */
public final class StockHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    static final String ROUTE = "GET /v1/stock/{sku}";

    private final InventoryTable inventory;
    private final String region;

    /** Lambda's constructor: table, client and region from the environment. */
    public StockHandler() {
        this(new InventoryTable(RetailClients.dynamoDb(), RetailClients.requiredEnv("INVENTORY_TABLE")),
                RetailClients.requiredEnv("AWS_REGION"));
        Priming.register(Priming.stock(this, region));
    }

    StockHandler(InventoryTable inventory, String region) {
        this.inventory = Objects.requireNonNull(inventory);
        this.region = Objects.requireNonNull(region);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (!ROUTE.equals(event.getRouteKey())) {
            return HttpResponses.problem(Problem.notFound("no route " + event.getRouteKey()));
        }
        if (Caller.of(event).isEmpty()) {
            return HttpResponses.problem(Problem.unauthorized());
        }
        String sku = Requests.pathParameter(event, "sku").orElse("");
        if (!UploadKey.SKU.matcher(sku).matches()) {
            return HttpResponses.problem(Problem.badRequest(
                    "a sku is 3-40 upper-case letters, digits or '-', starting with a letter or digit", "sku"));
        }
        Optional<StockView> stock = inventory.stock(sku).filter(s -> !s.deleted());
        if (stock.isEmpty()) {
            return HttpResponses.problem(Problem.notFound("no product " + sku + " in " + region));
        }
        return HttpResponses.json(200, view(stock.get(), region));
    }

    /** The stock levels as the API shows them. */
    static Map<String, Object> view(StockView s, String region) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sku", s.sku());
        body.put("available", s.available());
        body.put("reserved", s.reserved());
        body.put("sold", s.sold());
        body.put("name", s.name());
        Map<String, Object> price = new LinkedHashMap<>();
        price.put("amount", s.priceAmount());
        price.put("currency", s.currency());
        body.put("price", price);
        body.put("region", region);
        return body;
    }
}
