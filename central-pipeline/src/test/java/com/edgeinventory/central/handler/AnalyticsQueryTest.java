package com.edgeinventory.central.handler;

import static com.edgeinventory.central.handler.AnalyticsEvents.body;
import static com.edgeinventory.central.handler.AnalyticsEvents.event;
import static com.edgeinventory.central.handler.AnalyticsEvents.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.edgeinventory.central.service.AnalyticsStore;
import com.edgeinventory.central.service.Levels;
import com.edgeinventory.testing.TestLambdaContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

/** The handler's HTTP behaviour over an empty in-memory store: routing, methods, problems, failures. No network. */
class AnalyticsQueryTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T09:00:00Z"), ZoneOffset.UTC);

    /** Every read answers nothing, or fails with what {@link #failure} supplies. */
    static final class EmptyStore implements AnalyticsStore {
        Supplier<RuntimeException> failure;

        private void maybeFail() {
            if (failure != null) {
                throw failure.get();
            }
        }

        @Override
        public SkuLevels levels(String sku) {
            maybeFail();
            return new SkuLevels(Levels.ZERO, List.of());
        }

        @Override
        public Iterator<SkuLevel> availableBelow(String region, long threshold, int pageSize) {
            maybeFail();
            return Collections.emptyIterator();
        }

        @Override
        public List<SkuSales> salesOfDay(String region, LocalDate day) {
            maybeFail();
            return List.of();
        }

        @Override
        public Map<RegionDay, Long> unitsSold(String sku, Collection<String> regions, Collection<LocalDate> days) {
            maybeFail();
            return Map.of();
        }

        @Override
        public List<StoreDay> storesOfDay(String region, LocalDate day) {
            maybeFail();
            return List.of();
        }

        @Override
        public MixDay mixOfDay(String region, LocalDate day) {
            maybeFail();
            return MixDay.NONE;
        }

        @Override
        public List<LostDay> lostDemandOfDay(String region, LocalDate day) {
            maybeFail();
            return List.of();
        }

        @Override
        public long lostUnitsOfDay(String sku, String region, LocalDate day) {
            maybeFail();
            return 0;
        }

        @Override
        public SortedMap<String, Long> freshness() {
            maybeFail();
            return new TreeMap<>(Map.of("eu-west-1", CLOCK.millis()));
        }
    }

    final EmptyStore store = new EmptyStore();
    final AnalyticsQuery handler = new AnalyticsQuery(store, CLOCK);
    final TestLambdaContext context = new TestLambdaContext();

    APIGatewayV2HTTPResponse send(APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, context);
    }

    static void assertProblem(APIGatewayV2HTTPResponse response, int status, String type, String field) {
        assertThat(response.getStatusCode()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json");
        JsonNode body = body(response);
        assertThat(body.path("type").asText()).isEqualTo("https://edge-inventory.example/problems/" + type);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("title").asText()).isNotBlank();
        assertThat(body.path("detail").asText()).isNotBlank();
        if (field == null) {
            assertThat(body.has("field")).isFalse();
        } else {
            assertThat(body.path("field").asText()).isEqualTo(field);
        }
    }

    @Test
    void everyFixtureIsAnsweredAsJsonWithItsQueryName() {
        List<String> queries = List.of("availability", "low-stock", "top-sellers", "velocity", "freshness");
        for (int i = 0; i < AnalyticsEvents.FIXTURES.size(); i++) {
            APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent(AnalyticsEvents.FIXTURES.get(i));
            assertThat(event.getRequestContext().getAuthorizer().getIam().getUserArn())
                    .startsWith("arn:aws:sts::123456789012:");

            APIGatewayV2HTTPResponse response = send(event);

            assertThat(response.getStatusCode()).as(AnalyticsEvents.FIXTURES.get(i)).isEqualTo(200);
            assertThat(response.getHeaders()).containsEntry("content-type", "application/json");
            assertThat(body(response).path("query").asText()).isEqualTo(queries.get(i));
        }
    }

    @Test
    void routesAreFoundByPathOnADefaultRouteToo() {
        APIGatewayV2HTTPResponse response = send(event("GET", "$default", "/analytics/velocity/TR-RUN-42-BLU",
                "days=2", null));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(body(response).path("params")).isEqualTo(AnalyticsEvents.json(
                "{\"sku\":\"TR-RUN-42-BLU\",\"days\":2,\"to\":\"2026-11-27\",\"region\":null}"));
    }

    @Test
    void anUnknownPathIs404() {
        for (String path : List.of("/analytics", "/analytics/stock", "/analytics/freshness/x", "/v1/stock/SKU-1")) {
            assertProblem(send(event("GET", "$default", path, "", null)), 404, "not-found", null);
        }
    }

    @Test
    void anotherMethodOnAKnownPathIs405AndSaysWhatIsAllowed() {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")) {
            APIGatewayV2HTTPResponse response = send(event(method, "ANY /analytics/low-stock", "/analytics/low-stock",
                    "region=eu-west-1", null));

            assertProblem(response, 405, "method-not-allowed", null);
            assertThat(response.getHeaders()).containsEntry("allow", "GET");
        }
    }

    @Test
    void aQueryStringThatIsNotPercentEncodedUtf8Is400() {
        assertProblem(send(get("/analytics/low-stock", "region=eu-west-1&limit=%ZZ")), 400, "invalid-request", null);
    }

    @Test
    void aDecodedQueryMapIsReadWhenTheRawQueryStringIsMissing() {
        APIGatewayV2HTTPEvent event = get("/analytics/low-stock", null);
        event.setQueryStringParameters(Map.of("region", "eu-west-1", "limit", "3"));

        APIGatewayV2HTTPResponse response = send(event);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(body(response).path("params")).isEqualTo(AnalyticsEvents.json(
                "{\"region\":\"eu-west-1\",\"threshold\":10,\"limit\":3}"));
    }

    @Test
    void aThrottledOrExhaustedStoreIs503WithRetryAfter() {
        for (Supplier<RuntimeException> failure : List.<Supplier<RuntimeException>>of(
                () -> new AnalyticsStore.Unavailable("3 sales counters still unprocessed"),
                () -> ProvisionedThroughputExceededException.builder().message("slow down").statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException")
                                .build()).build())) {
            store.failure = failure;

            APIGatewayV2HTTPResponse response = send(get("/analytics/velocity/TR-RUN-42-BLU", ""));

            assertProblem(response, 503, "unavailable", null);
            assertThat(response.getHeaders()).containsEntry("retry-after", "1");
        }
    }

    @Test
    void anyOtherFailureIs500WithoutItsMessageAndIsLogged() {
        store.failure = () -> DynamoDbException.builder().message("secret table arn:aws:dynamodb:x").statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException").build()).build();

        APIGatewayV2HTTPResponse response = send(get("/analytics/freshness", ""));

        assertProblem(response, 500, "internal-error", null);
        assertThat(response.getBody()).doesNotContain("secret");
        assertThat(context.logLines).anySatisfy(line -> assertThat(line).contains("secret table"));
    }
}
