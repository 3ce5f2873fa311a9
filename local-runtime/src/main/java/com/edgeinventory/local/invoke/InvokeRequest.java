package com.edgeinventory.local.invoke;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.edgeinventory.local.template.FunctionDef;

/**
 * What to invoke.
 *
 * @param function  the resolved function (handler, CodeUri, memory, timeout)
 * @param eventJson the event, sent as is
 * @param variables the function's environment variables (template values with --env-vars applied)
 * @param region    AWS_REGION of the function
 * @param endpoint  the local AWS endpoint, exported as AWS_ENDPOINT_URL when present
 * @param credentials what Lambda gives the environment: the function's keys, or its container-credentials endpoint
 *                  under SnapStart ({@link FunctionIdentities})
 */
public record InvokeRequest(FunctionDef function, String eventJson, Map<String, String> variables, String region,
                            Optional<URI> endpoint, LambdaCredentials credentials) {

    /** A request with placeholder keys, for handlers run without a local IAM identity. */
    public InvokeRequest(FunctionDef function, String eventJson, Map<String, String> variables, String region,
                         Optional<URI> endpoint) {
        this(function, eventJson, variables, region, endpoint, LambdaCredentials.AccessKeys.PLACEHOLDER);
    }

    public InvokeRequest {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(eventJson, "eventJson");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
        variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    }
}
