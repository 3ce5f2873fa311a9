package com.edgeinventory.local.invoke;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import com.edgeinventory.local.LocalRuntimeException;
import com.edgeinventory.local.template.FunctionDef;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Runs a function like {@code sam local invoke}, without Docker: the real Lambda Java runtime interface client
 * ({@code AWSLambda}) in a child JVM, talking to a one-shot Runtime API served by this process. The child's
 * stdout and stderr (the function's logs) are copied to {@code log}.
 */
public final class LocalInvoker {

    static final String RIC_JAR_PREFIX = "aws-lambda-java-runtime-interface-client";
    static final Duration INIT_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private final Path ricDirectory;
    private final Path javaExecutable;
    private final PrintStream log;

    /**
     * @param ricDirectory holds the runtime interface client jar and its dependencies
     * @param log          receives the function's output and progress lines
     */
    public LocalInvoker(Path ricDirectory, PrintStream log) {
        this.ricDirectory = requireRic(ricDirectory);
        this.javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java");
        this.log = log;
    }

    /** An invoker using the RIC copied by the local-runtime build (see {@link #locateRic(Path)}). */
    public static LocalInvoker create(Path repoRoot, PrintStream log) {
        return new LocalInvoker(locateRic(repoRoot), log);
    }

    /**
     * Where the runtime interface client is: system property {@code edge.ric.dir}; else {@code ric/} next to the
     * local-runtime jar or classes directory; else {@code local-runtime/target/ric} under the repository.
     */
    public static Path locateRic(Path repoRoot) {
        String property = System.getProperty("edge.ric.dir");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        try {
            var source = LocalInvoker.class.getProtectionDomain().getCodeSource();
            if (source != null) {
                Path location = Path.of(source.getLocation().toURI());
                Path candidate = location.getParent().resolve("ric");
                if (hasRic(candidate)) {
                    return candidate;
                }
            }
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            // Fall through to the repository layout.
        }
        return repoRoot.resolve("local-runtime").resolve("target").resolve("ric");
    }

    private static boolean hasRic(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith(RIC_JAR_PREFIX));
        } catch (IOException e) {
            return false;
        }
    }

    static Path requireRic(Path dir) {
        if (!hasRic(dir)) {
            throw new LocalRuntimeException("The Lambda runtime interface client is missing from " + dir
                    + ". Build it with: ./mvnw -B -q -pl local-runtime package -DskipTests");
        }
        return dir;
    }

    /** Invokes once and waits for the response, the error, the timeout or the runtime's exit. */
    public InvokeResult invoke(InvokeRequest request) {
        FunctionDef function = request.function();
        RuntimeApiServer.Invocation invocation = invocation(request);
        try (RuntimeApiServer api = new RuntimeApiServer()) {
            RuntimeApiServer.Pending pending = api.submit(invocation);
            try (RuntimeProcess runtime = RuntimeProcess.start(javaExecutable, ricDirectory, log, request,
                    api.address())) {
                return await(runtime.process(), api, pending);
            }
        } catch (IOException e) {
            throw new LocalRuntimeException("Cannot run " + function.logicalId() + ": " + e.getMessage(), e);
        }
    }

    /** A new invocation of the request's event: fresh request id and trace id. */
    static RuntimeApiServer.Invocation invocation(InvokeRequest request) {
        FunctionDef function = request.function();
        return new RuntimeApiServer.Invocation(UUID.randomUUID().toString(), function.arn(), traceId(),
                function.timeoutSeconds(), request.eventJson().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Waits for the outcome of {@code pending}: what the runtime posts for it, an init error, the function's timeout
     * (from delivery), the runtime not asking for the event within {@link #INIT_TIMEOUT}, or the process exiting.
     * Does not stop the process.
     */
    static InvokeResult await(Process process, RuntimeApiServer api, RuntimeApiServer.Pending pending) {
        RuntimeApiServer.Invocation invocation = pending.invocation();
        Instant started = Instant.now();
        Duration timeout = Duration.ofSeconds(invocation.timeoutSeconds());
        while (true) {
            try {
                RuntimeApiServer.Posted posted = pending.posted().get(20, TimeUnit.MILLISECONDS);
                Instant deliveredAt = pending.delivered().getNow(started);
                return new InvokeResult(invocation.requestId(), outcome(posted),
                        Duration.between(deliveredAt, Instant.now()));
            } catch (TimeoutException e) {
                // Keep waiting.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalRuntimeException("Interrupted while waiting for the function", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            Instant now = Instant.now();
            Instant deliveredAt = pending.delivered().getNow(null);
            RuntimeApiServer.Posted initError = api.initError().getNow(null);
            if (initError != null && deliveredAt == null) {
                return new InvokeResult(invocation.requestId(), outcome(initError), Duration.between(started, now));
            }
            if (deliveredAt != null && now.isAfter(deliveredAt.plus(timeout))) {
                return new InvokeResult(invocation.requestId(),
                        new InvokeOutcome.TimedOut(invocation.timeoutSeconds()), Duration.between(deliveredAt, now));
            }
            if (deliveredAt == null && now.isAfter(started.plus(INIT_TIMEOUT))) {
                String message = "The runtime did not ask for the event within " + INIT_TIMEOUT.toSeconds()
                        + " seconds of starting";
                return new InvokeResult(invocation.requestId(), new InvokeOutcome.Failed("init",
                        "Runtime.InitTimeout", message, errorJson(message, "Runtime.InitTimeout")),
                        Duration.between(started, now));
            }
            if (!process.isAlive()) {
                RuntimeApiServer.Posted posted = pending.posted().getNow(null);
                if (posted == null && deliveredAt == null) {
                    posted = api.initError().getNow(null);
                }
                Instant from = deliveredAt == null ? started : deliveredAt;
                InvokeOutcome outcome = posted != null ? outcome(posted)
                        : new InvokeOutcome.Crashed(process.exitValue());
                return new InvokeResult(invocation.requestId(), outcome, Duration.between(from, now));
            }
        }
    }

    static InvokeOutcome outcome(RuntimeApiServer.Posted posted) {
        return switch (posted) {
            case RuntimeApiServer.Posted.Response r -> new InvokeOutcome.Success(compact(r.body()));
            case RuntimeApiServer.Posted.Error e -> {
                String type = e.errorType();
                String message = "";
                try {
                    JsonNode node = JSON.readTree(e.body());
                    if (node != null && node.isObject()) {
                        if (node.hasNonNull("errorType")) {
                            type = node.get("errorType").asText();
                        }
                        if (node.hasNonNull("errorMessage")) {
                            message = node.get("errorMessage").asText();
                        }
                    }
                } catch (IOException ignored) {
                    message = e.body();
                }
                yield new InvokeOutcome.Failed(e.phase(), type, message, compact(e.body()));
            }
        };
    }

    /** One line: JSON is re-serialized compactly, anything else returned unchanged. */
    static String compact(String body) {
        if (body.indexOf('\n') < 0 && body.indexOf('\r') < 0) {
            return body;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? body : JSON.writeValueAsString(node);
        } catch (IOException e) {
            return body;
        }
    }

    private static String errorJson(String message, String type) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("errorMessage", message);
        error.put("errorType", type);
        error.put("stackTrace", List.of());
        try {
            return JSON.writeValueAsString(error);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String traceId() {
        HexFormat hex = HexFormat.of();
        String epoch = Long.toHexString(Instant.now().getEpochSecond());
        return "Root=1-" + epoch + "-" + hex.formatHex(RuntimeProcess.randomBytes(12)) + ";Parent="
                + hex.formatHex(RuntimeProcess.randomBytes(8))
                + ";Sampled=0";
    }
}
