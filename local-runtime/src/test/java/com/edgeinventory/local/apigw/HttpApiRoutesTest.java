package com.edgeinventory.local.apigw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.edgeinventory.local.apigw.HttpApiRoutes.Auth;
import com.edgeinventory.local.apigw.HttpApiRoutes.Route;
import com.edgeinventory.local.template.CfnYaml;
import com.edgeinventory.local.template.FunctionDef;
import com.edgeinventory.local.template.ResolveOptions;
import com.edgeinventory.local.template.ResolvedTemplate;
import com.edgeinventory.local.template.TemplateException;
import com.edgeinventory.local.template.TemplateResolver;

class HttpApiRoutesTest {

    static final Path TEMPLATE = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir")));

    static FunctionDef function(String logicalId) {
        return new FunctionDef(logicalId, logicalId, "h.Handler::handleRequest", "java25", Path.of("f.jar"), 512, 10,
                Map.of(), List.of(), Map.of(), "/aws/lambda/" + logicalId, FunctionDef.Logging.TEXT,
                "arn:aws:lambda:eu-west-1:123456789012:function:" + logicalId);
    }

    static Route route(String method, String path, String function) {
        return new Route(method, path, function(function), function, new Auth.None());
    }

    private static final HttpApiRoutes PETS = new HttpApiRoutes("PetsApi", new Auth.None(), List.of(
            route("GET", "/pets/dog/1", "ExactDog"),
            route("GET", "/pets/dog/{id}", "AnyDog"),
            route("GET", "/pets/{proxy+}", "PetsGreedy"),
            route("ANY", "/{proxy+}", "CatchAll"),
            route("ANY", "/items/{id}", "ItemsAny"),
            route("GET", "/items/{id}", "ItemsGet"),
            route("GET", "/stores/{storeId}/items/{sku}", "StoreItem"),
            route("GET", "/stores/{storeId}/{proxy+}", "StoreGreedy"),
            route("ANY", "$default", "Fallback")));

    private static final HttpApiRoutes NO_FALLBACK = new HttpApiRoutes("SmallApi", new Auth.None(), List.of(
            route("GET", "/pets/{proxy+}", "PetsGreedy"),
            route("POST", "/orders", "Orders"),
            route("GET", "/orders/{id}", "Order")));

    /** API Gateway's documented example plus method-vs-ANY, parameter-vs-greedy and $default. */
    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            GET    | /pets/dog/1                 | ExactDog    | {}
            GET    | /pets/dog/2                 | AnyDog      | {id=2}
            GET    | /pets/dog/a%20b             | AnyDog      | {id=a b}
            GET    | /pets/cat/1                 | PetsGreedy  | {proxy=cat/1}
            GET    | /pets/cat                   | PetsGreedy  | {proxy=cat}
            POST   | /pets/dog/1                 | CatchAll    | {proxy=pets/dog/1}
            GET    | /pets                       | CatchAll    | {proxy=pets}
            GET    | /items/7                    | ItemsGet    | {id=7}
            DELETE | /items/7                    | ItemsAny    | {id=7}
            GET    | /stores/S1/items/X          | StoreItem   | {storeId=S1, sku=X}
            GET    | /stores/S1/items/X/history  | StoreGreedy | {storeId=S1, proxy=items/X/history}
            GET    | /                           | Fallback    | {}
            """)
    void matchesTheMostSpecificRoute(String method, String path, String function, String params) {
        Optional<HttpApiRoutes.Match> match = PETS.match(method, path);

        assertThat(match).isPresent();
        assertThat(match.get().route().function().logicalId()).isEqualTo(function);
        assertThat(match.get().pathParameters()).hasToString(params);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            GET    | /pets/cat        | PetsGreedy
            GET    | /pets            | null
            GET    | /orders          | null
            POST   | /orders          | Orders
            POST   | /orders/         | null
            GET    | /orders/1        | Order
            GET    | /orders/1/lines  | null
            GET    | /ORDERS/1        | null
            GET    | /                | null
            """)
    void without$defaultWhatNothingMatchesIsNotFound(String method, String path, String function) {
        Optional<HttpApiRoutes.Match> match = NO_FALLBACK.match(method, path);

        assertThat(match.map(m -> m.route().function().logicalId())).isEqualTo(Optional.ofNullable(function));
    }

    @Test
    void routeKeys() {
        assertThat(PETS.routes()).extracting(Route::routeKey)
                .contains("GET /pets/dog/{id}", "ANY /{proxy+}", "$default");
        assertThat(PETS.defaultRoute()).map(Route::eventName).contains("Fallback");
    }

    private static ResolvedTemplate resolve(String role) {
        return TemplateResolver.resolve(TEMPLATE,
                ResolveOptions.defaults().withParameterOverrides(Map.of("DeploymentRole", role)));
    }

    @Test
    void retailApiOfTheRealTemplate() {
        ResolvedTemplate edge = resolve("edge");

        assertThat(HttpApiRoutes.httpApiIds(edge)).containsExactly("RetailApi");
        HttpApiRoutes retail = HttpApiRoutes.of(edge, "RetailApi");

        assertThat(retail.routes()).extracting(r -> r.routeKey() + " " + r.function().logicalId())
                .containsExactlyInAnyOrder(
                        "POST /v1/transactions/{clientId}/items TransactionFunction",
                        "DELETE /v1/transactions/{clientId}/items/{sku} TransactionFunction",
                        "POST /v1/transactions/{clientId}/checkout TransactionFunction",
                        "POST /v1/transactions/{clientId}/cancel TransactionFunction",
                        "GET /v1/transactions/{clientId} TransactionFunction",
                        "POST /v1/sales TransactionFunction",
                        "PUT /v1/customers/{customerId} CustomerFunction",
                        "GET /v1/stock/{sku} StockFunction");
        assertThat(retail.defaultAuth()).isInstanceOfSatisfying(Auth.LambdaAuthorizer.class, a -> {
            assertThat(a.name()).isEqualTo("DeviceAuthorizer");
            assertThat(a.function().logicalId()).isEqualTo("DeviceAuthorizerFunction");
            assertThat(a.identitySource()).containsExactly("$request.header.Authorization");
            assertThat(a.payloadFormatVersion()).isEqualTo("2.0");
            assertThat(a.simpleResponses()).isTrue();
            assertThat(a.resultTtlSeconds()).isEqualTo(300);
        });
        assertThat(retail.routes()).allSatisfy(r -> assertThat(r.auth()).isEqualTo(retail.defaultAuth()));
        assertThat(retail.match("DELETE", "/v1/transactions/basket-1/items/TR-RUN-42-BLU"))
                .map(HttpApiRoutes.Match::pathParameters)
                .contains(Map.of("clientId", "basket-1", "sku", "TR-RUN-42-BLU"));
        assertThat(retail.match("GET", "/v1/transactions/basket-1/items")).isEmpty();
    }

    @Test
    void analyticsApiOfTheRealTemplateUsesIam() {
        ResolvedTemplate central = resolve("central");

        assertThat(HttpApiRoutes.httpApiIds(central)).containsExactly("AnalyticsApi");
        HttpApiRoutes analytics = HttpApiRoutes.of(central, "AnalyticsApi");

        assertThat(analytics.defaultAuth()).isInstanceOf(Auth.Iam.class);
        assertThat(analytics.routes()).hasSize(9).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("ANY");
            assertThat(r.function().logicalId()).isEqualTo("AnalyticsQueryFunction");
            assertThat(r.auth()).isInstanceOf(Auth.Iam.class);
        });
        assertThat(analytics.routes()).extracting(Route::path).contains("/analytics/availability/{sku}",
                "/analytics/freshness", "/analytics/regional-performance", "/analytics/customer-behaviour",
                "/analytics/lost-demand", "/analytics/forecast/{sku}");
        assertThat(analytics.match("POST", "/analytics/velocity/SKU-1")).map(m -> m.route().routeKey())
                .contains("ANY /analytics/velocity/{sku}");
    }

    private static final String OVERRIDES = """
            Resources:
              Api:
                Type: AWS::Serverless::HttpApi
                Properties:
                  Auth:
                    EnableIamAuthorizer: true
                    DefaultAuthorizer: Keys
                    Authorizers:
                      Keys:
                        FunctionArn: !GetAtt AuthFn.Arn
                        AuthorizerPayloadFormatVersion: "2.0"
                        Identity: {Headers: [X-Key], QueryStrings: [tenant]}
              AuthFn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: f.jar, Handler: a.B::c}
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: f.jar
                  Handler: a.B::c
                  Events:
                    Secured: {Type: HttpApi, Properties: {ApiId: !Ref Api, Method: get, Path: /secured}}
                    Health: {Type: HttpApi, Properties: {ApiId: !Ref Api, Method: GET, Path: /health, Auth: {Authorizer: NONE}}}
                    Admin: {Type: HttpApi, Properties: {ApiId: !Ref Api, Method: POST, Path: /admin, Auth: {Authorizer: AWS_IAM}}}
                    Rest: {Type: HttpApi, Properties: {ApiId: !Ref Api}}
                    Implicit: {Type: HttpApi, Properties: {Method: GET, Path: /implicit}}
            """;

    @Test
    void routeAuthOverridesDefaultRouteAndImplicitApi() {
        ResolvedTemplate t = TemplateResolver.resolve(CfnYaml.parse(OVERRIDES, "inline"), Path.of("/repo/template.yaml"),
                ResolveOptions.defaults());

        HttpApiRoutes api = HttpApiRoutes.of(t, "Api");

        assertThat(api.defaultAuth()).isInstanceOfSatisfying(Auth.LambdaAuthorizer.class, a -> {
            assertThat(a.function().logicalId()).isEqualTo("AuthFn");
            assertThat(a.identitySource()).containsExactly("$request.header.X-Key", "$request.querystring.tenant");
            assertThat(a.simpleResponses()).isFalse();
            assertThat(a.resultTtlSeconds()).isZero();
        });
        assertThat(api.routes()).extracting(Route::routeKey)
                .containsExactly("GET /secured", "GET /health", "POST /admin", "$default");
        assertThat(api.routes().get(0).auth()).isEqualTo(api.defaultAuth());
        assertThat(api.routes().get(1).auth()).isInstanceOf(Auth.None.class);
        assertThat(api.routes().get(2).auth()).isInstanceOf(Auth.Iam.class);
        assertThat(api.match("DELETE", "/secured")).map(m -> m.route().routeKey()).contains("$default");
        assertThat(HttpApiRoutes.of(t, HttpApiRoutes.IMPLICIT_API).routes()).extracting(Route::routeKey)
                .containsExactly("GET /implicit");
    }

    @Test
    void anApiThatDoesNotExistIsNamed() {
        assertThatThrownBy(() -> HttpApiRoutes.of(resolve("edge"), "AnalyticsApi"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("RetailApi");
    }
}
