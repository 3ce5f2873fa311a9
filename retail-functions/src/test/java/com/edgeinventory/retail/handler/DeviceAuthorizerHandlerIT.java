package com.edgeinventory.retail.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.edgeinventory.testing.TestClock;
import com.edgeinventory.local.provision.StackResources;
import com.edgeinventory.devices.DevicesTable;
import com.edgeinventory.devices.DevicesTable.Device;
import com.edgeinventory.devices.DevicesTable.Status;
import com.edgeinventory.devices.DeviceKeys;
import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.LocalAwsExtension;
import com.edgeinventory.testing.TestLambdaContext;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(LocalAwsExtension.class)
class DeviceAuthorizerHandlerIT {

    static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");
    static final String SECRET = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    static final String DISABLED_SECRET = DeviceKeys.newSecret();

    DevicesTable devices;
    TestClock clock;
    DeviceAuthorizerHandler handler;
    TestLambdaContext context;

    @BeforeEach
    void setUp(LocalAws aws) {
        aws.reset();
        StackResources stack = aws.provision(Map.of());
        devices = new DevicesTable(aws.dynamoDb(), stack.physicalId("DevicesTable"));
        devices.create(new Device("POS-01", "STORE-MUC-01", DeviceKeys.hash(SECRET), Status.ACTIVE, T0));
        devices.create(new Device("POS-OLD", "STORE-MUC-01", DeviceKeys.hash(DISABLED_SECRET), Status.DISABLED, T0));
        clock = new TestClock(T0);
        handler = new DeviceAuthorizerHandler(devices, clock);
        context = new TestLambdaContext();
    }

    static APIGatewayV2CustomAuthorizerEvent request(String authorization) {
        APIGatewayV2CustomAuthorizerEvent event = EventLoader.loadAPIGatewayV2CustomAuthorizerEvent(
                "http-authorizer-request.json");
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.remove("authorization");
        event.setIdentitySource(null);
        if (authorization != null) {
            headers.put("authorization", authorization);
            event.setIdentitySource(List.of(authorization));
        }
        event.setHeaders(headers);
        return event;
    }

    static Stream<Arguments> denied() {
        return Stream.of(
                Arguments.of("no header", null),
                Arguments.of("empty header", ""),
                Arguments.of("wrong scheme", "Bearer " + SECRET),
                Arguments.of("basic scheme", "Basic UE9TLTAxOnNlY3JldA=="),
                Arguments.of("malformed: no secret", "Device POS-01"),
                Arguments.of("malformed: short secret", "Device POS-01:" + SECRET.substring(2)),
                Arguments.of("malformed: trailing space", "Device POS-01:" + SECRET + " "),
                Arguments.of("the fixture's placeholder", "Device POS-01:<secret>"),
                Arguments.of("unknown device", "Device POS-99:" + SECRET),
                Arguments.of("wrong secret", "Device POS-01:" + DeviceKeys.newSecret()),
                Arguments.of("another device's secret", "Device POS-01:" + DISABLED_SECRET),
                Arguments.of("disabled device, right secret", "Device POS-OLD:" + DISABLED_SECRET));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("denied")
    void deniesWithoutContext(String name, String authorization) {
        Map<String, Object> response = handler.handleRequest(request(authorization), context);

        assertThat(response).containsExactly(Map.entry("isAuthorized", false));
        if (authorization != null && authorization.length() > 20) {
            String secretPart = authorization.substring(authorization.indexOf(' ') + 1);
            assertThat(String.join("", context.logLines)).doesNotContain(secretPart);
        }
    }

    @Test
    void allowsAnActiveDeviceWithItsStoreAndDeviceInTheContext() {
        Map<String, Object> response = handler.handleRequest(request("Device POS-01:" + SECRET), context);

        assertThat(response).containsEntry("isAuthorized", true)
                .containsEntry("context", Map.of("storeId", "STORE-MUC-01", "deviceId", "POS-01"));
        assertThat(String.join("", context.logLines)).contains("allow device=POS-01").doesNotContain(SECRET);
    }

    @Test
    void readsTheIdentitySourceWhenHeadersAreAbsent() {
        APIGatewayV2CustomAuthorizerEvent event = request("Device POS-01:" + SECRET);
        event.setHeaders(null);

        assertThat(handler.handleRequest(event, context)).containsEntry("isAuthorized", true);
    }

    @Test
    void aDisabledDeviceIsRefusedOnceTheSixtySecondCacheExpires(LocalAws aws) {
        assertThat(handler.handleRequest(request("Device POS-01:" + SECRET), context))
                .containsEntry("isAuthorized", true);
        devices.disable("POS-01");

        clock.advance(Duration.ofSeconds(59));
        Map<String, Object> cached = handler.handleRequest(request("Device POS-01:" + SECRET), context);
        clock.advance(Duration.ofSeconds(2));
        Map<String, Object> expired = handler.handleRequest(request("Device POS-01:" + SECRET), context);

        assertThat(cached).containsEntry("isAuthorized", true);
        assertThat(expired).containsExactly(Map.entry("isAuthorized", false));
    }

    @Test
    void theTableNeverHoldsTheSecret(LocalAws aws) {
        List<Map<String, AttributeValue>> items = aws.dynamoDb()
                .scan(b -> b.tableName(aws.provision(Map.of()).physicalId("DevicesTable"))).items();

        assertThat(items).hasSize(2);
        assertThat(items.toString()).doesNotContain(SECRET).doesNotContain(DISABLED_SECRET)
                .contains(DeviceKeys.hash(SECRET));
    }
}
