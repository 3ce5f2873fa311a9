package com.edgeinventory.local.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.edgeinventory.local.testing.HandlerBuilder;
import com.edgeinventory.local.template.FunctionDef;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A SnapStart function's environment runs Lambda's lifecycle for a published version: init, the CRaC
 * {@code beforeCheckpoint} hooks registered through org.crac (the retail handlers' priming), the restore, the
 * {@code afterRestore} hooks, then the first invocation. An on-demand function runs none of the hooks. A hook that
 * throws fails the environment as Lambda does (the invocation never runs).
 */
class SnapStartLifecycleIT {

    private static final String HANDLER = """
            package snap;

            import java.util.ArrayList;
            import java.util.Collections;
            import java.util.List;
            import java.util.Map;
            import org.crac.Context;
            import org.crac.Core;
            import org.crac.Resource;

            public class Handler implements Resource {
                private final List<String> events = Collections.synchronizedList(new ArrayList<>());

                public Handler() throws InterruptedException {
                    String initSleep = System.getenv("INIT_SLEEP_MS");
                    if (initSleep != null) {
                        Thread.sleep(Long.parseLong(initSleep));
                    }
                    events.add("init " + System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"));
                    Core.getGlobalContext().register(this);
                }

                @Override
                public void beforeCheckpoint(Context<? extends Resource> context) {
                    if ("fail".equals(System.getenv("HOOK"))) {
                        throw new IllegalStateException("priming failed");
                    }
                    events.add("beforeCheckpoint");
                }

                @Override
                public void afterRestore(Context<? extends Resource> context) {
                    events.add("afterRestore");
                }

                public List<String> handle(Map<String, Object> event) throws InterruptedException {
                    if (event.get("sleepMs") instanceof Number ms) {
                        Thread.sleep(ms.longValue());
                    }
                    events.add("invoke " + System.getenv("AWS_LAMBDA_FUNCTION_VERSION"));
                    return new ArrayList<>(events);
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
    static void buildHandler() throws Exception {
        Path crac = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of)
                .filter(p -> p.getFileName().toString().startsWith("crac-")).findFirst().orElseThrow();
        jar = HandlerBuilder.jar(Map.of("snap.Handler", HANDLER), dir.resolve("build/snap.jar"), List.of(crac));
        ric = LocalInvoker.locateRic(Path.of("").toAbsolutePath().getParent());
    }

    @AfterEach
    void close() {
        invokers.forEach(WarmInvoker::close);
    }

    private InvokeResult invoke(WarmInvoker invoker, boolean snapStart, Map<String, String> variables) {
        return invoker.invoke(request(snapStart, variables, "{}"));
    }

    private static InvokeRequest request(boolean snapStart, Map<String, String> variables, String event) {
        FunctionDef function = new FunctionDef("SnapFunction", "edge-it-SnapFunction", "snap.Handler::handle",
                "java25", jar, 256, 30, variables, List.of(), Map.of(), "/aws/lambda/edge-it-SnapFunction",
                FunctionDef.Logging.TEXT, "arn:aws:lambda:eu-west-1:123456789012:function:edge-it-SnapFunction",
                snapStart);
        return new InvokeRequest(function, event, variables, "eu-west-1", Optional.empty());
    }

    private WarmInvoker invoker() {
        return invoker(1);
    }

    private WarmInvoker invoker(int maxConcurrency) {
        WarmInvoker invoker = new WarmInvoker(ric, System.out, maxConcurrency, Duration.ofMinutes(5));
        invokers.add(invoker);
        return invoker;
    }

    private static List<String> events(WarmInvoker.WarmResult result) throws Exception {
        return events(result.result());
    }

    private static List<String> events(InvokeResult result) throws Exception {
        assertThat(result.outcome()).isInstanceOf(InvokeOutcome.Success.class);
        return List.of(JSON.readValue(((InvokeOutcome.Success) result.outcome()).responseJson(), String[].class));
    }

    @Test
    void aSnapStartEnvironmentRunsTheHooksAroundTheRestoreBeforeItsFirstInvocation() throws Exception {
        WarmInvoker invoker = invoker();

        List<String> first = events(invoke(invoker, true, Map.of()));
        List<String> second = events(invoke(invoker, true, Map.of()));

        assertThat(first).containsExactly("init snap-start", "beforeCheckpoint", "afterRestore", "invoke 1");
        assertThat(second).containsExactly("init snap-start", "beforeCheckpoint", "afterRestore", "invoke 1",
                "invoke 1");
    }

    @Test
    void anOnDemandEnvironmentRunsNoHooks() throws Exception {
        assertThat(events(invoke(invoker(), false, Map.of()))).containsExactly("init on-demand", "invoke $LATEST");
    }

    @Test
    void aFailingBeforeCheckpointHookFailsTheEnvironment() {
        InvokeResult result = invoke(invoker(), true, Map.of("HOOK", "fail"));

        assertThat(result.outcome()).isInstanceOfSatisfying(InvokeOutcome.Failed.class, f -> {
            assertThat(f.phase()).isEqualTo("init");
            assertThat(f.errorMessage()).contains("CheckpointException");
        });
    }

    private static final Map<String, String> SLOW_INIT = Map.of("INIT_SLEEP_MS", "2500");

    @Test
    void publishingRunsInitAndBeforeCheckpointAheadSoThatTheFirstInvocationOnlyRestores() throws Exception {
        WarmInvoker invoker = invoker();

        Optional<Duration> published = invoker.publish(request(true, SLOW_INIT, "{}"));
        WarmInvoker.WarmResult first = invoker.invokeDetailed(request(true, SLOW_INIT, "{}"));

        assertThat(published).hasValueSatisfying(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofMillis(2500)));
        assertThat(first.coldStart()).isTrue();
        assertThat(first.initDuration()).as("a restore, not the 2.5 s init").isLessThan(Duration.ofMillis(2000));
        assertThat(events(first)).containsExactly("init snap-start", "beforeCheckpoint", "afterRestore",
                "invoke 1");
    }

    @Test
    void anUnpublishedSnapStartFunctionColdStartsThroughItsWholeInit() throws Exception {
        WarmInvoker.WarmResult first = invoker().invokeDetailed(request(true, SLOW_INIT, "{}"));

        assertThat(first.coldStart()).isTrue();
        assertThat(first.initDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void onDemandFunctionsAreNotPublished() {
        assertThat(invoker().publish(request(false, Map.of(), "{}"))).isEmpty();
    }

    @Test
    void aConsumedSnapshotIsRetakenSoThatTheNextEnvironmentRestoresToo() throws Exception {
        WarmInvoker invoker = invoker(2);
        invoker.publish(request(true, SLOW_INIT, "{}"));
        WarmInvoker.WarmResult first = invoker.invokeDetailed(request(true, SLOW_INIT, "{}"));
        Thread.sleep(6_000); // the retake's 2.5 s init and hooks, in the background

        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var busy = pool.submit(() -> invoker.invokeDetailed(request(true, SLOW_INIT, "{\"sleepMs\":3000}")));
            Thread.sleep(500);
            WarmInvoker.WarmResult second = invoker.invokeDetailed(request(true, SLOW_INIT, "{}"));

            assertThat(busy.get().processId()).isEqualTo(first.processId());
            assertThat(second.processId()).isNotEqualTo(first.processId());
            assertThat(second.coldStart()).isTrue();
            assertThat(second.initDuration()).as("restored from the retaken snapshot")
                    .isLessThan(Duration.ofMillis(2000));
            assertThat(events(second)).containsExactly("init snap-start", "beforeCheckpoint", "afterRestore",
                    "invoke 1");
        }
    }

    @Test
    void whileTheSnapshotIsRetakenAnInvocationWaitsForABusyEnvironmentInsteadOfAFullColdStart() throws Exception {
        Map<String, String> slowerInit = Map.of("INIT_SLEEP_MS", "8000");
        WarmInvoker invoker = invoker(2);
        invoker.publish(request(true, slowerInit, "{}"));

        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var busy = pool.submit(() -> invoker.invokeDetailed(request(true, slowerInit, "{\"sleepMs\":1000}")));
            Thread.sleep(300);
            WarmInvoker.WarmResult second = invoker.invokeDetailed(request(true, slowerInit, "{}"));

            assertThat(second.coldStart()).as("served by the first environment once it came free").isFalse();
            assertThat(second.processId()).isEqualTo(busy.get().processId());
        }
    }
}
