package com.edgeinventory.local.invoke;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

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

    static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    static final String RIC_JAR_PREFIX = "aws-lambda-java-runtime-interface-client";
    private static final Duration INIT_TIMEOUT = Duration.ofSeconds(60);
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

    private static Path requireRic(Path dir) {
        if (!hasRic(dir)) {
            throw new LocalRuntimeException("The Lambda runtime interface client is missing from " + dir
                    + ". Build it with: ./mvnw -B -q -pl local-runtime package -DskipTests");
        }
        return dir;
    }

    /** Invokes once and waits for the response, the error, the timeout or the runtime's exit. */
    public InvokeResult invoke(InvokeRequest request) {
        FunctionDef function = request.function();
        Path code = function.codeUri();
        if (!Files.exists(code)) {
            throw new LocalRuntimeException("Function code not found: " + code + " (CodeUri of "
                    + function.logicalId() + "). Build it with: ./mvnw package -DskipTests");
        }
        String requestId = UUID.randomUUID().toString();
        RuntimeApiServer.Invocation invocation = new RuntimeApiServer.Invocation(requestId, function.arn(),
                traceId(), function.timeoutSeconds(), request.eventJson().getBytes(StandardCharsets.UTF_8));
        Path taskRoot = null;
        boolean temporaryTaskRoot = !Files.isDirectory(code);
        try (RuntimeApiServer api = new RuntimeApiServer(invocation)) {
            taskRoot = temporaryTaskRoot ? prepareTaskRoot(function) : code;
            Map<String, String> environment = environment(request, api.address(), taskRoot, System.getenv());
            List<String> command = command(function);
            ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            Thread out = pump(process.getInputStream(), "stdout");
            Thread err = pump(process.getErrorStream(), "stderr");
            try {
                return await(process, api, invocation);
            } finally {
                stop(process);
                join(out);
                join(err);
            }
        } catch (IOException e) {
            throw new LocalRuntimeException("Cannot run " + function.logicalId() + ": " + e.getMessage(), e);
        } finally {
            if (temporaryTaskRoot && taskRoot != null) {
                deleteRecursively(taskRoot);
            }
        }
    }

    private InvokeResult await(Process process, RuntimeApiServer api, RuntimeApiServer.Invocation invocation) {
        Instant started = Instant.now();
        Duration timeout = Duration.ofSeconds(invocation.timeoutSeconds());
        while (true) {
            try {
                RuntimeApiServer.Posted posted = api.posted().get(20, TimeUnit.MILLISECONDS);
                Instant deliveredAt = api.delivered().getNow(started);
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
            Instant deliveredAt = api.delivered().getNow(null);
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
                RuntimeApiServer.Posted posted = api.posted().getNow(null);
                Instant from = deliveredAt == null ? started : deliveredAt;
                InvokeOutcome outcome = posted != null ? outcome(posted)
                        : new InvokeOutcome.Crashed(process.exitValue());
                return new InvokeResult(invocation.requestId(), outcome, Duration.between(from, now));
            }
        }
    }

    private static InvokeOutcome outcome(RuntimeApiServer.Posted posted) {
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

    private List<String> command(FunctionDef function) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable.toString());
        command.add("-XX:MaxHeapSize=" + Math.max(64, function.memorySize() * 85L / 100) + "m");
        command.add("-XX:+UseSerialGC");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(ricDirectory.toAbsolutePath() + "/*");
        command.add(RIC_MAIN);
        command.add(function.handler());
        return command;
    }

    /**
     * The child's whole environment: PATH/HOME/LANG of this process, the declared variables, then what Lambda
     * itself sets (which wins, as Lambda reserves those names).
     */
    static Map<String, String> environment(InvokeRequest request, String runtimeApi, Path taskRoot,
                                           Map<String, String> parent) {
        FunctionDef function = request.function();
        Map<String, String> env = new LinkedHashMap<>();
        for (String inherited : List.of("PATH", "HOME", "LANG")) {
            if (parent.get(inherited) != null) {
                env.put(inherited, parent.get(inherited));
            }
        }
        env.putAll(request.variables());
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("_HANDLER", function.handler());
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.functionName());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memorySize()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", function.logGroupName());
        if (function.logging().json()) {
            env.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
            env.put("AWS_LAMBDA_LOG_LEVEL", function.logging().applicationLevel());
        }
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern(
                "yyyy/MM/dd")) + "/[$LATEST]" + HexFormat.of().formatHex(randomBytes(16)));
        env.put("AWS_REGION", request.region());
        env.put("AWS_DEFAULT_REGION", request.region());
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_SESSION_TOKEN", "test");
        request.endpoint().map(URI::toString).ifPresent(e -> env.put("AWS_ENDPOINT_URL", e));
        env.put("CBOR_ENABLED", "false");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java25");
        env.put("LAMBDA_TASK_ROOT", taskRoot.toAbsolutePath().toString());
        env.put("TZ", ":UTC");
        return env;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static String traceId() {
        HexFormat hex = HexFormat.of();
        String epoch = Long.toHexString(Instant.now().getEpochSecond());
        return "Root=1-" + epoch + "-" + hex.formatHex(randomBytes(12)) + ";Parent=" + hex.formatHex(randomBytes(8))
                + ";Sampled=0";
    }

    /**
     * A fresh task root: {@code lib/<jar>} (linked, or copied where links are not possible) for a jar, the extracted
     * archive for a zip. The RIC loads {@code user.dir/} and {@code user.dir/lib/*.jar}.
     */
    private static Path prepareTaskRoot(FunctionDef function) throws IOException {
        Path code = function.codeUri();
        Path root = Files.createTempDirectory("edge-inventory-task-" + function.logicalId() + "-");
        String fileName = code.getFileName().toString();
        if (fileName.endsWith(".zip")) {
            unzip(code, root);
            return root;
        }
        Path lib = Files.createDirectories(root.resolve("lib"));
        Path target = lib.resolve(fileName.endsWith(".jar") ? fileName : fileName + ".jar");
        try {
            Files.createSymbolicLink(target, code.toAbsolutePath());
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(code, target);
        }
        return root;
    }

    private static void unzip(Path zip, Path into) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new LocalRuntimeException("Refusing zip entry outside the task root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
    }

    private Thread pump(InputStream from, String name) {
        Thread thread = Thread.ofPlatform().daemon().name("function-" + name).start(() -> {
            byte[] buffer = new byte[8192];
            try (from) {
                int n;
                while ((n = from.read(buffer)) >= 0) {
                    synchronized (log) {
                        log.write(buffer, 0, n);
                        log.flush();
                    }
                }
            } catch (IOException e) {
                // The process is gone; nothing more to copy.
            }
        });
        return thread;
    }

    private static void join(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Like Lambda after the response: the runtime is frozen for good, so no shutdown hooks and no output. */
    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // Best effort: a temp directory left behind is harmless.
                }
            });
        } catch (IOException e) {
            // Best effort, as above.
        }
    }
}
