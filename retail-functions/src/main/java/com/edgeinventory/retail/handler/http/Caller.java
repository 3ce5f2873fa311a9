package com.edgeinventory.retail.handler.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.Map;
import java.util.Optional;

/**
 * The device that made a request, as the Lambda authorizer established it. Handlers take the store from here,
 * from {@code requestContext.authorizer.lambda}, and never from the request body or path.
 */
public record Caller(String storeId, String deviceId) {

    public static Optional<Caller> of(APIGatewayV2HTTPEvent event) {
        if (event.getRequestContext() == null || event.getRequestContext().getAuthorizer() == null) {
            return Optional.empty();
        }
        Map<String, Object> lambda = event.getRequestContext().getAuthorizer().getLambda();
        if (lambda == null || !(lambda.get("storeId") instanceof String store) || store.isBlank()
                || !(lambda.get("deviceId") instanceof String device) || device.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new Caller(store, device));
    }
}
