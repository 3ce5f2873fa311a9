package com.edgeinventory.retail.handler.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.edgeinventory.retail.service.RequestFingerprint;

/** Reading API Gateway HTTP API (payload 2.0) requests. */
public final class Requests {

    /** Bodies larger than this get 413 before they are parsed. */
    public static final int MAX_BODY_BYTES = 16 * 1024;

    private Requests() {}

    /** The raw body bytes: API Gateway base64-encodes bodies that are not valid UTF-8 text. */
    public static byte[] body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        if (event.getIsBase64Encoded()) {
            try {
                return Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                return body.getBytes(StandardCharsets.UTF_8);
            }
        }
        return body.getBytes(StandardCharsets.UTF_8);
    }

    /** A header, by case-insensitive name (API Gateway lower-cases them; tests may not). */
    public static Optional<String> header(APIGatewayV2HTTPEvent event, String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return Optional.empty();
        }
        String wanted = name.toLowerCase(Locale.ROOT);
        return headers.entrySet().stream()
                .filter(e -> e.getKey() != null && e.getKey().toLowerCase(Locale.ROOT).equals(wanted))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /**
     * When API Gateway received the request ({@code requestContext.timeEpoch}); empty when the event has none.
     * Purchases and refusals are stamped with it rather than the function's clock, so a request is dated by its
     * arrival, and the local stack's simulated clock ({@code demo --days}) dates what the stores do.
     */
    public static Optional<Instant> receivedAt(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        return context == null || context.getTimeEpoch() <= 0 ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(context.getTimeEpoch()));
    }

    public static Optional<String> pathParameter(APIGatewayV2HTTPEvent event, String name) {
        Map<String, String> params = event.getPathParameters();
        return params == null ? Optional.empty() : Optional.ofNullable(params.get(name));
    }

    /**
     * The fingerprint an idempotency record stores for this request: the route key's method and its path with the
     * path parameters filled in (the path the client called), the caller's store and the body bytes. Call it once
     * the path parameters are validated.
     */
    public static String fingerprint(APIGatewayV2HTTPEvent event, String storeId, byte[] body) {
        String routeKey = event.getRouteKey() == null ? "" : event.getRouteKey();
        int space = routeKey.indexOf(' ');
        String method = space < 0 ? "" : routeKey.substring(0, space);
        StringBuilder path = new StringBuilder();
        java.util.regex.Matcher parameter = java.util.regex.Pattern.compile("\\{([^}]+)}")
                .matcher(routeKey.substring(space + 1));
        while (parameter.find()) {
            parameter.appendReplacement(path, java.util.regex.Matcher.quoteReplacement(
                    pathParameter(event, parameter.group(1)).orElse("")));
        }
        parameter.appendTail(path);
        return RequestFingerprint.of(method, storeId, path.toString(), body);
    }
}
