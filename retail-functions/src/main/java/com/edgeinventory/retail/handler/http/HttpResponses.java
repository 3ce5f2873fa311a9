package com.edgeinventory.retail.handler.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.edgeinventory.model.Json;
import com.edgeinventory.model.Problem;
import com.edgeinventory.retail.service.Reply;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Map;

/** API Gateway HTTP API (payload 2.0) responses: JSON bodies, and problem details for errors. */
public final class HttpResponses {

    private HttpResponses() {}

    public static APIGatewayV2HTTPResponse json(int status, Object body) {
        return response(status, "application/json", body);
    }

    /**
     * A service's reply, its body sent as decided (an idempotent replay returns the very same bytes), marked with
     * {@code idempotent-replayed: true} when it is a replay.
     */
    public static APIGatewayV2HTTPResponse reply(Reply reply, boolean replayed) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("content-type", reply.contentType());
        if (replayed) {
            headers.put("idempotent-replayed", "true");
        }
        return APIGatewayV2HTTPResponse.builder().withStatusCode(reply.status()).withHeaders(headers)
                .withBody(reply.body()).build();
    }

    public static APIGatewayV2HTTPResponse problem(Problem problem) {
        return response(problem.status(), Problem.CONTENT_TYPE, problem.body());
    }

    private static APIGatewayV2HTTPResponse response(int status, String contentType, Object body) {
        String text;
        try {
            text = Json.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize response " + body.getClass().getName(), e);
        }
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(Map.of("content-type", contentType))
                .withBody(text)
                .build();
    }
}
