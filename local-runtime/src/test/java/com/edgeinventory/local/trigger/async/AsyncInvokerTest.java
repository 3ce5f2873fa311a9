package com.edgeinventory.local.trigger.async;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.invoke.InvokeOutcome;
import com.edgeinventory.local.invoke.InvokeResult;
import com.edgeinventory.local.template.FunctionDef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Lambda's asynchronous invocation: retries, then the OnFailure record with the event and the error. */
class AsyncInvokerTest {

    static final String DLQ = "arn:aws:sqs:eu-west-1:123456789012:upload-dlq";
    static final FunctionDef FUNCTION = new FunctionDef("Fn", "edge-dev-fn", "a.B::handle", "java25",
            Path.of("/code/fn.jar"), 512, 30, Map.of(), List.of(),
            Map.of("MaximumRetryAttempts", 2, "DestinationConfig",
                    Map.of("OnFailure", Map.of("Type", "SQS", "Destination", DLQ))),
            "/aws/lambda/edge-dev-fn", FunctionDef.Logging.TEXT,
            "arn:aws:lambda:eu-west-1:123456789012:function:edge-dev-fn");

    final List<String> sent = new CopyOnWriteArrayList<>();
    final List<String> log = new CopyOnWriteArrayList<>();

    static InvokeResult failed() {
        return new InvokeResult("req", new InvokeOutcome.Failed("invoke", "IllegalStateException", "boom",
                "{\"errorMessage\":\"boom\",\"errorType\":\"IllegalStateException\"}"), Duration.ofMillis(2));
    }

    static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
            Thread.sleep(20);
        }
    }

    @Test
    void aFailingEventIsRetriedTwiceThenSentToOnFailureWithTheEventAndTheError() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (AsyncInvoker async = new AsyncInvoker((f, e) -> {
            calls.incrementAndGet();
            return failed();
        }, (arn, json) -> sent.add(arn + " " + json), Clock.systemUTC(), Duration.ofMillis(10), 1, log::add)) {
            async.submit(FUNCTION, "s3://products/X/product.json", "{\"Records\":[{\"x\":1}]}");
            await(() -> !sent.isEmpty());
        }

        assertThat(calls).hasValue(3);
        assertThat(sent).hasSize(1).allMatch(s -> s.startsWith(DLQ + " "));
        JsonNode record = new ObjectMapper().readTree(sent.getFirst().substring(DLQ.length() + 1));
        assertThat(record.at("/requestContext/condition").asText()).isEqualTo("RetriesExhausted");
        assertThat(record.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(3);
        assertThat(record.at("/requestPayload/Records/0/x").asInt()).isEqualTo(1);
        assertThat(record.at("/responsePayload/errorMessage").asText()).isEqualTo("boom");
        assertThat(record.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
        assertThat(log).anyMatch(l -> l.contains("(attempt 3)") && l.contains("error: IllegalStateException: boom"));
    }

    @Test
    void aSuccessAfterARetryIsNotSentAnywhere() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (AsyncInvoker async = new AsyncInvoker((f, e) -> calls.incrementAndGet() == 1 ? failed()
                : new InvokeResult("req", new InvokeOutcome.Success("null"), Duration.ofMillis(1)),
                (arn, json) -> sent.add(json), Clock.systemUTC(), Duration.ofMillis(10), 1, log::add)) {
            async.submit(FUNCTION, "schedule rate(1 minute)", "{}");
            await(() -> calls.get() >= 2 && log.size() >= 2);
        }

        assertThat(calls).hasValue(2);
        assertThat(sent).isEmpty();
        assertThat(log.getLast()).contains("(attempt 2)").endsWith(" ok");
    }
}
