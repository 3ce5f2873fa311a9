package com.edgeinventory.cli.analytics;

import com.edgeinventory.local.apigw.HttpApiEvents;
import com.edgeinventory.local.system.Json;

import java.time.Instant;
import java.util.Map;

import com.edgeinventory.cli.analytics.AnalyticsQuery.AnalyticsRequest;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The API Gateway HTTP API (payload format 2.0) event of a GET through an IAM-authorized route, as API Gateway
 * would hand it to the function: the shape of {@code events/http-get-stock.json}, with
 * {@code requestContext.authorizer.iam} in place of a Lambda authorizer's context. Optional members that API
 * Gateway leaves out when empty ({@code queryStringParameters}, {@code pathParameters}) are left out too.
 */
public final class HttpApiEvent {

    public static final String USER_AGENT = "edge-inventory-cli";
    public static final String API_ID = "local";
    public static final String SOURCE_IP = "127.0.0.1";
    /** The IAM principal a local invocation runs as. */
    public static final String LOCAL_USER = "local-analyst";
    public static final String LOCAL_USER_ID = "AIDALOCALANALYST0000";

    private HttpApiEvent() {
    }

    /**
     * @param region    the central region (in the domain name)
     * @param accountId the account of the caller and the API
     * @param accessKey the caller's access key id, as the IAM authorizer reports it
     */
    public static ObjectNode iamGet(AnalyticsRequest request, String region, String accountId, String accessKey,
                             Instant now, String requestId) {
        String domainName = API_ID + ".execute-api." + region + ".amazonaws.com";
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", request.routeKey());
        event.put("rawPath", request.rawPath());
        event.put("rawQueryString", request.rawQueryString());
        ObjectNode headers = event.putObject("headers");
        headers.put("accept", "application/json");
        headers.put("host", domainName);
        headers.put("user-agent", USER_AGENT);
        headers.put("x-forwarded-for", SOURCE_IP);
        headers.put("x-forwarded-port", "443");
        headers.put("x-forwarded-proto", "https");
        putIfAny(event, "queryStringParameters", request.queryParameters());

        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", accountId);
        context.put("apiId", API_ID);
        ObjectNode iam = context.putObject("authorizer").putObject("iam");
        iam.put("accessKey", accessKey);
        iam.put("accountId", accountId);
        iam.put("callerId", LOCAL_USER_ID);
        iam.putNull("cognitoIdentity");
        iam.putNull("principalOrgId");
        iam.put("userArn", "arn:aws:iam::" + accountId + ":user/" + LOCAL_USER);
        iam.put("userId", LOCAL_USER_ID);
        context.put("domainName", domainName);
        context.put("domainPrefix", API_ID);
        ObjectNode http = context.putObject("http");
        http.put("method", "GET");
        http.put("path", request.rawPath());
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", SOURCE_IP);
        http.put("userAgent", USER_AGENT);
        context.put("requestId", requestId);
        context.put("routeKey", request.routeKey());
        context.put("stage", "$default");
        HttpApiEvents.stampReceived(context, now);

        putIfAny(event, "pathParameters", request.pathParameters());
        event.put("isBase64Encoded", false);
        return event;
    }

    private static void putIfAny(ObjectNode event, String name, Map<String, String> values) {
        if (!values.isEmpty()) {
            ObjectNode node = event.putObject(name);
            values.forEach(node::put);
        }
    }
}
