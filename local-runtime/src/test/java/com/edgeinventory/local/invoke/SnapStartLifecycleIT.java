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

                public Handler() {
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

                public List<String> handle(Map<String, Object> event) {
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
        FunctionDef function = new FunctionDef("SnapFunction", "edge-it-SnapFunction", "snap.Handler::handle",
                "java25", jar, 256, 30, variables, List.of(), Map.of(), "/aws/lambda/edge-it-SnapFunction",
                FunctionDef.Logging.TEXT, "arn:aws:lambda:eu-west-1:123456789012:function:edge-it-SnapFunction",
                snapStart);
        return invoker.invoke(new InvokeRequest(function, "{}", variables, "eu-west-1", Optional.empty()));
    }

    private WarmInvoker invoker() {
        WarmInvoker invoker = new WarmInvoker(ric, System.out, 1, Duration.ofMinutes(5));
        invokers.add(invoker);
        return invoker;
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
}
