package com.edgeinventory.local.iam;

import java.util.List;
import java.util.Objects;

/**
 * What IAM would check for one request.
 *
 * @param status      whether the request was read
 * @param protocol    the service protocol, which decides the shape of an {@link AccessDenied} answer; empty for an
 *                    unknown service
 * @param accessKeyId the access key id of the SigV4 credential scope (which function is calling), or empty
 * @param region      the region of the credential scope, or empty
 * @param operation   the API operation, e.g. {@code PutItem}, or empty
 * @param checks      the (action, resource) pairs IAM checks, in request order; empty unless {@link #evaluated()}
 * @param reason      why the request was not evaluated or not readable; empty when evaluated
 */
public record RequestActions(
        Status status,
        java.util.Optional<AccessDenied.Protocol> protocol,
        String accessKeyId,
        String region,
        String operation,
        List<ActionCheck> checks,
        String reason) {

    public enum Status {
        /** The request was read: {@link #checks()} is what IAM checks. */
        EVALUATED,
        /** A request of a service or operation this check does not model: pass it through (and log it). */
        NOT_EVALUATED,
        /** A request to a modelled service that could not be read (malformed body, missing name, CBOR). */
        UNREADABLE
    }

    public RequestActions {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(protocol, "protocol");
        accessKeyId = accessKeyId == null ? "" : accessKeyId;
        region = region == null ? "" : region;
        operation = operation == null ? "" : operation;
        checks = List.copyOf(checks);
        reason = reason == null ? "" : reason;
    }

    public boolean evaluated() {
        return status == Status.EVALUATED;
    }
}
