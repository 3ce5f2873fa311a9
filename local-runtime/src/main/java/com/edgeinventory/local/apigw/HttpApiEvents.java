package com.edgeinventory.local.apigw;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the payload format 2.0 events API Gateway hands to functions: the integration event (shape of
 * {@code events/http-get-stock.json}) and the Lambda authorizer's REQUEST event (shape of
 * {@code events/http-authorizer-request.json}). Pure: the request, the time and the request id come in.
 */
public final class HttpApiEvents {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private HttpApiEvents() {
    }

    /**
     * A request as received.
     *
     * @param method    upper-case
     * @param rawPath   as sent, percent-encoded
     * @param rawQuery  as sent without {@code ?}, empty when none
     * @param headers   lower-case names with their values in order (repeated headers keep every value)
     * @param sourceIp  the client's address
     * @param protocol  e.g. {@code HTTP/1.1}
     * @param body      empty when none
     */
    record ApiRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                      String sourceIp, String protocol, byte[] body) {
        ApiRequest {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(rawPath, "rawPath");
            rawQuery = rawQuery == null ? "" : rawQuery;
            Map<String, List<String>> copy = new LinkedHashMap<>();
            headers.forEach((k, v) -> copy.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>())
                    .addAll(v));
            headers = java.util.Collections.unmodifiableMap(copy);
            body = body == null ? new byte[0] : body;
        }

        Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(String.join(",", values));
        }

        /** Query parameters, decoded, repeated values in order. */
        Map<String, List<String>> query() {
            Map<String, List<String>> params = new LinkedHashMap<>();
            if (rawQuery.isEmpty()) {
                return params;
            }
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
            return params;
        }

        /** The path, decoded. */
        String path() {
            return decode(rawPath.replace("+", "%2B"));
        }
    }

    /**
     * Where the request arrived.
     *
     * @param apiId     API id (also the domain prefix)
     * @param region    the API's region
     * @param accountId the API's account
     */
    record ApiContext(String apiId, String region, String accountId) {
        String domainName() {
            return apiId + ".execute-api." + region + ".amazonaws.com";
        }

        /** {@code arn:aws:execute-api:{region}:{account}:{apiId}/$default/{METHOD}{path}}. */
        String routeArn(String method, String rawPath) {
            return "arn:aws:execute-api:" + region + ":" + accountId + ":" + apiId + "/$default/" + method + rawPath;
        }
    }

    /**
     * The integration event.
     *
     * @param authorizer the {@code requestContext.authorizer} object, or null for an open route
     */
    static ObjectNode integrationEvent(ApiRequest request, HttpApiRoutes.Match match, ApiContext api,
                                       JsonNode authorizer, Instant now, String requestId) {
        ObjectNode event = common(request, match, api, now, requestId, authorizer);
        event.put("isBase64Encoded", false);
        if (request.body().length > 0) {
            if (isText(request.header("content-type").orElse(""))) {
                event.put("body", new String(request.body(), StandardCharsets.UTF_8));
            } else {
                event.put("body", Base64.getEncoder().encodeToString(request.body()));
                event.put("isBase64Encoded", true);
            }
        }
        return event;
    }

    /** The Lambda authorizer's event (payload format 2.0, type REQUEST). */
    static ObjectNode authorizerEvent(ApiRequest request, HttpApiRoutes.Match match, ApiContext api,
                                      List<String> identitySource, Instant now, String requestId) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("type", "REQUEST");
        event.put("routeArn", api.routeArn(request.method(), request.rawPath()));
        identitySource.forEach(event.putArray("identitySource")::add);
        ObjectNode common = common(request, match, api, now, requestId, null);
        common.remove("version");
        event.setAll(common);
        return event;
    }

    /** The values of the identity sources, or empty when one is missing (API Gateway then answers 401). */
    static Optional<List<String>> identityValues(ApiRequest request, HttpApiRoutes.Match match, ApiContext api,
                                                 List<String> sources) {
        List<String> values = new ArrayList<>();
        Map<String, List<String>> query = request.query();
        for (String source : sources) {
            String value = null;
            if (source.startsWith("$request.header.")) {
                value = request.header(source.substring("$request.header.".length())).orElse(null);
            } else if (source.startsWith("$request.querystring.")) {
                List<String> v = query.get(source.substring("$request.querystring.".length()));
                value = v == null ? null : String.join(",", v);
            } else if (source.startsWith("$context.")) {
                value = switch (source.substring("$context.".length())) {
                    case "routeKey" -> match.route().routeKey();
                    case "apiId" -> api.apiId();
                    case "stage" -> "$default";
                    case "httpMethod" -> request.method();
                    case "path" -> request.path();
                    case "identity.sourceIp" -> request.sourceIp();
                    default -> null;
                };
            }
            if (value == null || value.isEmpty()) {
                return Optional.empty();
            }
            values.add(value);
        }
        return Optional.of(values);
    }

    /**
     * Stamps an HTTP API (payload 2.0) {@code requestContext} with when API Gateway received the request:
     * {@code time} (CLF, e.g. {@code 27/Nov/2026:08:00:00 +0000}) and {@code timeEpoch} (ms), which the functions
     * date what the request does by.
     */
    public static ObjectNode stampReceived(ObjectNode requestContext, Instant at) {
        return requestContext.put("time", TIME.format(at)).put("timeEpoch", at.toEpochMilli());
    }

    private static ObjectNode common(ApiRequest request, HttpApiRoutes.Match match, ApiContext api, Instant now,
                                     String requestId, JsonNode authorizer) {
        String routeKey = match.route().routeKey();
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", request.rawPath());
        event.put("rawQueryString", request.rawQuery());
        List<String> cookies = new ArrayList<>();
        ObjectNode headers = JSON.createObjectNode();
        request.headers().forEach((name, values) -> {
            if (name.equals("cookie")) {
                values.forEach(v -> {
                    for (String c : v.split(";")) {
                        if (!c.isBlank()) {
                            cookies.add(c.trim());
                        }
                    }
                });
            } else {
                headers.put(name, String.join(",", values));
            }
        });
        if (!cookies.isEmpty()) {
            cookies.forEach(event.putArray("cookies")::add);
        }
        event.set("headers", headers);
        Map<String, List<String>> query = request.query();
        if (!query.isEmpty()) {
            ObjectNode q = event.putObject("queryStringParameters");
            query.forEach((k, v) -> q.put(k, String.join(",", v)));
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", api.accountId());
        context.put("apiId", api.apiId());
        if (authorizer != null) {
            context.set("authorizer", authorizer);
        }
        context.put("domainName", api.domainName());
        context.put("domainPrefix", api.apiId());
        ObjectNode http = context.putObject("http");
        http.put("method", request.method());
        http.put("path", request.path());
        http.put("protocol", request.protocol());
        http.put("sourceIp", request.sourceIp());
        http.put("userAgent", request.header("user-agent").orElse(""));
        context.put("requestId", requestId);
        context.put("routeKey", routeKey);
        context.put("stage", "$default");
        stampReceived(context, now);
        if (!match.pathParameters().isEmpty()) {
            ObjectNode p = event.putObject("pathParameters");
            match.pathParameters().forEach(p::put);
        }
        return event;
    }

    /**
     * Whether API Gateway passes a body of this content type as text; everything else (including no content type
     * and {@code application/x-www-form-urlencoded}) arrives base64-encoded.
     */
    static boolean isText(String contentType) {
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json")
                || type.equals("application/xml") || type.endsWith("+xml") || type.equals("application/javascript")
                || type.equals("application/ld+json");
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
