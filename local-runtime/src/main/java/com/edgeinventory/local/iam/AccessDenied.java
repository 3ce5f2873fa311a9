package com.edgeinventory.local.iam;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The error AWS answers a call IAM denies, per service protocol, so that the function's SDK sees what it would
 * see in production. With SDK v2:
 * <ul>
 *   <li>DynamoDB (and Streams): HTTP 400, {@code __type com.amazon.coral.service#AccessDeniedException}: a
 *       {@code DynamoDbException} whose {@code awsErrorDetails().errorCode()} is {@code AccessDeniedException};</li>
 *   <li>Kinesis: HTTP 400, {@code __type AccessDeniedException}: Kinesis' modelled
 *       {@code AccessDeniedException};</li>
 *   <li>S3: HTTP 403, {@code <Error><Code>AccessDenied</Code>...}: an {@code S3Exception} with error code
 *       {@code AccessDenied} (for a HEAD request S3 sends no body: use {@link Response#withoutBody()});</li>
 *   <li>SQS: HTTP 403 with {@code x-amzn-query-error: AccessDenied;Sender} (JSON protocol) or an
 *       {@code ErrorResponse} document (query protocol): an {@code SqsException} with error code
 *       {@code AccessDenied}.</li>
 * </ul>
 * The messages are AWS's: {@code User: PRINCIPAL is not authorized to perform: ACTION on resource: RESOURCE because
 * no identity-based policy allows the ACTION action} (or {@code with an explicit deny in an identity-based
 * policy}); S3 quotes the resource, SQS writes the action in lower case, as they do.
 */
public final class AccessDenied {

    /** The wire protocol of a denied request, which decides the error's shape. */
    public enum Protocol { DYNAMODB, S3, SQS_JSON, SQS_QUERY, KINESIS }

    /**
     * An HTTP response to send instead of forwarding the request.
     *
     * @param status  HTTP status
     * @param headers headers to set (Content-Type, x-amzn-RequestId ...)
     * @param body    the body
     */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public Response {
            headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The same response without a body, as AWS answers a HEAD request. */
        public Response withoutBody() {
            return new Response(status, headers, new byte[0]);
        }
    }

    private AccessDenied() {
    }

    /** AWS's message for the denial of {@code check} to {@code principalArn}. */
    public static String message(Protocol protocol, String principalArn, ActionCheck check, boolean explicitDeny) {
        String action = protocol == Protocol.SQS_JSON || protocol == Protocol.SQS_QUERY
                ? check.action().toLowerCase(Locale.ROOT) : check.action();
        String resource = protocol == Protocol.S3 ? "\"" + check.resource() + "\"" : check.resource();
        return "User: " + principalArn + " is not authorized to perform: " + action + " on resource: " + resource
                + (explicitDeny ? " with an explicit deny in an identity-based policy"
                        : " because no identity-based policy allows the " + action + " action");
    }

    /** The response for a denied {@code decision}. */
    public static Response response(Protocol protocol, String principalArn, PolicyEvaluator.Decision decision,
            String requestId) {
        if (decision.allowed()) {
            throw new IllegalArgumentException("not a denial: " + decision.reason());
        }
        return response(protocol, principalArn, new ActionCheck(decision.action(), decision.resource()),
                decision.outcome() == PolicyEvaluator.Outcome.EXPLICIT_DENY, requestId);
    }

    /** The response denying {@code check} to {@code principalArn}. */
    public static Response response(Protocol protocol, String principalArn, ActionCheck check, boolean explicitDeny,
            String requestId) {
        Objects.requireNonNull(protocol, "protocol");
        return error(protocol, requestId, new Kind("AccessDeniedException", "AccessDenied", 403),
                message(protocol, principalArn, check, explicitDeny), null);
    }

    /**
     * What AWS answers a request signed with expired temporary keys, per protocol: DynamoDB and Kinesis HTTP 400
     * {@code ExpiredTokenException}, SQS HTTP 403 {@code ExpiredToken}, S3 HTTP 400 {@code ExpiredToken}.
     */
    public static Response expiredToken(Protocol protocol, String requestId) {
        Objects.requireNonNull(protocol, "protocol");
        return error(protocol, requestId, new Kind("ExpiredTokenException", "ExpiredToken", 400),
                "The security token included in the request is expired", "The provided token has expired.");
    }

    /**
     * @param exception the JSON protocols' exception name
     * @param code      the query and S3 protocols' error code
     * @param s3Status  S3's HTTP status for it
     */
    private record Kind(String exception, String code, int s3Status) {
    }

    /** One error in the shape of {@code protocol}; S3 says {@code s3Message} when given. */
    private static Response error(Protocol protocol, String requestId, Kind kind, String message,
            String s3Message) {
        Map<String, String> headers = new LinkedHashMap<>();
        return switch (protocol) {
            case DYNAMODB -> {
                headers.put("Content-Type", "application/x-amz-json-1.0");
                headers.put("x-amzn-RequestId", requestId);
                yield new Response(400, headers, json("com.amazon.coral.service#" + kind.exception(), "Message",
                        message));
            }
            case KINESIS -> {
                headers.put("Content-Type", "application/x-amz-json-1.1");
                headers.put("x-amzn-RequestId", requestId);
                yield new Response(400, headers, json(kind.exception(), "Message", message));
            }
            case SQS_JSON -> {
                headers.put("Content-Type", "application/x-amz-json-1.0");
                headers.put("x-amzn-RequestId", requestId);
                headers.put("x-amzn-query-error", kind.code() + ";Sender");
                yield new Response(403, headers, json("com.amazon.coral.service#" + kind.exception(), "message",
                        message));
            }
            case SQS_QUERY -> {
                headers.put("Content-Type", "text/xml");
                headers.put("x-amzn-RequestId", requestId);
                yield new Response(403, headers, ("<?xml version=\"1.0\"?><ErrorResponse "
                        + "xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><Error><Type>Sender</Type>"
                        + "<Code>" + kind.code() + "</Code><Message>" + xml(message) + "</Message><Detail/></Error>"
                        + "<RequestId>" + xml(requestId) + "</RequestId></ErrorResponse>")
                        .getBytes(StandardCharsets.UTF_8));
            }
            case S3 -> {
                headers.put("Content-Type", "application/xml");
                headers.put("x-amz-request-id", requestId);
                yield new Response(kind.s3Status(), headers, ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>"
                        + "<Code>" + kind.code() + "</Code><Message>" + xml(s3Message != null ? s3Message : message)
                        + "</Message><RequestId>" + xml(requestId) + "</RequestId><HostId>" + xml(requestId)
                        + "</HostId></Error>").getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    private static byte[] json(String type, String messageField, String message) {
        com.fasterxml.jackson.databind.node.ObjectNode node =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        node.put("__type", type);
        node.put(messageField, message);
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }
}
