package com.edgeinventory.local.iam;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A raw HTTP request to the local AWS endpoint, as a proxy receives it.
 *
 * @param method   {@code GET}, {@code PUT} ...
 * @param rawPath  the path, still percent-encoded ({@code URI.getRawPath()})
 * @param rawQuery the query string, still percent-encoded, or empty
 * @param headers  the request headers (names compared case-insensitively)
 * @param body     the request body, empty when none
 */
public record AwsHttpRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
        byte[] body) {

    public AwsHttpRequest {
        Objects.requireNonNull(method, "method");
        rawPath = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        rawQuery = rawQuery == null ? "" : rawQuery;
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> {
            if (k != null) {
                h.put(k, List.copyOf(v));
            }
        });
        headers = java.util.Collections.unmodifiableMap(h);
        body = body == null ? new byte[0] : body;
    }

    /** The first value of a header. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.getFirst());
    }
}
