package com.edgeinventory.local.apigw;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.edgeinventory.local.template.EventSource;
import com.edgeinventory.local.template.FunctionDef;
import com.edgeinventory.local.template.ResolvedResource;
import com.edgeinventory.local.template.ResolvedTemplate;
import com.edgeinventory.local.template.TemplateException;

/**
 * The routes and the authorization of one {@code AWS::Serverless::HttpApi}, read from a resolved template the way
 * SAM builds them: one route per {@code Type: HttpApi} event of any function whose {@code ApiId} refers to the
 * API (an event without {@code ApiId} belongs to SAM's implicit {@value #IMPLICIT_API}), and the API's
 * {@code Auth} ({@code DefaultAuthorizer}, {@code Authorizers}) with a route's own {@code Auth.Authorizer}
 * overriding it.
 *
 * <p>Matching follows API Gateway: a route matches when its method is the request's or {@code ANY} and its path
 * matches; among matches the most specific path wins, comparing segment by segment from the left (a literal beats
 * a {@code {param}}, which beats a greedy {@code {proxy+}}); on equal paths a method beats {@code ANY}; the
 * {@code $default} route, if declared, takes what nothing else matches.
 *
 * @param apiLogicalId the API's key under {@code Resources}
 * @param defaultAuth  the API's {@code Auth.DefaultAuthorizer}, {@link Auth.None} when absent
 * @param routes       in template order (function order, then event order)
 */
public record HttpApiRoutes(String apiLogicalId, Auth defaultAuth, List<Route> routes) {

    /** The API SAM creates for {@code HttpApi} events without an {@code ApiId}. */
    public static final String IMPLICIT_API = "ServerlessHttpApi";
    public static final String HTTP_API = "AWS::Serverless::HttpApi";
    public static final String DEFAULT_ROUTE = "$default";
    public static final String ANY = "ANY";

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
            ANY);

    public HttpApiRoutes {
        Objects.requireNonNull(apiLogicalId, "apiLogicalId");
        Objects.requireNonNull(defaultAuth, "defaultAuth");
        routes = List.copyOf(routes);
    }

    /** How a route is authorized. */
    public sealed interface Auth permits Auth.None, Auth.Iam, Auth.LambdaAuthorizer {

        /** Open route. */
        record None() implements Auth {
        }

        /** {@code AWS_IAM}: the caller signs with SigV4. */
        record Iam() implements Auth {
        }

        /**
         * A Lambda authorizer of type REQUEST.
         *
         * @param name                 the key under {@code Auth.Authorizers}
         * @param function             the function its {@code FunctionArn} points at
         * @param identitySource       e.g. {@code $request.header.Authorization}, from SAM's {@code Identity}
         *                             ({@code Headers}, {@code QueryStrings}, {@code Context},
         *                             {@code StageVariables}) or a raw {@code IdentitySource} list
         * @param payloadFormatVersion {@code AuthorizerPayloadFormatVersion}: {@code 1.0} or {@code 2.0}
         * @param simpleResponses      {@code EnableSimpleResponses}: {@code isAuthorized} instead of an IAM policy
         * @param resultTtlSeconds     {@code Identity.ReauthorizeEvery} (or {@code AuthorizerResultTtlInSeconds});
         *                             0, the default here, disables caching
         */
        record LambdaAuthorizer(String name, FunctionDef function, List<String> identitySource,
                                String payloadFormatVersion, boolean simpleResponses, int resultTtlSeconds)
                implements Auth {
            public LambdaAuthorizer {
                identitySource = List.copyOf(identitySource);
            }
        }
    }

    /**
     * One route.
     *
     * @param method    upper-case method or {@code ANY}; {@code ANY} for {@code $default}
     * @param path      e.g. {@code /v1/stock/{sku}}, or {@code $default}
     * @param function  the integration's target
     * @param eventName the function's event that declared it
     * @param auth      the effective authorization (the API's default unless the event overrides it)
     */
    public record Route(String method, String path, FunctionDef function, String eventName, Auth auth) {

        public boolean isDefault() {
            return path.equals(DEFAULT_ROUTE);
        }

        /** {@code GET /v1/stock/{sku}}, or {@code $default}. */
        public String routeKey() {
            return isDefault() ? DEFAULT_ROUTE : method + " " + path;
        }

        List<String> segments() {
            return HttpApiRoutes.segments(path);
        }
    }

    /**
     * A route chosen for a request.
     *
     * @param pathParameters decoded values by name (for {@code {proxy+}}, the rest of the path)
     */
    public record Match(Route route, Map<String, String> pathParameters) {
        public Match {
            pathParameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pathParameters));
        }
    }

    /** The logical ids of the template's {@code AWS::Serverless::HttpApi} resources, in template order. */
    public static List<String> httpApiIds(ResolvedTemplate template) {
        return template.resourcesOfType(HTTP_API).stream().map(ResolvedResource::logicalId).toList();
    }

    /**
     * The routes of one API.
     *
     * @throws TemplateException when the API does not exist, a route is malformed or an authorizer's function is
     *                           not one of the template's
     */
    public static HttpApiRoutes of(ResolvedTemplate template, String apiLogicalId) {
        Map<String, Object> apiProps;
        String apiRef;
        if (template.resources().containsKey(apiLogicalId)) {
            ResolvedResource api = template.resource(apiLogicalId);
            if (!api.type().equals(HTTP_API)) {
                throw new TemplateException(apiLogicalId + " is a " + api.type() + ", not an " + HTTP_API);
            }
            apiProps = api.properties();
            apiRef = template.options().deployed().findRef(apiLogicalId).orElse(api.physicalId());
        } else if (apiLogicalId.equals(IMPLICIT_API)) {
            apiProps = Map.of();
            apiRef = null;
        } else {
            throw new TemplateException("HttpApi " + apiLogicalId + " does not exist in " + template.templateFile()
                    + " with the current parameters. HttpApis: " + String.join(", ", httpApiIds(template)));
        }
        String at = "Resources." + apiLogicalId + ".Properties.Auth";
        Map<String, Object> authProps = map(apiProps.get("Auth"), at);
        Map<String, Object> authorizers = map(authProps.get("Authorizers"), at + ".Authorizers");
        Auth defaultAuth = authNamed(template, authProps.get("DefaultAuthorizer"), authorizers,
                at + ".DefaultAuthorizer", new Auth.None());

        List<Route> routes = new ArrayList<>();
        for (FunctionDef function : template.functions()) {
            for (EventSource event : function.events()) {
                if (!(event instanceof EventSource.Generic generic) || !generic.type().equals("HttpApi")) {
                    continue;
                }
                Map<String, Object> p = generic.properties();
                Object apiId = p.get("ApiId");
                boolean ours = apiId == null ? apiRef == null : apiId.equals(apiRef) || apiId.equals(apiLogicalId);
                if (!ours) {
                    continue;
                }
                String where = "Resources." + function.logicalId() + ".Properties.Events." + event.name();
                routes.add(route(template, function, event.name(), p, where, authorizers, defaultAuth));
            }
        }
        return new HttpApiRoutes(apiLogicalId, defaultAuth, routes);
    }

    private static Route route(ResolvedTemplate template, FunctionDef function, String eventName,
                               Map<String, Object> p, String where, Map<String, Object> authorizers,
                               Auth defaultAuth) {
        Object rawPath = p.get("Path");
        Object rawMethod = p.get("Method");
        String path;
        String method;
        if (rawPath == null && rawMethod == null || DEFAULT_ROUTE.equals(rawPath)) {
            path = DEFAULT_ROUTE;
            method = ANY;
        } else {
            if (!(rawPath instanceof String s) || !s.startsWith("/")) {
                throw new TemplateException(where + ".Properties.Path must start with /, got " + rawPath);
            }
            path = s;
            method = rawMethod == null ? ANY : String.valueOf(rawMethod).toUpperCase(Locale.ROOT);
            if (method.equals("X-AMAZON-APIGATEWAY-ANY-METHOD") || method.equals("*")) {
                method = ANY;
            }
            if (!METHODS.contains(method)) {
                throw new TemplateException(where + ".Properties.Method " + rawMethod + " is not an HTTP method");
            }
            List<String> segments = segments(path);
            for (int i = 0; i < segments.size(); i++) {
                String segment = segments.get(i);
                if (segment.endsWith("+}") && i != segments.size() - 1) {
                    throw new TemplateException(where + ".Properties.Path " + path
                            + ": a greedy {name+} parameter must be the last segment");
                }
            }
        }
        Map<String, Object> routeAuth = map(p.get("Auth"), where + ".Properties.Auth");
        Auth auth = routeAuth.containsKey("Authorizer")
                ? authNamed(template, routeAuth.get("Authorizer"), authorizers, where + ".Properties.Auth.Authorizer",
                        defaultAuth)
                : defaultAuth;
        return new Route(method, path, function, eventName, auth);
    }

    private static Auth authNamed(ResolvedTemplate template, Object name, Map<String, Object> authorizers,
                                  String where, Auth absent) {
        if (name == null) {
            return absent;
        }
        String n = String.valueOf(name);
        if (n.equals("NONE")) {
            return new Auth.None();
        }
        if (n.equals("AWS_IAM")) {
            return new Auth.Iam();
        }
        if (!authorizers.containsKey(n)) {
            throw new TemplateException(where + " names authorizer " + n + ", which is not under Auth.Authorizers ("
                    + String.join(", ", authorizers.keySet()) + ")");
        }
        String at = where + " -> Authorizers." + n;
        Map<String, Object> a = map(authorizers.get(n), at);
        if (a.get("FunctionArn") == null) {
            throw new TemplateException(at + ": only Lambda authorizers (FunctionArn) run locally; JWT authorizers "
                    + "are not supported");
        }
        FunctionDef function = functionByArn(template, String.valueOf(a.get("FunctionArn")), at);
        List<String> identity = new ArrayList<>();
        Map<String, Object> sam = map(a.get("Identity"), at + ".Identity");
        addAll(identity, "$request.header.", sam.get("Headers"));
        addAll(identity, "$request.querystring.", sam.get("QueryStrings"));
        addAll(identity, "$context.", sam.get("Context"));
        addAll(identity, "$stageVariables.", sam.get("StageVariables"));
        addAll(identity, "", a.get("IdentitySource"));
        Object ttl = sam.get("ReauthorizeEvery") != null ? sam.get("ReauthorizeEvery")
                : a.get("AuthorizerResultTtlInSeconds");
        int ttlSeconds = ttl == null ? 0 : Integer.parseInt(String.valueOf(ttl));
        String version = a.get("AuthorizerPayloadFormatVersion") == null ? "2.0"
                : String.valueOf(a.get("AuthorizerPayloadFormatVersion"));
        boolean simple = Boolean.parseBoolean(String.valueOf(a.getOrDefault("EnableSimpleResponses", "false")));
        return new Auth.LambdaAuthorizer(n, function, identity, version, simple, ttlSeconds);
    }

    private static FunctionDef functionByArn(ResolvedTemplate template, String arn, String where) {
        String unqualified = arn.replaceFirst("(:function:[^:]+):[^:]+$", "$1");
        for (FunctionDef f : template.functions()) {
            Optional<String> deployed = template.options().deployed().findAttribute(f.logicalId(), "Arn");
            if (f.arn().equals(unqualified) || deployed.map(unqualified::equals).orElse(false)
                    || unqualified.endsWith(":function:" + f.functionName())) {
                return f;
            }
        }
        throw new TemplateException(where + ".FunctionArn " + arn + " is not a function of this template, so it "
                + "cannot run locally");
    }

    private static void addAll(List<String> into, String prefix, Object values) {
        if (values instanceof List<?> list) {
            list.forEach(v -> into.add(prefix + v));
        } else if (values instanceof String s && !s.isBlank()) {
            for (String v : s.split(",")) {
                into.add(prefix + v.trim());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new TemplateException(where + " must be a mapping, got " + value);
    }

    /** The route of a {@code $default} route, if declared. */
    public Optional<Route> defaultRoute() {
        return routes.stream().filter(Route::isDefault).findFirst();
    }

    /**
     * The route API Gateway would pick for a request.
     *
     * @param method  the request's method
     * @param rawPath the request's path as sent (percent-encoded); parameter values are decoded
     */
    public Optional<Match> match(String method, String rawPath) {
        String m = method.toUpperCase(Locale.ROOT);
        List<String> requestSegments = segments(rawPath);
        Match best = null;
        for (Route route : routes) {
            if (route.isDefault() || !(route.method().equals(m) || route.method().equals(ANY))) {
                continue;
            }
            Map<String, String> params = matchPath(route.segments(), requestSegments);
            if (params == null) {
                continue;
            }
            Match candidate = new Match(route, params);
            if (best == null || SPECIFICITY.compare(candidate, best) < 0) {
                best = candidate;
            }
        }
        if (best != null) {
            return Optional.of(best);
        }
        return defaultRoute().map(r -> new Match(r, Map.of()));
    }

    /** Lower is more specific. */
    private static final Comparator<Match> SPECIFICITY = (a, b) -> {
        List<String> as = a.route().segments();
        List<String> bs = b.route().segments();
        for (int i = 0; i < Math.min(as.size(), bs.size()); i++) {
            int c = Integer.compare(rank(as.get(i)), rank(bs.get(i)));
            if (c != 0) {
                return c;
            }
        }
        int c = Integer.compare(bs.size(), as.size());
        if (c != 0) {
            return c;
        }
        return Boolean.compare(a.route().method().equals(ANY), b.route().method().equals(ANY));
    };

    private static int rank(String segment) {
        if (isGreedy(segment)) {
            return 2;
        }
        return isParam(segment) ? 1 : 0;
    }

    private static boolean isParam(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    private static boolean isGreedy(String segment) {
        return isParam(segment) && segment.endsWith("+}");
    }

    private static String paramName(String segment) {
        return segment.substring(1, segment.length() - (isGreedy(segment) ? 2 : 1));
    }

    private static Map<String, String> matchPath(List<String> route, List<String> request) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < route.size(); i++) {
            String segment = route.get(i);
            if (isGreedy(segment)) {
                if (i >= request.size()) {
                    return null;
                }
                params.put(paramName(segment), decode(String.join("/", request.subList(i, request.size()))));
                return params;
            }
            if (i >= request.size()) {
                return null;
            }
            String value = request.get(i);
            if (isParam(segment)) {
                if (value.isEmpty()) {
                    return null;
                }
                params.put(paramName(segment), decode(value));
            } else if (!segment.equals(decode(value))) {
                return null;
            }
        }
        return route.size() == request.size() ? params : null;
    }

    private static List<String> segments(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.isEmpty()) {
            return List.of();
        }
        return List.of(p.split("/", -1));
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
