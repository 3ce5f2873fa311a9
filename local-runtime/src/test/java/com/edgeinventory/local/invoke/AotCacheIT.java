package com.edgeinventory.local.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.edgeinventory.local.template.FunctionDef;
import com.edgeinventory.local.testing.HandlerBuilder;

/**
 * The local runtime's AOT cache per function jar: the first environment trains it and writes it when it stops;
 * later environments start from it while the jar is unchanged; a changed jar trains a new one; a corrupt cache
 * is ignored, never fatal. Behaviour only: how much faster is measured in docs/benchmarks.md.
 */
class AotCacheIT {

    private static final String HANDLER = """
            package aot;

            import java.util.Map;

            public class Handler {
                public String handle(Map<String, Object> event) {
                    return "ok";
                }
            }
            """;

    @TempDir
    static Path dir;
    private static Path jar;
    private static Path ric;
    private static Path cache;

    @BeforeAll
    static void build() throws Exception {
        jar = HandlerBuilder.jar(Map.of("aot.Handler", HANDLER), dir.resolve("build/aot.jar"));
        ric = LocalInvoker.locateRic(Path.of("").toAbsolutePath().getParent());
        cache = dir.resolve("aot-cache");
        System.setProperty("edge.inventory.aot.cache", cache.toString());
    }

    @AfterAll
    static void reset() {
        System.clearProperty("edge.inventory.aot.cache");
    }

    /** Invokes once in a fresh warm invoker, closes it, and returns the runtime JVM's arguments. */
    private static List<String> invokeOnce() {
        FunctionDef function = new FunctionDef("AotFunction", "edge-it-AotFunction", "aot.Handler::handle", "java25",
                jar, 256, 30, Map.of(), List.of(), Map.of(), "/aws/lambda/edge-it-AotFunction",
                FunctionDef.Logging.TEXT, "arn:aws:lambda:eu-west-1:123456789012:function:edge-it-AotFunction");
        try (WarmInvoker invoker = new WarmInvoker(ric, System.out, 1, Duration.ofMinutes(5))) {
            WarmInvoker.WarmResult result = invoker.invokeDetailed(new InvokeRequest(function, "{}", Map.of(),
                    "eu-west-1", Optional.empty()));
            assertThat(result.result().outcome()).isEqualTo(new InvokeOutcome.Success("\"ok\""));
            return ProcessHandle.of(result.processId()).flatMap(p -> p.info().arguments()).map(List::of)
                    .orElseThrow();
        }
    }

    private static List<Path> caches() throws Exception {
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(f -> f.toString().endsWith(".aot")).sorted().toList();
        }
    }

    @Test
    void trainedOnFirstUseReusedWhileUnchangedRebuiltWhenTheJarChangesAndIgnoredWhenCorrupt() throws Exception {
        List<String> first = invokeOnce();
        assertThat(first).anyMatch(a -> a.equals("-XX:AOTMode=record"));
        assertThat(caches()).as("written when the training environment stopped").hasSize(1);
        Path trained = caches().getFirst();

        List<String> second = invokeOnce();
        assertThat(second).contains("-XX:AOTCache=" + trained).doesNotContain("-XX:AOTMode=record");
        assertThat(caches()).containsExactly(trained);

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
        List<String> rebuiltTheSame = invokeOnce();
        assertThat(rebuiltTheSame).as("the same bytes, newer: a rebuild of unchanged code")
                .contains("-XX:AOTCache=" + trained);

        HandlerBuilder.jar(Map.of("aot.Handler", HANDLER.replace("\"ok\"", "\"o\" + \"k\"")), jar);
        List<String> changed = invokeOnce();
        assertThat(changed).anyMatch(a -> a.equals("-XX:AOTMode=record"));
        assertThat(caches()).hasSize(2).contains(trained);
        Path retrained = caches().stream().filter(p -> !p.equals(trained)).findFirst().orElseThrow();

        Files.write(retrained, "not an AOT cache".getBytes());
        List<String> corrupt = invokeOnce();
        assertThat(corrupt).contains("-XX:AOTCache=" + retrained);
    }
}
