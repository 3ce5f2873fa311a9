package com.edgeinventory.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.edgeinventory.local.moto.MotoServer;
import com.edgeinventory.local.testing.HandlerBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code analytics --endpoint} end to end through the real Lambda runtime interface client, with a stand-in
 * AnalyticsQueryFunction that answers with what it was given: the event the CLI builds, the central role's
 * environment, and how function responses (a table, a problem) reach the user.
 */
class AnalyticsCommandIT {

    private static final String HANDLER = """
            package it;

            import java.util.LinkedHashMap;
            import java.util.List;
            import java.util.Map;

            public class Analytics {
                @SuppressWarnings("unchecked")
                public Map<String, Object> handle(Map<String, Object> event) {
                    Map<String, Object> context = (Map<String, Object>) event.get("requestContext");
                    Map<String, Object> http = (Map<String, Object>) context.get("http");
                    Map<String, Object> iam = (Map<String, Object>) ((Map<String, Object>) context.get("authorizer"))
                            .get("iam");
                    Map<String, Object> query = (Map<String, Object>) event.getOrDefault("queryStringParameters",
                            Map.of());
                    Map<String, Object> path = (Map<String, Object>) event.getOrDefault("pathParameters", Map.of());
                    Map<String, Object> response = new LinkedHashMap<>();
                    response.put("headers", Map.of("content-type", "application/json"));
                    if ("mars".equals(query.get("region"))) {
                        response.put("statusCode", 400);
                        response.put("headers", Map.of("content-type", "application/problem+json"));
                        response.put("body", "{\\"title\\":\\"The request is invalid\\",\\"status\\":400,"
                                + "\\"detail\\":\\"region must be an AWS region name such as eu-west-1; got 'mars'\\","
                                + "\\"field\\":\\"region\\"}");
                        return response;
                    }
                    List<Object[]> rows = List.of(
                            new Object[] {"routeKey", event.get("routeKey")},
                            new Object[] {"rawPath", event.get("rawPath")},
                            new Object[] {"rawQueryString", event.get("rawQueryString")},
                            new Object[] {"method", http.get("method")},
                            new Object[] {"sku", path.get("sku")},
                            new Object[] {"region", query.get("region")},
                            new Object[] {"days", query.get("days")},
                            new Object[] {"userArn", iam.get("userArn")},
                            new Object[] {"levelsTable", System.getenv("LEVELS_TABLE")},
                            new Object[] {"awsRegion", System.getenv("AWS_REGION")});
                    StringBuilder items = new StringBuilder();
                    for (Object[] row : rows) {
                        if (row[1] == null) {
                            continue;
                        }
                        items.append(items.length() == 0 ? "" : ",").append("{\\"name\\":\\"").append(row[0])
                                .append("\\",\\"value\\":\\"").append(row[1]).append("\\"}");
                    }
                    response.put("statusCode", 200);
                    response.put("body", "{\\"query\\":\\"echo\\",\\"columns\\":[\\"name\\",\\"value\\"],\\"items\\":["
                            + items + "],\\"totals\\":{\\"name\\":\\"rows\\",\\"value\\":" + rows.size() + "}}");
                    return response;
                }
            }
            """;

    private static final String TEMPLATE = """
            Parameters:
              Stage: {Type: String, Default: it}
              DeploymentRole: {Type: String, Default: edge, AllowedValues: [edge, central]}
            Conditions:
              IsCentral: !Equals [!Ref DeploymentRole, central]
            Resources:
              CentralLevelsTable:
                Type: AWS::DynamoDB::Table
                Condition: IsCentral
                Properties:
                  TableName: !Sub "levels-${Stage}"
                  BillingMode: PAY_PER_REQUEST
                  AttributeDefinitions:
                    - {AttributeName: sku, AttributeType: S}
                    - {AttributeName: region, AttributeType: S}
                  KeySchema:
                    - {AttributeName: sku, KeyType: HASH}
                    - {AttributeName: region, KeyType: RANGE}
              AnalyticsQueryFunction:
                Type: AWS::Serverless::Function
                Condition: IsCentral
                Properties:
                  CodeUri: build/analytics.jar
                  Handler: it.Analytics::handle
                  Runtime: java25
                  Timeout: 30
                  MemorySize: 256
                  Environment:
                    Variables:
                      LEVELS_TABLE: !Ref CentralLevelsTable
                  Events:
                    Velocity:
                      Type: HttpApi
                      Properties: {Method: any, Path: "/analytics/velocity/{sku}"}
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static MotoServer moto;

    @BeforeAll
    static void setUp() throws Exception {
        HandlerBuilder.jar(Map.of("it.Analytics", HANDLER), dir.resolve("build/analytics.jar"));
        Files.writeString(dir.resolve("template.yaml"), TEMPLATE);
        moto = MotoServer.start();
        CliRunner.Run provision = CliRunner.run(dir, List.of("provision", "--endpoint", moto.endpoint().toString(),
                "--parameter-overrides", "DeploymentRole=central"));
        assertThat(provision.status()).as(provision.err()).isZero();
    }

    @AfterAll
    static void tearDown() {
        moto.close();
    }

    private static List<String> analytics(String... args) {
        List<String> all = new ArrayList<>(List.of("analytics"));
        all.addAll(List.of(args));
        all.addAll(List.of("--endpoint", moto.endpoint().toString()));
        return all;
    }

    @Test
    void theFunctionGetsAnIamHttpApiEventOfTheCentralRoleWithTheTemplatesRouteKey() throws Exception {
        CliRunner.Run run = CliRunner.run(dir, analytics("velocity", "TR-RUN-42-BLU", "--days", "3", "--edge",
                "eu-west-1", "--format", "json"));

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode body = JSON.readTree(run.out());
        Map<String, String> seen = new LinkedHashMap<>();
        body.get("items").forEach(item -> seen.put(item.get("name").asText(), item.get("value").asText()));
        assertThat(seen).containsExactly(
                Map.entry("routeKey", "ANY /analytics/velocity/{sku}"),
                Map.entry("rawPath", "/analytics/velocity/TR-RUN-42-BLU"),
                Map.entry("rawQueryString", "days=3&region=eu-west-1"),
                Map.entry("method", "GET"),
                Map.entry("sku", "TR-RUN-42-BLU"),
                Map.entry("region", "eu-west-1"),
                Map.entry("days", "3"),
                Map.entry("userArn", "arn:aws:iam::123456789012:user/local-analyst"),
                Map.entry("levelsTable", "levels-it"),
                Map.entry("awsRegion", "eu-west-1"));
        assertThat(run.err()).contains("invoking AnalyticsQueryFunction (it.Analytics::handle");
    }

    @Test
    void theResponseIsRenderedAsATable() {
        CliRunner.Run run = CliRunner.run(dir, analytics("freshness"));

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("""
                name            value
                --------------  --------------------------------------------
                routeKey        GET /analytics/freshness
                rawPath         /analytics/freshness
                rawQueryString
                method          GET
                userArn         arn:aws:iam::123456789012:user/local-analyst
                levelsTable     levels-it
                awsRegion       eu-west-1
                --------------  --------------------------------------------
                rows            10
                """);
    }

    @Test
    void aProblemFromTheFunctionIsExitOneWithItsDetail() {
        CliRunner.Run run = CliRunner.run(dir, analytics("low-stock", "--edge", "mars"));

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("error: region must be an AWS region name such as eu-west-1; got 'mars' "
                + "(field region, given as --edge; HTTP 400 The request is invalid)");
    }

    @Test
    void missingCentralTablesAreNamedWithTheProvisionCommand() {
        CliRunner.Run run = CliRunner.run(dir, analytics("freshness", "--parameter-overrides", "Stage=other"));

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("error: The central tables levels-other are not at " + moto.endpoint()
                + " in eu-west-1. Create them with: edge-inventory provision --endpoint " + moto.endpoint()
                + " --region eu-west-1 --parameter-overrides DeploymentRole=central");
        assertThat(run.err()).doesNotContain("invoking");
    }
}
