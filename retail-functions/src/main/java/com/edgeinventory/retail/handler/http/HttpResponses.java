package com.edgeinventory.retail.handler.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.edgeinventory.model.Json;
import com.edgeinventory.model.Problem;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Map;

/** API Gateway HTTP API (payload 2.0) responses: JSON bodies, and problem details for errors. */
public final class HttpResponses {

    private HttpResponses() {}

    public static APIGatewayV2HTTPResponse json(int status, Object body) {
        return response(status, "application/json", body);
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
