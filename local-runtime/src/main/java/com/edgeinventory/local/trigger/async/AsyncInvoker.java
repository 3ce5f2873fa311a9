package com.edgeinventory.local.trigger.async;

import com.edgeinventory.local.trigger.esm.StreamPoller;
import com.edgeinventory.local.invoke.InvokeOutcome;
import com.edgeinventory.local.invoke.InvokeResult;
import com.edgeinventory.local.template.FunctionDef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Lambda's asynchronous invocation (what S3 notifications and schedules use): the event is queued, the function
 * runs, a failed run is retried {@code EventInvokeConfig.MaximumRetryAttempts} times (default 2) while the event
 * is younger than {@code MaximumEventAgeInSeconds} (default 6 h), then the event goes to the
 * {@code OnFailure} destination in the record shape Lambda uses ({@code requestPayload}, {@code responsePayload},
 * condition {@code RetriesExhausted} or {@code EventAgeExceeded}).
 *
 * <p>Lambda waits about 1 and then 2 minutes between the attempts; locally the waits are {@code retryDelay} and
 * twice that (default 1 s and 2 s) so a demo does not stall.
 */
public final class AsyncInvoker implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BiFunction<FunctionDef, String, InvokeResult> invoker;
    private final StreamPoller.FailureDestination destination;
    private final Clock clock;
    private final Duration retryDelay;
    private final Consumer<String> log;
    private final ExecutorService workers;
    private final AtomicInteger pending = new AtomicInteger();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "async-retries");
        t.setDaemon(true);
        return t;
    });

    public AsyncInvoker(BiFunction<FunctionDef, String, InvokeResult> invoker,
                        StreamPoller.FailureDestination destination, Clock clock, Duration retryDelay, int threads,
                        Consumer<String> log) {
        this.invoker = Objects.requireNonNull(invoker);
        this.destination = Objects.requireNonNull(destination);
        this.clock = Objects.requireNonNull(clock);
        this.retryDelay = Objects.requireNonNull(retryDelay);
        this.log = Objects.requireNonNull(log);
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "async-invoke");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues one event for {@code function}; {@code trigger} names it in the log. */
    public void submit(FunctionDef function, String trigger, String eventJson) {
        submit(function, trigger, eventJson, () -> { });
    }

    /**
     * Queues one event; {@code done} runs once the event is finished with: handled, or sent to (or dropped for
     * lack of) the OnFailure destination. A source deletes its message then, so a crash before loses nothing.
     */
    public void submit(FunctionDef function, String trigger, String eventJson, Runnable done) {
        Instant queued = clock.instant();
        pending.incrementAndGet();
        workers.submit(() -> attempt(function, trigger, eventJson, queued, 1, done));
    }

    /** Events queued or being retried. */
    public int pending() {
        return pending.get();
    }

    private void finished(Runnable done) {
        try {
            done.run();
        } finally {
            pending.decrementAndGet();
        }
    }

    private void attempt(FunctionDef function, String trigger, String eventJson, Instant queued, int attempt,
                         Runnable done) {
        InvokeResult result;
        try {
            result = invoker.apply(function, eventJson);
        } catch (RuntimeException e) {
            log.accept(function.logicalId() + " <- " + trigger + ": cannot invoke, retrying: " + e.getMessage());
            retries.schedule(() -> workers.submit(() -> attempt(function, trigger, eventJson, queued, attempt, done)),
                    retryDelay.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        String outcome = outcome(result);
        log.accept(function.logicalId() + " <- " + trigger + (attempt > 1 ? " (attempt " + attempt + ")" : "")
                + " " + result.duration().toMillis() + " ms " + outcome);
        if (result.succeeded()) {
            finished(done);
            return;
        }
        Map<String, Object> config = function.eventInvokeConfig();
        int maxRetries = number(config.get("MaximumRetryAttempts"), 2);
        long maxAge = number(config.get("MaximumEventAgeInSeconds"), 21_600);
        if (clock.instant().isAfter(queued.plusSeconds(maxAge))) {
            fail(function, eventJson, result, "EventAgeExceeded", attempt);
            finished(done);
        } else if (attempt > maxRetries) {
            fail(function, eventJson, result, "RetriesExhausted", attempt);
            finished(done);
        } else {
            retries.schedule(() -> workers.submit(() -> attempt(function, trigger, eventJson, queued, attempt + 1,
                    done)), retryDelay.toMillis() * attempt, TimeUnit.MILLISECONDS);
        }
    }

    private void fail(FunctionDef function, String eventJson, InvokeResult last, String condition, int attempts) {
        Optional<String> arn = onFailure(function.eventInvokeConfig());
        log.accept(function.logicalId() + ": " + condition + " after " + attempts + " attempt"
                + (attempts == 1 ? "" : "s") + arn.map(a -> ", event sent to " + a).orElse(", event dropped"));
        arn.ifPresent(a -> destination.send(a, record(function, eventJson, last, condition, attempts).toString()));
    }

    /** The record Lambda sends to an asynchronous invocation's OnFailure destination. */
    ObjectNode record(FunctionDef function, String eventJson, InvokeResult last, String condition, int attempts) {
        ObjectNode record = JSON.createObjectNode();
        record.put("version", "1.0");
        record.put("timestamp", clock.instant().toString());
        ObjectNode request = record.putObject("requestContext");
        request.put("requestId", last.requestId());
        request.put("functionArn", function.arn() + ":$LATEST");
        request.put("condition", condition);
        request.put("approximateInvokeCount", attempts);
        record.set("requestPayload", parse(eventJson));
        ObjectNode response = record.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", "$LATEST");
        response.put("functionError", "Unhandled");
        if (last.outcome() instanceof InvokeOutcome.Failed f) {
            record.set("responsePayload", parse(f.errorJson()));
        } else {
            record.putObject("responsePayload").put("errorMessage", outcome(last));
        }
        return record;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(json);
        }
    }

    static String outcome(InvokeResult result) {
        return result.succeeded() ? "ok" : "error: " + result.outcome().summary();
    }

    private static Optional<String> onFailure(Map<String, Object> config) {
        if (config.get("DestinationConfig") instanceof Map<?, ?> d && d.get("OnFailure") instanceof Map<?, ?> f
                && f.get("Destination") instanceof String arn) {
            return Optional.of(arn);
        }
        return Optional.empty();
    }

    private static int number(Object value, int fallback) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    @Override
    public void close() {
        retries.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
