package com.edgeinventory.central.handler;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.edgeinventory.model.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** Generated analytics requests as an IAM-authorized HTTP API ($default stage) hands them over, and body reading. */
final class AnalyticsEvents {

    static final List<String> FIXTURES = List.of("http-analytics-availability.json", "http-analytics-low-stock.json",
            "http-analytics-top-sellers.json", "http-analytics-velocity.json", "http-analytics-freshness.json");

    private AnalyticsEvents() {}

    /**
     * @param routeKey what API Gateway matched, e.g. {@code ANY /analytics/low-stock}, or {@code $default}
     * @param rawPath  the percent-encoded path
     * @param pathParameters decoded, as API Gateway gives them; null when none
     */
    static APIGatewayV2HTTPEvent event(String method, String routeKey, String rawPath, String rawQuery,
                                       Map<String, String> pathParameters) {
        APIGatewayV2HTTPEvent.RequestContext.IAM iam = APIGatewayV2HTTPEvent.RequestContext.IAM.builder()
                .withAccessKey("ASIAEXAMPLEANALYST01").withAccountId("123456789012")
                .withCallerId("AROAEXAMPLEANALYSTS:test").withUserId("AROAEXAMPLEANALYSTS:test")
                .withUserArn("arn:aws:sts::123456789012:assumed-role/analysts/test").build();
        APIGatewayV2HTTPEvent.RequestContext context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withAccountId("123456789012").withApiId("f6g7h8i9j0").withRouteKey(routeKey).withStage("$default")
                .withRequestId("req-1").withTimeEpoch(1_795_770_000_000L)
                .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withIam(iam).build())
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(rawPath)
                        .withProtocol("HTTP/1.1").withSourceIp("203.0.113.7").withUserAgent("test").build())
                .build();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0").withRouteKey(routeKey).withRawPath(rawPath).withRawQueryString(rawQuery)
                .withHeaders(Map.of("accept", "application/json"))
                .withPathParameters(pathParameters)
                .withRequestContext(context)
                .withIsBase64Encoded(false)
                .build();
    }

    /** A GET as API Gateway routes it to the matching {@code ANY} route, sku decoded into the path parameters. */
    static APIGatewayV2HTTPEvent get(String rawPath, String rawQuery) {
        String template;
        Map<String, String> pathParameters = null;
        if (rawPath.startsWith("/analytics/availability/") || rawPath.startsWith("/analytics/velocity/")) {
            int slash = rawPath.lastIndexOf('/');
            template = rawPath.substring(0, slash) + "/{sku}";
            pathParameters = Map.of("sku", java.net.URLDecoder.decode(rawPath.substring(slash + 1),
                    java.nio.charset.StandardCharsets.UTF_8));
        } else {
            template = rawPath;
        }
        return event("GET", "ANY " + template, rawPath, rawQuery, pathParameters);
    }

    static JsonNode body(APIGatewayV2HTTPResponse response) {
        try {
            return Json.mapper().readTree(response.getBody());
        } catch (JsonProcessingException e) {
            throw new AssertionError("response body is not JSON: " + response.getBody(), e);
        }
    }

    static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("bad expected JSON: " + text, e);
        }
    }
}
