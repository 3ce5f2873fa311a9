package com.edgeinventory.local.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every failure path of the deployed stack ends where an operator sees it, for both roles of the real
 * template: each function has Errors and Throttles alarms, each queue an alarm on its messages, each stream
 * consumer an iterator-age alarm, and every alarm notifies the stack's AlarmTopic on ALARM and on OK.
 */
class TemplateAlarmsTest {

    private static final Path TEMPLATE = TemplateResolver.findTemplate(Path.of("").toAbsolutePath());

    static Stream<Arguments> roles() {
        return Stream.of(
                Arguments.of("edge", Map.of("DeploymentRole", "edge", "CentralStreamArn",
                        "arn:aws:kinesis:us-east-2:123456789012:stream/edge-inventory-dev-central")),
                Arguments.of("central", Map.of("DeploymentRole", "central")));
    }

    @SuppressWarnings("unchecked")
    private static List<String> dimensionValues(ResolvedResource alarm) {
        List<String> values = new ArrayList<>();
        Object dimensions = alarm.properties().get("Dimensions");
        if (dimensions instanceof List<?> list) {
            list.forEach(d -> values.add(String.valueOf(((Map<String, Object>) d).get("Value"))));
        }
        return values;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roles")
    void everyFunctionQueueAndStreamConsumerHasAnAlarmThatNotifiesTheTopic(String role, Map<String, String> params) {
        ResolvedTemplate t = TemplateResolver.resolve(TEMPLATE, ResolveOptions.defaults()
                .withRegion(role.equals("edge") ? "eu-west-1" : "us-east-2").withParameterOverrides(params));
        List<ResolvedResource> alarms = t.resourcesOfType("AWS::CloudWatch::Alarm");
        String topic = t.resource("AlarmTopic").physicalId();

        assertThat(alarms).isNotEmpty().allSatisfy(a -> {
            assertThat(String.valueOf(a.properties().get("AlarmActions"))).as("%s AlarmActions", a.logicalId())
                    .contains(topic);
            assertThat(String.valueOf(a.properties().get("OKActions"))).as("%s OKActions", a.logicalId())
                    .contains(topic);
        });
        for (FunctionDef f : t.functions()) {
            for (String metric : List.of("Errors", "Throttles")) {
                assertThat(alarms).as("%s alarm of %s", metric, f.logicalId()).anyMatch(a ->
                        metric.equals(a.properties().get("MetricName"))
                                && dimensionValues(a).contains(f.functionName()));
            }
            boolean streamConsumer = f.events().stream().anyMatch(e -> e instanceof EventSource.Generic g
                    && (g.type().equals("DynamoDB") || g.type().equals("Kinesis")));
            if (streamConsumer) {
                assertThat(alarms).as("IteratorAge alarm of %s", f.logicalId()).anyMatch(a ->
                        "IteratorAge".equals(a.properties().get("MetricName"))
                                && dimensionValues(a).contains(f.functionName()));
            }
        }
        t.queues().forEach(q ->
                assertThat(alarms).as("an alarm on queue %s", q.logicalId()).anyMatch(a ->
                        "AWS/SQS".equals(a.properties().get("Namespace"))
                                && dimensionValues(a).contains(q.physicalId())));
    }
}
