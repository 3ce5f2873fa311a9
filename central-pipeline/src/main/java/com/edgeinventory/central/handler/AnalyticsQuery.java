package com.edgeinventory.central.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.edgeinventory.central.adapter.AnalyticsReads;
import com.edgeinventory.central.adapter.FreshnessItems;
import com.edgeinventory.central.adapter.LevelsTable;
import com.edgeinventory.central.adapter.SalesTable;
import com.edgeinventory.central.service.Analytics;
import com.edgeinventory.central.service.AnalyticsParameters;
import com.edgeinventory.central.service.AnalyticsResult;
import com.edgeinventory.central.service.AnalyticsRoute;
import com.edgeinventory.central.service.AnalyticsStore;
import com.edgeinventory.model.Json;
import com.edgeinventory.model.Problem;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The analysts' query API behind the central region's HTTP API (payload format 2.0, IAM auth), read-only:
 * <pre>
 * GET /analytics/availability/{sku}
 * GET /analytics/low-stock?region=&amp;threshold=&amp;limit=
 * GET /analytics/top-sellers?region=&amp;from=&amp;to=&amp;limit=
 * GET /analytics/velocity/{sku}?days=&amp;to=&amp;region=
 * GET /analytics/freshness
 * </pre>
 * A 200 body is {@code {"query","params","columns","items","totals"?}}. Errors are problem details: 400 for a bad,
 * missing or unknown parameter (naming it in {@code field}), 404 for an unknown path, 405 for another method on a
 * known path, 503 when DynamoDB keeps throttling.
 *
 * <p>Environment: {@code LEVELS_TABLE}, {@code SALES_TABLE}, {@code AWS_REGION}; {@code AWS_ENDPOINT_URL} is
 * honoured by the SDK.
 */
public final class AnalyticsQuery implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final Analytics analytics;
    private final Clock clock;

    public AnalyticsQuery() {
        this(System.getenv());
    }

    private AnalyticsQuery(Map<String, String> env) {
        this(Env.dynamoDb(env), Env.required(env, "LEVELS_TABLE"), Env.required(env, "SALES_TABLE"));
    }

    private AnalyticsQuery(DynamoDbClient dynamo, String levelsTable, String salesTable) {
        this(new LevelsTable(dynamo, levelsTable), SalesTable.reader(dynamo, salesTable),
                new FreshnessItems(dynamo, salesTable), Clock.systemUTC());
    }

    AnalyticsQuery(LevelsTable levels, SalesTable sales, FreshnessItems freshness, Clock clock) {
        this(new AnalyticsReads(levels, sales, freshness), clock);
    }

    AnalyticsQuery(AnalyticsStore store, Clock clock) {
        this.clock = Objects.requireNonNull(clock);
        this.analytics = new Analytics(store, clock);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Optional<AnalyticsRoute.Match> match = route(event);
        if (match.isEmpty()) {
            return problem(Problem.notFound("no route " + method(event) + " " + path(event)), Map.of());
        }
        AnalyticsRoute route = match.get().route();
        if (!"GET".equals(method(event))) {
            return problem(Problem.methodNotAllowed(method(event) + " is not allowed on "
                    + route.template() + "; the analytics API is read-only (GET)"), Map.of("allow", "GET"));
        }
        Optional<List<Map.Entry<String, String>>> query = queryParameters(event);
        if (query.isEmpty()) {
            return problem(Problem.badRequest("the query string is not valid percent-encoded UTF-8", null), Map.of());
        }
        AnalyticsParameters.Parsing parsing = AnalyticsParameters.parse(route, match.get().pathParameters(),
                query.get(), LocalDate.now(clock.withZone(ZoneOffset.UTC)));
        return switch (parsing) {
            case AnalyticsParameters.Invalid invalid ->
                    problem(Problem.badRequest(invalid.detail(), invalid.field()), Map.of());
            case AnalyticsParameters.Valid valid -> run(valid, context);
        };
    }

    private APIGatewayV2HTTPResponse run(AnalyticsParameters.Valid valid, Context context) {
        try {
            return json(body(analytics.run(valid.request())));
        } catch (AnalyticsStore.Unavailable e) {
            log(context, "analytics " + valid.request() + " unavailable: " + e.getMessage(), LogLevel.WARN);
            return problem(Problem.unavailable(e.getMessage()), Map.of("retry-after", "1"));
        } catch (AwsServiceException e) {
            if (e.isThrottlingException()) {
                log(context, "analytics " + valid.request() + " throttled: " + e.getMessage(), LogLevel.WARN);
                return problem(Problem.unavailable("DynamoDB is throttling the analytics reads; try again shortly"),
                        Map.of("retry-after", "1"));
            }
            log(context, "analytics " + valid.request() + " failed: " + e, LogLevel.ERROR);
            return problem(Problem.internalError("the query failed; request id " + requestId(context)), Map.of());
        } catch (RuntimeException e) {
            log(context, "analytics " + valid.request() + " failed: " + e, LogLevel.ERROR);
            return problem(Problem.internalError("the query failed; request id " + requestId(context)), Map.of());
        }
    }

    /**
     * By the route key when API Gateway matched one of the routes (its path parameters are decoded already), else
     * by the raw path.
     */
    static Optional<AnalyticsRoute.Match> route(APIGatewayV2HTTPEvent event) {
        Optional<AnalyticsRoute.Match> byPath = AnalyticsRoute.ofPath(path(event));
        Optional<AnalyticsRoute> byKey = AnalyticsRoute.ofRouteKey(event.getRouteKey());
        if (byKey.isEmpty()) {
            return byPath;
        }
        Map<String, String> parameters = event.getPathParameters() != null ? event.getPathParameters()
                : byPath.filter(m -> m.route() == byKey.get()).map(AnalyticsRoute.Match::pathParameters)
                        .orElse(Map.of());
        return Optional.of(new AnalyticsRoute.Match(byKey.get(), parameters.entrySet().stream()
                .filter(e -> e.getKey() != null && e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
    }

    /** The query parameters in order; from {@code rawQueryString}, or from the decoded map when it is absent. */
    static Optional<List<Map.Entry<String, String>>> queryParameters(APIGatewayV2HTTPEvent event) {
        String raw = event.getRawQueryString();
        if ((raw == null || raw.isEmpty()) && event.getQueryStringParameters() != null) {
            raw = event.getQueryStringParameters().entrySet().stream()
                    .filter(e -> e.getKey() != null)
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                            + URLEncoder.encode(Objects.toString(e.getValue(), ""), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
        }
        return AnalyticsRoute.parseQuery(raw);
    }

    private static String method(APIGatewayV2HTTPEvent event) {
        if (event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                && event.getRequestContext().getHttp().getMethod() != null) {
            return event.getRequestContext().getHttp().getMethod();
        }
        String key = event.getRouteKey();
        int space = key == null ? -1 : key.indexOf(' ');
        return space > 0 ? key.substring(0, space) : "GET";
    }

    private static String path(APIGatewayV2HTTPEvent event) {
        if (event.getRawPath() != null) {
            return event.getRawPath();
        }
        if (event.getRequestContext() != null && event.getRequestContext().getHttp() != null) {
            return event.getRequestContext().getHttp().getPath();
        }
        return null;
    }

    static Map<String, Object> body(AnalyticsResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", result.query());
        body.put("params", result.params());
        body.put("columns", result.columns());
        body.put("items", result.items());
        result.totals().ifPresent(totals -> body.put("totals", totals));
        return body;
    }

    private static APIGatewayV2HTTPResponse json(Map<String, Object> body) {
        return response(200, "application/json", body, Map.of());
    }

    private static APIGatewayV2HTTPResponse problem(Problem problem, Map<String, String> headers) {
        return response(problem.status(), Problem.CONTENT_TYPE, problem.body(), headers);
    }

    private static APIGatewayV2HTTPResponse response(int status, String contentType, Object body,
                                                     Map<String, String> headers) {
        String text;
        try {
            text = Json.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the response", e);
        }
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("content-type", contentType);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(all)
                .withBody(text)
                .withIsBase64Encoded(false)
                .build();
    }

    private static void log(Context context, String message, LogLevel level) {
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(message, level);
        }
    }

    private static String requestId(Context context) {
        return context == null ? "unknown" : context.getAwsRequestId();
    }
}
