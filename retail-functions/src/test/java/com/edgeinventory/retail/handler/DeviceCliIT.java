package com.edgeinventory.retail.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.cli.command.CliRunner;
import com.edgeinventory.cli.command.CliRunner.Run;
import com.edgeinventory.testing.TestClock;
import com.edgeinventory.cli.command.Main;
import com.edgeinventory.model.Json;
import com.edgeinventory.devices.DevicesTable;
import com.edgeinventory.devices.DeviceKeys;
import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.LocalAwsExtension;
import com.edgeinventory.testing.TestLambdaContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code bin/edge-inventory device add} (driven in-process through its Main) against the real authorizer. */
@ExtendWith(LocalAwsExtension.class)
class DeviceCliIT {

    LocalAws aws;
    DevicesTable devices;
    TestClock clock = new TestClock(Instant.parse("2026-11-27T08:00:00Z"));

    @BeforeEach
    void setUp(LocalAws aws) {
        this.aws = aws;
        aws.reset();
        devices = new DevicesTable(aws.dynamoDb(), aws.provision(Map.of()).physicalId("DevicesTable"));
    }

    Run cli(String... args) {
        return CliRunner.inRepository(aws.repoRoot(), args);
    }

    Map<String, Object> authorize(String authorization) {
        return new DeviceAuthorizerHandler(devices, clock).handleRequest(
                DeviceAuthorizerHandlerIT.request(authorization), new TestLambdaContext());
    }

    @Test
    void aDeviceAddedByTheCliIsAuthorizedWithThePrintedHeader() throws IOException {
        Run run = cli("device", "add", "--store", "STORE-MUC-01", "--device", "POS-07",
                "--endpoint", aws.endpoint().toString());

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode printed = Json.mapper().readTree(run.out());
        assertThat(printed.get("deviceId").asText()).isEqualTo("POS-07");
        assertThat(printed.get("storeId").asText()).isEqualTo("STORE-MUC-01");
        String authorization = printed.get("authorization").asText();
        assertThat(DeviceKeys.parse(authorization)).isPresent();
        String secret = DeviceKeys.parse(authorization).orElseThrow().secret();
        assertThat(run.err()).doesNotContain(secret);
        DevicesTable.Device stored = devices.find("POS-07").orElseThrow();
        assertThat(stored.keyHash()).isEqualTo(DeviceKeys.hash(secret));
        assertThat(stored.active()).isTrue();

        assertThat(authorize(authorization)).containsEntry("isAuthorized", true)
                .containsEntry("context", Map.of("storeId", "STORE-MUC-01", "deviceId", "POS-07"));
    }

    @Test
    void addWithoutADeviceIdGeneratesOne() throws IOException {
        Run run = cli("device", "add", "--store", "STORE-1", "--endpoint", aws.endpoint().toString());

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode printed = Json.mapper().readTree(run.out());
        assertThat(printed.get("deviceId").asText()).matches("device-[0-9a-f]{12}");
        assertThat(authorize(printed.get("authorization").asText())).containsEntry("isAuthorized", true);
    }

    @Test
    void anExistingDeviceIdIsAnErrorAndKeepsTheOldKey() throws IOException {
        Run first = cli("device", "add", "--store", "S1", "--device", "POS-01", "--endpoint", aws.endpoint().toString());
        Run second = cli("device", "add", "--store", "S2", "--device", "POS-01", "--endpoint", aws.endpoint().toString());

        assertThat(second.status()).isEqualTo(1);
        assertThat(second.out()).isEmpty();
        assertThat(second.err()).contains("error: Device POS-01 already exists in edge-inventory-dev-devices");
        assertThat(authorize(Json.mapper().readTree(first.out()).get("authorization").asText()))
                .containsEntry("context", Map.of("storeId", "S1", "deviceId", "POS-01"));
    }

    @Test
    void disableRefusesTheDevice() throws IOException {
        Run added = cli("device", "add", "--store", "S1", "--device", "POS-02", "--endpoint", aws.endpoint().toString());
        Run disabled = cli("device", "disable", "--device", "POS-02", "--endpoint", aws.endpoint().toString());
        Run unknown = cli("device", "disable", "--device", "POS-99", "--endpoint", aws.endpoint().toString());

        assertThat(disabled.status()).as(disabled.err()).isZero();
        assertThat(Json.mapper().readTree(disabled.out()).get("status").asText()).isEqualTo("DISABLED");
        assertThat(authorize(Json.mapper().readTree(added.out()).get("authorization").asText()))
                .containsExactly(Map.entry("isAuthorized", false));
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("error: No device POS-99 in edge-inventory-dev-devices");
    }

    @Test
    void anUnprovisionedEndpointSaysToProvisionFirst() {
        aws.reset();

        Run run = cli("device", "add", "--store", "S1", "--endpoint", aws.endpoint().toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("error: Table edge-inventory-dev-devices does not exist at "
                + aws.endpoint() + "; run 'edge-inventory provision --endpoint " + aws.endpoint() + "' first");
    }
}
