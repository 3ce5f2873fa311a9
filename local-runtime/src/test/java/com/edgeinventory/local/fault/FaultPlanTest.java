package com.edgeinventory.local.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.edgeinventory.local.invoke.InvokeOutcome;
import com.edgeinventory.local.invoke.InvokeRequest;
import com.edgeinventory.local.invoke.InvokeResult;
import com.edgeinventory.local.template.FunctionDef;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FaultPlanTest {

    static final FunctionDef FORWARDER = function("InventoryStreamForwarder", 30);
    static final FunctionDef AGGREGATOR = function("CentralAggregatorFunction", 60);

    static FunctionDef function(String logicalId, int timeout) {
        return new FunctionDef(logicalId, "edge-dev-" + logicalId, "h.Handler::handleRequest", "java25",
                Path.of("f.jar"), 512, timeout, Map.of(), List.of(), Map.of(), "/aws/lambda/" + logicalId,
                FunctionDef.Logging.TEXT, "arn:aws:lambda:eu-west-1:123456789012:function:" + logicalId);
    }

    @Test
    void parsesRulesSeparatedBySemicolonsAndGivenSeveralTimes() {
        FaultPlan plan = FaultPlan.parse(List.of("InventoryStreamForwarder:fail:TR-RUN-42-BLU; "
                        + "CentralAggregatorFunction:crash:SOME-TEXT;",
                "ProductUploadFunction:TIMEOUT:products/X/:with:colons"));

        assertThat(plan.rules()).containsExactly(
                new FaultPlan.Rule("InventoryStreamForwarder", FaultPlan.Kind.FAIL, "TR-RUN-42-BLU"),
                new FaultPlan.Rule("CentralAggregatorFunction", FaultPlan.Kind.CRASH, "SOME-TEXT"),
                new FaultPlan.Rule("ProductUploadFunction", FaultPlan.Kind.TIMEOUT, "products/X/:with:colons"));
        assertThat(plan.toString()).isEqualTo("InventoryStreamForwarder:fail:TR-RUN-42-BLU;"
                + "CentralAggregatorFunction:crash:SOME-TEXT;ProductUploadFunction:timeout:products/X/:with:colons");
        assertThat(FaultPlan.parse(List.of()).isEmpty()).isTrue();
        assertThat(FaultPlan.none().intercept(FORWARDER, "{}")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "InventoryStreamForwarder                  | no ':' in it",
            "InventoryStreamForwarder:fail             | no TEXT to match",
            "InventoryStreamForwarder:fail:            | the TEXT to match is empty",
            ":fail:X                                   | the function '' is not a template logical id",
            "Inventory-Forwarder:fail:X                | the function 'Inventory-Forwarder'",
            "InventoryStreamForwarder:explode:X        | the kind 'explode' is not one of fail, crash, timeout",
            "InventoryStreamForwarder:fail:X;Bad       | fault 'Bad'",
    })
    void badSpecsNameThePartAtFault(String spec, String message) {
        assertThatThrownBy(() -> FaultPlan.parse(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aMatchingEventFailsWithoutRunningTheFunctionAsTheHandlerThrowing() throws Exception {
        FaultPlan plan = FaultPlan.parse("InventoryStreamForwarder:fail:TR-POISON");

        InvokeResult result = plan.intercept(FORWARDER, "{\"Records\":[{\"sku\":\"TR-POISON-1\"}]}").orElseThrow();

        InvokeOutcome.Failed failed = (InvokeOutcome.Failed) result.outcome();
        assertThat(failed.phase()).isEqualTo("invoke");
        assertThat(failed.errorType()).isEqualTo("InjectedFault");
        assertThat(failed.errorMessage()).startsWith("injected fault for InventoryStreamForwarder")
                .contains("TR-POISON");
        assertThat(new ObjectMapper().readTree(failed.errorJson()).get("errorType").asText())
                .isEqualTo("InjectedFault");
        assertThat(result.requestId()).isNotBlank();
        assertThat(plan.intercept(FORWARDER, "{\"sku\":\"TR-HEALTHY\"}")).isEmpty();
        assertThat(plan.intercept(AGGREGATOR, "{\"sku\":\"TR-POISON-1\"}")).as("another function").isEmpty();
    }

    @Test
    void crashAndTimeoutLookLikeTheRuntimeDyingOrRunningOutOfTime() {
        FaultPlan plan = FaultPlan.parse("CentralAggregatorFunction:crash:A;InventoryStreamForwarder:timeout:*");

        assertThat(plan.intercept(AGGREGATOR, "..A..").orElseThrow().outcome())
                .isEqualTo(new InvokeOutcome.Crashed(137));
        InvokeResult timedOut = plan.intercept(FORWARDER, "{}").orElseThrow();
        assertThat(timedOut.outcome()).isEqualTo(new InvokeOutcome.TimedOut(30));
        assertThat(timedOut.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(plan.intercept(AGGREGATOR, "B")).isEmpty();
    }

    @Test
    void reportsFunctionsTheTemplateDoesNotHave() {
        FaultPlan plan = FaultPlan.parse("InventoryStreamForwarder:fail:X;InventoryStreamForwardr:fail:Y");

        assertThat(plan.unknownFunctions(List.of("InventoryStreamForwarder", "CentralAggregatorFunction")))
                .containsExactly("InventoryStreamForwardr");
    }

    @Test
    void theFaultingInvokerInterceptsFirstAndGivesTheFunctionsTheProxyEndpoint() {
        List<InvokeRequest> ran = new ArrayList<>();
        List<String> log = new ArrayList<>();
        URI proxy = URI.create("http://127.0.0.1:1234");
        FaultingInvoker invoker = new FaultingInvoker(r -> {
            ran.add(r);
            return new InvokeResult("id", new InvokeOutcome.Success("{}"), Duration.ZERO);
        }, FaultPlan.parse("InventoryStreamForwarder:fail:POISON"), Optional.of(proxy), log::add);

        InvokeResult poisoned = invoker.apply(new InvokeRequest(FORWARDER, "{\"POISON\":1}", Map.of("A", "b"),
                "eu-west-1", Optional.of(URI.create("http://127.0.0.1:5000"))));
        InvokeResult healthy = invoker.apply(new InvokeRequest(FORWARDER, "{}", Map.of("A", "b"), "eu-west-1",
                Optional.of(URI.create("http://127.0.0.1:5000"))));

        assertThat(poisoned.outcome()).isInstanceOf(InvokeOutcome.Failed.class);
        assertThat(healthy.succeeded()).isTrue();
        assertThat(ran).hasSize(1);
        assertThat(ran.getFirst().endpoint()).contains(proxy);
        assertThat(ran.getFirst().variables()).containsEntry("A", "b");
        assertThat(log).singleElement().asString().contains("InventoryStreamForwarder:fail:POISON");
    }
}
