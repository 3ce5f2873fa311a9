package com.edgeinventory.local.apigw;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.edgeinventory.local.invoke.InvokeOutcome;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Maps a function's outcome to the HTTP response API Gateway would send (payload format 2.0).
 *
 * <p>A JSON object with {@code statusCode} is a structured response: {@code statusCode}, {@code headers},
 * {@code multiValueHeaders}, {@code cookies} (each a {@code Set-Cookie}) and {@code body}, base64-decoded when
 * {@code isBase64Encoded}; without a {@code content-type} header it is {@code application/json}. Any other JSON is
 * sent as is with status 200 and {@code content-type: application/json}. A structured response API Gateway cannot
 * read (statusCode not an integer from 100 to 599, body or headers of the wrong type, bad base64, not JSON at
 * all) is a 502; a function error, timeout or crash is a 500.
 */
final class HttpApiResponses {

    private HttpApiResponses() {
    }

    /**
     * A response to send.
     *
     * @param headers names as the function gave them, each with its values
     */
    record ApiResponse(int status, Map<String, List<String>> headers, byte[] body) {

        static ApiResponse message(int status, String message) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            headers.put("content-type", List.of("application/json"));
            return new ApiResponse(status, headers,
                    ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
        }

        static ApiResponse notFound() {
            return message(404, "Not Found");
        }

        static ApiResponse unauthorized() {
            return message(401, "Unauthorized");
        }

        static ApiResponse forbidden() {
            return message(403, "Forbidden");
        }

        static ApiResponse tooLarge() {
            return message(413, "Request Entity Too Large");
        }

        static ApiResponse internalError() {
            return message(500, "Internal Server Error");
        }

        static ApiResponse malformed() {
            return message(502, "Internal Server Error");
        }

        static ApiResponse unavailable() {
            return message(503, "Service Unavailable");
        }
    }

    static ApiResponse map(InvokeOutcome outcome) {
        if (!(outcome instanceof InvokeOutcome.Success success)) {
            return ApiResponse.internalError();
        }
        JsonNode json;
        try {
            json = HttpApiEvents.JSON.readTree(success.responseJson());
        } catch (JsonProcessingException e) {
            return ApiResponse.malformed();
        }
        if (json == null || json.isMissingNode()) {
            return ApiResponse.malformed();
        }
        if (!json.isObject() || !json.has("statusCode")) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            headers.put("content-type", List.of("application/json"));
            String text = json.isTextual() ? json.textValue() : json.toString();
            return new ApiResponse(200, headers, text.getBytes(StandardCharsets.UTF_8));
        }
        return structured(json);
    }

    private static ApiResponse structured(JsonNode json) {
        JsonNode code = json.get("statusCode");
        int status;
        if (code.isIntegralNumber()) {
            status = code.asInt();
        } else if (code.isTextual() && code.textValue().matches("\\d{3}")) {
            status = Integer.parseInt(code.textValue());
        } else {
            return ApiResponse.malformed();
        }
        if (status < 100 || status > 599) {
            return ApiResponse.malformed();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        JsonNode single = json.get("headers");
        if (single != null && !single.isNull()) {
            if (!single.isObject()) {
                return ApiResponse.malformed();
            }
            for (var field : single.properties()) {
                if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                    return ApiResponse.malformed();
                }
                headers.computeIfAbsent(field.getKey(), k -> new ArrayList<>()).add(field.getValue().asText());
            }
        }
        JsonNode multi = json.get("multiValueHeaders");
        if (multi != null && !multi.isNull()) {
            if (!multi.isObject()) {
                return ApiResponse.malformed();
            }
            for (var field : multi.properties()) {
                if (!field.getValue().isArray()) {
                    return ApiResponse.malformed();
                }
                List<String> values = headers.computeIfAbsent(field.getKey(), k -> new ArrayList<>());
                for (JsonNode v : field.getValue()) {
                    if (!v.isValueNode() || v.isNull()) {
                        return ApiResponse.malformed();
                    }
                    values.add(v.asText());
                }
            }
        }
        JsonNode cookies = json.get("cookies");
        if (cookies != null && !cookies.isNull()) {
            if (!cookies.isArray()) {
                return ApiResponse.malformed();
            }
            List<String> setCookie = headers.computeIfAbsent("set-cookie", k -> new ArrayList<>());
            for (JsonNode c : cookies) {
                if (!c.isTextual()) {
                    return ApiResponse.malformed();
                }
                setCookie.add(c.textValue());
            }
        }
        if (headers.keySet().stream().noneMatch("content-type"::equalsIgnoreCase)) {
            headers.put("content-type", List.of("application/json"));
        }
        JsonNode body = json.get("body");
        byte[] bytes = new byte[0];
        if (body != null && !body.isNull()) {
            if (!body.isTextual()) {
                return ApiResponse.malformed();
            }
            if (json.path("isBase64Encoded").asBoolean(false)) {
                try {
                    bytes = Base64.getMimeDecoder().decode(body.textValue());
                } catch (IllegalArgumentException e) {
                    return ApiResponse.malformed();
                }
            } else {
                bytes = body.textValue().getBytes(StandardCharsets.UTF_8);
            }
        }
        return new ApiResponse(status, headers, bytes);
    }
}
