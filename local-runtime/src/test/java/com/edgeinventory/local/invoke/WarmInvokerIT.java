package com.edgeinventory.local.invoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.edgeinventory.local.template.FunctionDef;
import com.edgeinventory.local.testing.HandlerBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Warm execution environments: real child JVMs running the Lambda runtime interface client. */
class WarmInvokerIT {

    private static final String HANDLER = """
            package warm;

            import java.util.LinkedHashMap;
            import java.util.Map;
            import java.util.concurrent.atomic.AtomicInteger;

            public class Handler {
                private static final AtomicInteger COUNT = new AtomicInteger();
                private static final AtomicInteger ACTIVE = new AtomicInteger();
                private static volatile boolean overlapped;

                public Map<String, Object> handle(Map<String, Object> event) throws Exception {
                    int count = COUNT.incrementAndGet();
                    if (ACTIVE.incrementAndGet() > 1) {
                        overlapped = true;
                    }
                    try {
                        switch (String.valueOf(event.get("action"))) {
                            case "halt" -> Runtime.getRuntime().halt(3);
                            case "exit" -> System.exit(4);
                            case "sleep" -> Thread.sleep(120_000);
                            case "hold" -> Thread.sleep(1_500);
                            case "fail" -> throw new IllegalStateException("failed at " + count);
                            default -> { }
                        }
                        Map<String, Object> result = new LinkedHashMap<>();
                        result.put("pid", ProcessHandle.current().pid());
                        result.put("count", count);
                        result.put("overlapped", overlapped);
                        return result;
                    } finally {
                        ACTIVE.decrementAndGet();
                    }
                }
            }
            """;

    private static final String BROKEN_INIT = """
            package warm;

            import java.util.Map;

            public class BrokenInit {
                static {
                    if (true) {
                        throw new IllegalStateException("no configuration");
                    }
                }

                public String handle(Map<String, Object> event) {
                    return "never";
                }
            }
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Path jar;
    private static Path ric;

    private final List<WarmInvoker> invokers = new ArrayList<>();

    @BeforeAll
    static void buildHandlers() throws Exception {
        jar = HandlerBuilder.jar(Map.of("warm.Handler", HANDLER, "warm.BrokenInit", BROKEN_INIT),
                dir.resolve("build/warm.jar"));
        ric = LocalInvoker.locateRic(Path.of("").toAbsolutePath().getParent());
    }

    @AfterEach
    void closeInvokers() {
        invokers.forEach(WarmInvoker::close);
    }

    private WarmInvoker invoker(int maxConcurrency, Duration idleTimeout) {
        WarmInvoker invoker = new WarmInvoker(ric, System.out, maxConcurrency, idleTimeout);
        invokers.add(invoker);
        return invoker;
    }

    private static InvokeRequest request(String handler, int timeoutSeconds, String action) {
        FunctionDef function = new FunctionDef("WarmFunction", "edge-it-WarmFunction", handler, "java25", jar, 256,
                timeoutSeconds, Map.of("STAGE", "it"), List.of(), Map.of(), "/aws/lambda/edge-it-WarmFunction",
                FunctionDef.Logging.TEXT, "arn:aws:lambda:eu-west-1:123456789012:function:edge-it-WarmFunction");
        return new InvokeRequest(function, "{\"action\": \"" + action + "\"}", function.environment(), "eu-west-1",
                Optional.empty());
    }

    private static InvokeRequest request(String action) {
        return request("warm.Handler::handle", 30, action);
    }

    private static JsonNode response(WarmInvoker.WarmResult result) throws Exception {
        assertThat(result.result().outcome()).isInstanceOf(InvokeOutcome.Success.class);
        return JSON.readTree(((InvokeOutcome.Success) result.result().outcome()).responseJson());
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void awaitDead(long pid) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(15);
        while (alive(pid) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(alive(pid)).as("process %d alive", pid).isFalse();
    }

    @Test
    void sequentialInvocationsReuseOneWarmRuntime() throws Exception {
        WarmInvoker invoker = invoker(1, Duration.ofMinutes(10));

        WarmInvoker.WarmResult first = invoker.invokeDetailed(request("pid"));
        WarmInvoker.WarmResult second = invoker.invokeDetailed(request("pid"));
        InvokeResult third = invoker.invoke(request("pid"));

        assertThat(first.coldStart()).isTrue();
        assertThat(first.initDuration()).isPositive();
        assertThat(second.coldStart()).isFalse();
        assertThat(second.initDuration()).isZero();
        assertThat(response(first).get("pid").asLong()).isEqualTo(first.processId());
        assertThat(response(second).get("pid").asLong()).isEqualTo(first.processId());
        assertThat(second.processId()).isEqualTo(first.processId());
        assertThat(response(first).get("count").asInt()).isEqualTo(1);
        assertThat(response(second).get("count").asInt()).isEqualTo(2);
        assertThat(third.succeeded()).isTrue();
        assertThat(first.result().requestId()).isNotEqualTo(second.result().requestId());
    }

    @Test
    void handlerErrorKeepsTheEnvironment() throws Exception {
        WarmInvoker invoker = invoker(1, Duration.ofMinutes(10));

        WarmInvoker.WarmResult failed = invoker.invokeDetailed(request("fail"));
        WarmInvoker.WarmResult next = invoker.invokeDetailed(request("pid"));

        assertThat(failed.result().outcome()).isInstanceOfSatisfying(InvokeOutcome.Failed.class, f -> {
            assertThat(f.phase()).isEqualTo("invoke");
            assertThat(f.errorType()).isEqualTo("java.lang.IllegalStateException");
            assertThat(f.errorMessage()).isEqualTo("failed at 1");
        });
        assertThat(next.coldStart()).isFalse();
        assertThat(next.processId()).isEqualTo(failed.processId());
        assertThat(response(next).get("count").asInt()).isEqualTo(2);
    }

    @Test
    void timeoutDiscardsTheEnvironmentAndTheNextInvocationIsCold() throws Exception {
        WarmInvoker invoker = invoker(1, Duration.ofMinutes(10));

        WarmInvoker.WarmResult timedOut = invoker.invokeDetailed(request("warm.Handler::handle", 2, "sleep"));
        WarmInvoker.WarmResult next = invoker.invokeDetailed(request("warm.Handler::handle", 2, "pid"));

        assertThat(timedOut.result().outcome()).isEqualTo(new InvokeOutcome.TimedOut(2));
        assertThat(timedOut.result().duration()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(alive(timedOut.processId())).isFalse();
        assertThat(next.coldStart()).isTrue();
        assertThat(next.processId()).isNotEqualTo(timedOut.processId());
        assertThat(response(next).get("count").asInt()).isEqualTo(1);
    }

    @Test
    void crashGivesCrashedThenAFreshEnvironment() throws Exception {
        WarmInvoker invoker = invoker(1, Duration.ofMinutes(10));

        WarmInvoker.WarmResult warmUp = invoker.invokeDetailed(request("pid"));
        WarmInvoker.WarmResult halted = invoker.invokeDetailed(request("halt"));
        WarmInvoker.WarmResult afterHalt = invoker.invokeDetailed(request("pid"));
        WarmInvoker.WarmResult exited = invoker.invokeDetailed(request("exit"));
        WarmInvoker.WarmResult afterExit = invoker.invokeDetailed(request("pid"));

        assertThat(halted.coldStart()).isFalse();
        assertThat(halted.processId()).isEqualTo(warmUp.processId());
        assertThat(halted.result().outcome()).isEqualTo(new InvokeOutcome.Crashed(3));
        assertThat(afterHalt.coldStart()).isTrue();
        assertThat(afterHalt.processId()).isNotEqualTo(halted.processId());
        assertThat(response(afterHalt).get("count").asInt()).isEqualTo(1);
        assertThat(exited.result().outcome()).isEqualTo(new InvokeOutcome.Crashed(4));
        assertThat(exited.processId()).isEqualTo(afterHalt.processId());
        assertThat(afterExit.coldStart()).isTrue();
        assertThat(response(afterExit).get("count").asInt()).isEqualTo(1);
    }

    @Test
    void initErrorIsFailedInitAndDiscardsTheEnvironment() throws Exception {
        WarmInvoker invoker = invoker(1, Duration.ofMinutes(10));

        WarmInvoker.WarmResult first = invoker.invokeDetailed(request("warm.BrokenInit::handle", 30, "pid"));
        WarmInvoker.WarmResult second = invoker.invokeDetailed(request("warm.BrokenInit::handle", 30, "pid"));

        assertThat(first.result().outcome()).isInstanceOfSatisfying(InvokeOutcome.Failed.class,
                f -> assertThat(f.phase()).isEqualTo("init"));
        assertThat(first.coldStart()).isTrue();
        assertThat(alive(first.processId())).isFalse();
        assertThat(second.coldStart()).isTrue();
        assertThat(second.processId()).isNotEqualTo(first.processId());
        assertThat(second.result().outcome()).isInstanceOfSatisfying(InvokeOutcome.Failed.class,
                f -> assertThat(f.phase()).isEqualTo("init"));
    }

    @Test
    void concurrentInvocationsUpToMaxConcurrencyEnvironmentsNeverInterleaved() throws Exception {
        WarmInvoker invoker = invoker(2, Duration.ofMinutes(10));
        List<WarmInvoker.WarmResult> results = new ArrayList<>();

        try (ExecutorService callers = Executors.newFixedThreadPool(5)) {
            List<Future<WarmInvoker.WarmResult>> futures = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                futures.add(callers.submit(() -> invoker.invokeDetailed(request("hold"))));
            }
            for (Future<WarmInvoker.WarmResult> future : futures) {
                results.add(future.get());
            }
        }

        Set<Long> pids = new HashSet<>();
        Set<String> counts = new HashSet<>();
        for (WarmInvoker.WarmResult result : results) {
            JsonNode response = response(result);
            assertThat(response.get("overlapped").asBoolean()).isFalse();
            assertThat(response.get("pid").asLong()).isEqualTo(result.processId());
            pids.add(result.processId());
            counts.add(result.processId() + ":" + response.get("count").asInt());
        }
        assertThat(pids).hasSize(2);
        assertThat(results.stream().filter(WarmInvoker.WarmResult::coldStart)).hasSize(2);
        assertThat(counts).as("each environment numbers its invocations 1, 2, ... without repeats").hasSize(5);
    }

    @Test
    void idleEnvironmentsAreReaped() throws Exception {
        WarmInvoker invoker = invoker(1, Duration.ofSeconds(1));

        WarmInvoker.WarmResult first = invoker.invokeDetailed(request("pid"));
        awaitDead(first.processId());
        WarmInvoker.WarmResult second = invoker.invokeDetailed(request("pid"));

        assertThat(second.coldStart()).isTrue();
        assertThat(second.processId()).isNotEqualTo(first.processId());
    }

    @Test
    void differentVariablesGetDifferentEnvironments() throws Exception {
        WarmInvoker invoker = invoker(1, Duration.ofMinutes(10));
        InvokeRequest base = request("pid");
        InvokeRequest other = new InvokeRequest(base.function(), base.eventJson(), Map.of("STAGE", "qa"),
                base.region(), base.endpoint());

        WarmInvoker.WarmResult first = invoker.invokeDetailed(base);
        WarmInvoker.WarmResult second = invoker.invokeDetailed(other);

        assertThat(second.coldStart()).isTrue();
        assertThat(second.processId()).isNotEqualTo(first.processId());
    }

    @Test
    void runtimesLoadTheirOwnExtractedJniLibraryNotTheSharedTmpOne() {
        List<String> command = RuntimeProcess.command(Path.of("java"), ric, request("pid").function());

        Path library = RuntimeProcess.jniLibrary(ric).orElseThrow();
        assertThat(library).isRegularFile().isNotEqualTo(Path.of("/tmp/.libaws-lambda-jni.so"));
        assertThat(command).contains("-D" + RuntimeProcess.JNI_PROPERTY + "=" + library);
        assertThat(command.indexOf("-D" + RuntimeProcess.JNI_PROPERTY + "=" + library))
                .isLessThan(command.indexOf(RuntimeProcess.RIC_MAIN));
    }

    @Test
    void closeLeavesNoRuntimeProcesses() throws Exception {
        WarmInvoker invoker = invoker(2, Duration.ofMinutes(10));
        Set<Long> pids = new HashSet<>();
        try (ExecutorService callers = Executors.newFixedThreadPool(2)) {
            List<Future<WarmInvoker.WarmResult>> futures = List.of(
                    callers.submit(() -> invoker.invokeDetailed(request("hold"))),
                    callers.submit(() -> invoker.invokeDetailed(request("hold"))));
            for (Future<WarmInvoker.WarmResult> future : futures) {
                pids.add(future.get().processId());
            }
        }
        assertThat(pids).hasSize(2).allMatch(WarmInvokerIT::alive);

        invoker.close();

        for (long pid : pids) {
            assertThat(alive(pid)).as("process %d alive after close", pid).isFalse();
        }
        assertThatThrownBy(() -> invoker.invoke(request("pid"))).isInstanceOf(IllegalStateException.class);
    }
}
