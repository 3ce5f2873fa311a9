package com.edgeinventory.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.edgeinventory.local.template.TemplateResolver;
import com.edgeinventory.testing.SamTranslator;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Every trigger invokes the function's published alias, never $LATEST: with SnapStart only published versions
 * are snapshotted and primed, so an unqualified ARN in a trigger pays a full JVM cold start (and skips the
 * priming) on every new environment. Read from template.yaml as SAM's own translator turns it into
 * CloudFormation, for both roles: event source mappings, permissions, S3 notifications, schedule targets,
 * EventInvokeConfig qualifiers, and the HTTP APIs' integrations and Lambda authorizers.
 */
class TriggerAliasesIT {

    private static final Path TEMPLATE = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir")));
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9]+)(?:\\.Arn)?}");

    static Stream<Arguments> roles() {
        return Stream.of(
                Arguments.of("edge", Map.of("DeploymentRole", "edge",
                        "CentralStreamArn", "arn:aws:kinesis:us-east-2:123456789012:stream/edge-inventory-dev-central")),
                Arguments.of("central", Map.of("DeploymentRole", "central")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roles")
    void everyTriggerInvokesTheLiveAlias(String role, Map<String, String> parameters) {
        JsonNode resources = SamTranslator.translate(TEMPLATE, "eu-west-1", parameters).get("Resources");
        Map<String, String> types = new HashMap<>();
        resources.properties().forEach(e -> types.put(e.getKey(), e.getValue().get("Type").asText()));

        List<String> unqualified = new ArrayList<>();
        List<String> qualified = new ArrayList<>();
        resources.properties().forEach(e -> {
            String id = e.getKey();
            JsonNode properties = e.getValue().path("Properties");
            switch (types.get(id)) {
                case "AWS::Lambda::Permission", "AWS::Lambda::EventSourceMapping" ->
                        classify(id + ".FunctionName", properties.get("FunctionName"), types, qualified, unqualified);
                case "AWS::Events::Rule", "AWS::Scheduler::Schedule" -> properties.path("Targets").forEach(t ->
                        classify(id + ".Targets.Arn", t.get("Arn"), types, qualified, unqualified));
                case "AWS::Lambda::EventInvokeConfig" -> {
                    String qualifier = properties.path("Qualifier").asText();
                    (qualifier.isEmpty() || qualifier.equals("$LATEST") ? unqualified : qualified)
                            .add(id + ".Qualifier=" + qualifier);
                }
                case "AWS::S3::Bucket" -> properties.path("NotificationConfiguration").findValues("Function")
                        .forEach(f -> classify(id + ".LambdaConfigurations.Function", f, types, qualified,
                                unqualified));
                case "AWS::ApiGatewayV2::Api" -> {
                    for (String field : List.of("uri", "authorizerUri")) {
                        properties.path("Body").findValues(field).forEach(uri ->
                                classify(id + ".Body." + field, uri, types, qualified, unqualified));
                    }
                }
                case "AWS::ApiGatewayV2::Authorizer", "AWS::ApiGatewayV2::Integration" -> {
                    for (String field : List.of("AuthorizerUri", "IntegrationUri")) {
                        if (properties.has(field)) {
                            classify(id + "." + field, properties.get(field), types, qualified, unqualified);
                        }
                    }
                }
                default -> { }
            }
        });

        assertThat(unqualified).as("triggers that invoke $LATEST (an unqualified function ARN) in the %s role", role)
                .isEmpty();
        assertThat(qualified).as("triggers found in the %s role", role).hasSizeGreaterThan(
                role.equals("edge") ? 20 : 5);
        if (role.equals("edge")) {
            assertThat(qualified).anyMatch(q -> q.startsWith("RetailApi.Body.authorizerUri"))
                    .anyMatch(q -> q.startsWith("RetailApiDeviceAuthorizerAuthorizerPermission"));
        }
    }

    /** Adds where every function a trigger names is referenced: to qualified for an alias, else to unqualified. */
    private static void classify(String where, JsonNode node, Map<String, String> types, List<String> qualified,
            List<String> unqualified) {
        List<String> referenced = new ArrayList<>();
        collectReferences(node, referenced);
        List<String> functions = referenced.stream()
                .filter(r -> types.containsKey(r) && types.get(r).startsWith("AWS::Lambda::")).toList();
        assertThat(functions).as("the function %s references (%s)", where, node).isNotEmpty();
        for (String ref : functions) {
            (types.get(ref).equals("AWS::Lambda::Alias") ? qualified : unqualified).add(where + " -> " + ref);
        }
    }

    private static void collectReferences(JsonNode node, List<String> into) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            if (node.has("Ref")) {
                into.add(node.get("Ref").asText());
            }
            if (node.has("Fn::GetAtt")) {
                into.add(node.get("Fn::GetAtt").get(0).asText());
            }
            if (node.has("Fn::Sub")) {
                JsonNode sub = node.get("Fn::Sub");
                String text = sub.isArray() ? sub.get(0).asText() : sub.asText();
                Matcher m = SUB_VARIABLE.matcher(text);
                while (m.find()) {
                    into.add(m.group(1));
                }
            }
            node.properties().forEach(e -> collectReferences(e.getValue(), into));
        } else if (node.isArray()) {
            node.forEach(child -> collectReferences(child, into));
        }
    }
}
