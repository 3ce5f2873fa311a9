package com.edgeinventory.bench.coldstart;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.edgeinventory.retail.handler.TransactionHandler;
import java.util.HashMap;
import java.util.Map;

/**
 * A fresh JVM until {@link TransactionHandler} has answered the first checkout: the constructor Lambda calls (clients
 * and tables from the environment), then add item and checkout for a new clientId, as two API Gateway v2 events built
 * in code with the authorizer context {storeId, deviceId}. Run it with the shaded function jar on the classpath:
 *
 * <pre>java -cp coldstart-bench.jar:retail-functions.jar com.edgeinventory.bench.coldstart.CheckoutColdStart SKU CLIENT_ID</pre>
 *
 * <p>Exits 1 unless add item answered 201 and checkout 200. Prints {@code done_epoch_ms} (wall clock when the
 * checkout response is there) for run.sh, and init_ms (constructor), add_ms, checkout_ms.
 */
public final class CheckoutColdStart {

    private CheckoutColdStart() {}

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        String sku = args[0];
        String clientId = args[1];
        TransactionHandler handler = new TransactionHandler();
        long t1 = System.nanoTime();
        APIGatewayV2HTTPResponse added = handler.handleRequest(event("POST /v1/transactions/{clientId}/items",
                "/v1/transactions/" + clientId + "/items", clientId, clientId + "-add",
                "{\"sku\":\"" + sku + "\",\"qty\":1}"), null);
        long t2 = System.nanoTime();
        APIGatewayV2HTTPResponse checkedOut = handler.handleRequest(event("POST /v1/transactions/{clientId}/checkout",
                "/v1/transactions/" + clientId + "/checkout", clientId, clientId + "-checkout", null), null);
        long t3 = System.nanoTime();
        long done = System.currentTimeMillis();
        boolean ok = added.getStatusCode() == 201 && checkedOut.getStatusCode() == 200;
        System.out.println("outcome=" + (ok ? "CHECKED_OUT" : "FAILED") + " done_epoch_ms=" + done
                + " init_ms=" + (t1 - t0) / 1_000_000 + " add_ms=" + (t2 - t1) / 1_000_000
                + " checkout_ms=" + (t3 - t2) / 1_000_000
                + (ok ? "" : " add=" + added.getStatusCode() + " " + added.getBody()
                        + " checkout=" + checkedOut.getStatusCode() + " " + checkedOut.getBody()));
        System.exit(ok ? 0 : 1);
    }

    private static APIGatewayV2HTTPEvent event(String routeKey, String path, String clientId, String key, String body) {
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", "application/json");
        headers.put("idempotency-key", key);
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0").withRouteKey(routeKey).withRawPath(path).withRawQueryString("")
                .withHeaders(headers).withPathParameters(Map.of("clientId", clientId))
                .withBody(body).withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRouteKey(routeKey).withStage("$default").withRequestId(key)
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod("POST").withPath(path).withProtocol("HTTP/1.1").build())
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withLambda(Map.of("storeId", "STORE-MUC-01", "deviceId", "POS-01")).build())
                        .build())
                .build();
    }
}
