package com.edgeinventory.retail.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.edgeinventory.testing.TestClock;
import com.edgeinventory.local.provision.StackResources;
import com.edgeinventory.model.Json;
import com.edgeinventory.retail.service.CustomerService;
import com.edgeinventory.retail.service.CustomerStore;
import com.edgeinventory.retail.service.IdempotencyRecord;
import com.edgeinventory.retail.adapter.CustomersTable;
import com.edgeinventory.retail.service.Preferences;
import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.TestLambdaContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.edgeinventory.testing.LocalAwsExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(LocalAwsExtension.class)
class CustomerHandlerIT {

    static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");
    static final String BODY = """
            {"profile": {"name": "Alex Example", "email": "alex@example.com"},
             "preferences": {"sizes": ["42"], "colors": ["blue"], "categories": ["running-shoes"]},
             "consent": {"marketing": true}}""";

    LocalAws aws;
    StackResources stack;
    CustomersTable customers;
    TestClock clock;
    CustomerHandler handler;

    @BeforeEach
    void setUp(LocalAws aws) {
        this.aws = aws;
        aws.reset();
        stack = aws.provision(Map.of());
        customers = new CustomersTable(aws.dynamoDb(), stack.physicalId("CustomersTable"),
                stack.physicalId("IdempotencyTable"));
        clock = new TestClock(T0);
        handler = new CustomerHandler(new CustomerService(customers, clock));
    }

    static APIGatewayV2HTTPEvent put(String customerId, String key, String body) {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("http-put-customer.json");
        event.setPathParameters(Map.of("customerId", customerId));
        event.setRawPath("/v1/customers/" + customerId);
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("idempotency-key", key);
        event.setHeaders(headers);
        event.setBody(body);
        return event;
    }

    static APIGatewayV2HTTPEvent fromStore(APIGatewayV2HTTPEvent event, String storeId) {
        event.getRequestContext().getAuthorizer().setLambda(Map.of("storeId", storeId, "deviceId", "POS-9"));
        return event;
    }

    APIGatewayV2HTTPResponse send(APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, new TestLambdaContext());
    }

    static JsonNode json(APIGatewayV2HTTPResponse response) throws IOException {
        return Json.mapper().readTree(response.getBody());
    }

    int items(String logicalId) {
        return aws.dynamoDb().scan(b -> b.tableName(stack.physicalId(logicalId))).count();
    }

    @Test
    void theFixtureCreatesACustomerOfTheCallersStore() throws IOException {
        APIGatewayV2HTTPResponse response = send(EventLoader.loadApiGatewayHttpEvent("http-put-customer.json"));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/json");
        JsonNode view = json(response);
        assertThat(view.get("customerId").asText()).isEqualTo("cust-4711");
        assertThat(view.get("storeId").asText()).isEqualTo("STORE-MUC-01");
        assertThat(view.at("/profile/email").asText()).isEqualTo("alex@example.com");
        assertThat(view.at("/preferences/sizes/0").asText()).isEqualTo("42");
        assertThat(view.at("/consent/marketing").asBoolean()).isTrue();
        assertThat(view.at("/consent/at").asText()).isEqualTo(T0.toString());
        assertThat(view.get("version").asLong()).isEqualTo(1);
        assertThat(customers.preferences("cust-4711"))
                .contains(new Preferences(List.of("42"), List.of("blue"), List.of("running-shoes")));
        assertThat(items("IdempotencyTable")).isEqualTo(1);
    }

    @Test
    void aLaterPutReplacesTheDataButKeepsTheFirstStore() throws IOException {
        send(put("cust-1", "key-0000001", BODY));
        clock.advance(Duration.ofMinutes(5));

        APIGatewayV2HTTPResponse second = send(fromStore(put("cust-1", "key-0000002", """
                {"preferences": {"colors": ["red", "black"]}, "consent": {"marketing": false}}"""), "STORE-BER-02"));

        assertThat(second.getStatusCode()).as(second.getBody()).isEqualTo(200);
        JsonNode view = json(second);
        assertThat(view.get("storeId").asText()).isEqualTo("STORE-MUC-01");
        assertThat(view.get("version").asLong()).isEqualTo(2);
        assertThat(view.get("profile").isEmpty()).isTrue();
        assertThat(view.at("/consent/marketing").asBoolean()).isFalse();
        assertThat(view.at("/consent/at").asText()).isEqualTo(T0.plus(Duration.ofMinutes(5)).toString());
        assertThat(customers.preferences("cust-1"))
                .contains(new Preferences(List.of(), List.of("red", "black"), List.of()));
        assertThat(customers.preferences("nobody")).isEmpty();
    }

    @Test
    void aReplayReturnsTheStoredResponseAndChangesNothing() throws IOException {
        APIGatewayV2HTTPResponse first = send(put("cust-2", "retry-key-1", BODY));
        clock.advance(Duration.ofSeconds(30));

        APIGatewayV2HTTPResponse replay = send(put("cust-2", "retry-key-1", BODY));

        assertThat(replay.getStatusCode()).isEqualTo(200);
        assertThat(replay.getBody()).isEqualTo(first.getBody());
        assertThat(replay.getHeaders()).containsEntry("idempotent-replayed", "true");
        assertThat(customers.find("cust-2").orElseThrow().version()).isEqualTo(1);
        assertThat(items("IdempotencyTable")).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422() throws IOException {
        send(put("cust-3", "retry-key-2", BODY));

        APIGatewayV2HTTPResponse other = send(put("cust-3", "retry-key-2", BODY.replace("true", "false")));
        APIGatewayV2HTTPResponse otherCustomer = send(put("cust-4", "retry-key-2", BODY));

        assertThat(other.getStatusCode()).isEqualTo(422);
        assertThat(other.getHeaders()).containsEntry("content-type", "application/problem+json");
        assertThat(json(other).get("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(otherCustomer.getStatusCode()).isEqualTo(422);
        assertThat(customers.find("cust-3").orElseThrow().marketing()).isTrue();
        assertThat(customers.find("cust-4")).isEmpty();
    }

    @Test
    void keysBelongToTheirStore() {
        send(put("cust-5", "shared-key-1", BODY));

        APIGatewayV2HTTPResponse otherStore = send(fromStore(put("cust-5", "shared-key-1", BODY), "STORE-BER-02"));

        assertThat(otherStore.getStatusCode()).isEqualTo(200);
        assertThat(otherStore.getHeaders()).doesNotContainKey("idempotent-replayed");
        assertThat(customers.find("cust-5").orElseThrow().version()).isEqualTo(2);
        assertThat(items("IdempotencyTable")).isEqualTo(2);
    }

    @Test
    void aStaleVersionIsAConflictAndWritesNeitherItem() {
        send(put("cust-7", "key-0000007", BODY));
        var current = customers.find("cust-7").orElseThrow();
        var next = com.edgeinventory.retail.service.Customer.apply(java.util.Optional.of(current), "cust-7",
                "STORE-MUC-01", new com.edgeinventory.retail.service.CustomerUpdate(null, Preferences.NONE, false), T0);

        CustomerStore.SaveOutcome outcome = customers.save(next, current.version() - 1 + 5,
                new IdempotencyRecord("STORE-MUC-01", "key-0000008", "fp", 200, "application/json", "{}", T0));

        assertThat(outcome).isInstanceOf(CustomerStore.VersionConflict.class);
        assertThat(customers.find("cust-7").orElseThrow()).isEqualTo(current);
        assertThat(customers.storedResponse("STORE-MUC-01", "key-0000008")).isEmpty();
    }

    @Test
    void withoutACallerIs401() throws IOException {
        APIGatewayV2HTTPEvent event = put("cust-6", "key-0000006", BODY);
        event.getRequestContext().setAuthorizer(null);

        APIGatewayV2HTTPResponse response = send(event);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(json(response).get("type").asText()).endsWith("/unauthorized");
        assertThat(items("CustomersTable")).isZero();
    }

    private static Arguments bad(String name, Consumer<APIGatewayV2HTTPEvent> change, int status, String field) {
        return Arguments.of(name, change, status, field);
    }

    private static Consumer<APIGatewayV2HTTPEvent> body(String body) {
        return e -> e.setBody(body);
    }

    static Stream<Arguments> badInputs() {
        String prefs = "\"preferences\": {\"sizes\": [\"42\"]}";
        String consent = "\"consent\": {\"marketing\": true}";
        return Stream.of(
                bad("unknown top-level field", body("{" + prefs + ", " + consent + ", \"nickname\": \"A\"}"), 400,
                        "/nickname"),
                bad("unknown profile field", body("{\"profile\": {\"phone\": \"1\"}, " + prefs + ", " + consent + "}"),
                        400, "/profile/phone"),
                bad("preferences missing", body("{" + consent + "}"), 400, "/preferences"),
                bad("consent missing", body("{" + prefs + "}"), 400, "/consent"),
                bad("marketing is a string", body("{" + prefs + ", \"consent\": {\"marketing\": \"yes\"}}"), 400,
                        "/consent/marketing"),
                bad("marketing missing", body("{" + prefs + ", \"consent\": {}}"), 400, "/consent/marketing"),
                bad("sizes is a string", body("{\"preferences\": {\"sizes\": \"42\"}, " + consent + "}"), 400,
                        "/preferences/sizes"),
                bad("a size is a number", body("{\"preferences\": {\"sizes\": [42]}, " + consent + "}"), 400,
                        "/preferences/sizes/0"),
                bad("21 colors", body("{\"preferences\": {\"colors\": " + Json.mapper().valueToTree(
                        Stream.iterate(0, i -> i + 1).limit(21).map(i -> "c" + i).toList()) + "}, " + consent + "}"),
                        400, "/preferences/colors"),
                bad("size over 16 characters", body("{\"preferences\": {\"sizes\": [\"" + "4".repeat(17) + "\"]}, "
                        + consent + "}"), 400, "/preferences/sizes/0"),
                bad("duplicate size", body("{\"preferences\": {\"sizes\": [\"42\", \"42\"]}, " + consent + "}"), 400,
                        "/preferences/sizes/1"),
                bad("category not a slug", body("{\"preferences\": {\"categories\": [\"Running Shoes\"]}, " + consent
                        + "}"), 400, "/preferences/categories/0"),
                bad("email without @", body("{\"profile\": {\"email\": \"alex.example.com\"}, " + prefs + ", "
                        + consent + "}"), 400, "/profile/email"),
                bad("email with spaces", body("{\"profile\": {\"email\": \"alex @example.com\"}, " + prefs + ", "
                        + consent + "}"), 400, "/profile/email"),
                bad("name over 200 characters", body("{\"profile\": {\"name\": \"" + "n".repeat(201) + "\"}, " + prefs
                        + ", " + consent + "}"), 400, "/profile/name"),
                bad("name with a control character", body("{\"profile\": {\"name\": \"A\\u0007\"}, " + prefs + ", "
                        + consent + "}"), 400, "/profile/name"),
                bad("duplicate key", body("{" + prefs + ", " + consent + ", " + consent + "}"), 400, "body"),
                bad("trailing data", body("{" + prefs + ", " + consent + "} {}"), 400, "body"),
                bad("malformed JSON", body("{" + prefs + ", "), 400, "body"),
                bad("empty body", body(null), 400, "body"),
                bad("an array", body("[]"), 400, "/"),
                bad("invalid UTF-8", e -> {
                    byte[] bytes = ("{\"profile\": {\"name\": \"A\u00e9\"}, " + prefs + ", " + consent + "}")
                            .getBytes(StandardCharsets.ISO_8859_1);
                    e.setBody(Base64.getEncoder().encodeToString(bytes));
                    e.setIsBase64Encoded(true);
                }, 400, "body"),
                bad("customerId with a space", e -> e.setPathParameters(Map.of("customerId", "a b")), 400,
                        "customerId"),
                bad("customerId of 65 characters", e -> e.setPathParameters(Map.of("customerId", "c".repeat(65))),
                        400, "customerId"),
                bad("no Idempotency-Key", e -> {
                    Map<String, String> headers = new HashMap<>(e.getHeaders());
                    headers.remove("idempotency-key");
                    e.setHeaders(headers);
                }, 400, "Idempotency-Key"),
                bad("Idempotency-Key too short", e -> {
                    Map<String, String> headers = new HashMap<>(e.getHeaders());
                    headers.put("idempotency-key", "abc");
                    e.setHeaders(headers);
                }, 400, "Idempotency-Key"),
                bad("body over 16 KiB", body("{" + prefs + ", " + consent + "}" + " ".repeat(16 * 1024)), 413, null));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badInputs")
    void badInputIsRejectedAndWritesNothing(String name, Consumer<APIGatewayV2HTTPEvent> change, int status,
                                            String field) throws IOException {
        APIGatewayV2HTTPEvent event = put("cust-9", "bad-input-key", BODY);
        change.accept(event);

        APIGatewayV2HTTPResponse response = send(event);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        if (field == null) {
            assertThat(problem.has("field")).isFalse();
        } else {
            assertThat(problem.path("field").asText()).isEqualTo(field);
        }
        assertThat(items("CustomersTable")).isZero();
        assertThat(items("IdempotencyTable")).isZero();
    }
}
