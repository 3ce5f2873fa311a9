package com.edgeinventory.local.invoke;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import com.edgeinventory.local.LocalRuntimeException;
import com.edgeinventory.local.template.FunctionDef;

/**
 * One child JVM running the Lambda runtime interface client for a function, against the Runtime API at
 * {@code runtimeApi}: its task root, its environment, and the threads copying its stdout and stderr to the log.
 * {@link #close()} kills the process tree (like Lambda freezing the environment for good: no shutdown hooks run)
 * and removes a temporary task root.
 */
final class RuntimeProcess implements AutoCloseable {

    static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** Where the RIC loads its JNI library from instead of extracting it to its fixed /tmp path. */
    static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    private static final Map<Path, Optional<Path>> JNI_LIBRARIES = new ConcurrentHashMap<>();

    private final Process process;
    private final Instant started;
    private final Path taskRoot;
    private final boolean temporaryTaskRoot;
    private final Thread out;
    private final Thread err;
    private final AotCache.Plan aot;
    private final boolean background;

    private RuntimeProcess(Process process, Instant started, Path taskRoot, boolean temporaryTaskRoot,
                           Thread out, Thread err, AotCache.Plan aot, boolean background) {
        this.aot = aot;
        this.background = background;
        this.process = process;
        this.started = started;
        this.taskRoot = taskRoot;
        this.temporaryTaskRoot = temporaryTaskRoot;
        this.out = out;
        this.err = err;
    }

    /**
     * Starts the runtime for {@code request}'s function.
     *
     * @param javaExecutable the {@code java} launcher
     * @param ricDirectory   the runtime interface client and its dependencies
     * @param log            receives the child's stdout and stderr
     * @param runtimeApi     {@code host:port} of the Runtime API, exported as AWS_LAMBDA_RUNTIME_API
     */
    static RuntimeProcess start(Path javaExecutable, Path ricDirectory, PrintStream log, InvokeRequest request,
                                String runtimeApi) {
        return start(javaExecutable, ricDirectory, log, request, runtimeApi, false);
    }

    /** Where {@code nice} is, to start background environments at a lower CPU priority; empty if it is not. */
    private static final Optional<Path> NICE = Stream.of("/usr/bin/nice", "/bin/nice").map(Path::of)
            .filter(Files::isExecutable).findFirst();

    /**
     * @param background start the JVM at a lower CPU priority ({@code nice -n 10}), so that it does not slow the
     *                   environments serving events (a SnapStart snapshot retaken while the system runs)
     */
    static RuntimeProcess start(Path javaExecutable, Path ricDirectory, PrintStream log, InvokeRequest request,
                                String runtimeApi, boolean background) {
        FunctionDef function = request.function();
        Path code = function.codeUri();
        if (!Files.exists(code)) {
            throw new LocalRuntimeException("Function code not found: " + code + " (CodeUri of "
                    + function.logicalId() + "). Build it with: ./mvnw package -DskipTests");
        }
        boolean temporaryTaskRoot = !Files.isDirectory(code);
        Path taskRoot = null;
        try {
            taskRoot = temporaryTaskRoot ? prepareTaskRoot(function) : code;
            List<String> command = command(javaExecutable, ricDirectory, function);
            AotCache.Plan aot = AotCache.plan(AotCache.directory(System.getenv()), code,
                    command.subList(0, command.indexOf(RIC_MAIN)),
                    request.variables().getOrDefault("JAVA_TOOL_OPTIONS", ""));
            command.addAll(1, aot.options());
            if (background && NICE.isPresent()) {
                command.addAll(0, List.of(NICE.get().toString(), "-n", "10"));
            }
            ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment(request, runtimeApi, taskRoot, System.getenv()));
            Instant started = Instant.now();
            Process process = builder.start();
            process.getOutputStream().close();
            Thread out = pump(process.getInputStream(), log, "stdout");
            Thread err = pump(process.getErrorStream(), log, "stderr");
            return new RuntimeProcess(process, started, taskRoot, temporaryTaskRoot, out, err, aot,
                    background && NICE.isPresent());
        } catch (IOException e) {
            if (temporaryTaskRoot && taskRoot != null) {
                deleteRecursively(taskRoot);
            }
            throw new LocalRuntimeException("Cannot run " + function.logicalId() + ": " + e.getMessage(), e);
        }
    }

    Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    /** When the process was launched: the start of the cold start. */
    Instant started() {
        return started;
    }

    /** Whether this environment is its function jar's AOT training run (see {@link AotCache}). */
    boolean trainsAotCache() {
        return aot.trains();
    }

    /**
     * Back to normal CPU priority, for a background environment that now serves events (a retaken snapshot being
     * restored). Best effort: raising a priority needs root or CAP_SYS_NICE, else it stays lower.
     */
    void foreground() {
        if (!background) {
            return;
        }
        try {
            new ProcessBuilder("renice", "-n", "0", "-p", Long.toString(process.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no renice: the environment keeps its lower priority
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process and its descendants at once, without waiting: safe in a shutdown hook. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * Kills the process tree, waits for it, drains its output and removes a temporary task root. An AOT training
     * run is stopped with SIGTERM instead, so that the JVM writes its AOT configuration on the way out, which is
     * then assembled into the function's cache.
     */
    @Override
    public void close() {
        if (aot.trains() && process.isAlive()) {
            process.destroy();
            try {
                process.waitFor(90, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        kill();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        join(out);
        join(err);
        AotCache.finish(aot);
        if (temporaryTaskRoot) {
            deleteRecursively(taskRoot);
        }
    }

    static List<String> command(Path javaExecutable, Path ricDirectory, FunctionDef function) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable.toString());
        command.add("-XX:MaxHeapSize=" + Math.max(64, function.memorySize() * 85L / 100) + "m");
        command.add("-XX:+UseSerialGC");
        command.add("--enable-native-access=ALL-UNNAMED");
        jniLibrary(ricDirectory).ifPresent(lib -> command.add("-D" + JNI_PROPERTY + "=" + lib));
        if (function.snapStart()) {
            // As Lambda's java runtime: org.crac's hooks reach the runtime client's CRaC context, which runs them
            // around the (here emulated) snapshot; see RuntimeApiServer.
            command.add("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
        }
        command.add("-cp");
        // The function's jar on the class path too, after the runtime client: its classes then load through the
        // application class loader (the runtime client's loader delegates to it), which the AOT cache can hold.
        command.add(ricDirectory.toAbsolutePath() + "/*" + (Files.isRegularFile(function.codeUri())
                ? java.io.File.pathSeparator + function.codeUri().toAbsolutePath() : ""));
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
        // A SnapStart function runs as the published version its alias points at, initialised for a snapshot.
        env.put("AWS_LAMBDA_FUNCTION_VERSION", function.snapStart() ? "1" : "$LATEST");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", function.snapStart() ? "snap-start" : "on-demand");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memorySize()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", function.logGroupName());
        if (function.logging().json()) {
            env.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
            env.put("AWS_LAMBDA_LOG_LEVEL", function.logging().applicationLevel());
        }
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern(
                "yyyy/MM/dd")) + "/[" + env.get("AWS_LAMBDA_FUNCTION_VERSION") + "]"
                + HexFormat.of().formatHex(randomBytes(16)));
        env.put("AWS_REGION", request.region());
        env.put("AWS_DEFAULT_REGION", request.region());
        request.credentials().export(env);
        request.endpoint().map(URI::toString).ifPresent(e -> env.put("AWS_ENDPOINT_URL", e));
        env.put("CBOR_ENABLED", "false");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java25");
        env.put("LAMBDA_TASK_ROOT", taskRoot.toAbsolutePath().toString());
        env.put("TZ", ":UTC");
        return env;
    }

    /**
     * The RIC's JNI library for this platform, extracted once under java.io.tmpdir. Left to itself, every RIC
     * extracts the library to the same {@code /tmp/.libaws-lambda-jni.so}, overwriting it while another runtime
     * starting at the same time loads it, which kills that JVM (SIGBUS). Empty when the platform or the jar is not
     * recognised; the RIC then does as it always does.
     */
    static Optional<Path> jniLibrary(Path ricDirectory) {
        return JNI_LIBRARIES.computeIfAbsent(ricDirectory.toAbsolutePath().normalize(), RuntimeProcess::extractJni);
    }

    private static Optional<Path> extractJni(Path ricDirectory) {
        String arch = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch_64";
            default -> null;
        };
        if (arch == null || !System.getProperty("os.name", "").startsWith("Linux")) {
            return Optional.empty();
        }
        boolean musl;
        try (Stream<Path> libs = Files.list(Path.of("/lib"))) {
            musl = libs.anyMatch(f -> f.getFileName().toString().startsWith("ld-musl-"));
        } catch (IOException e) {
            musl = false;
        }
        String entryName = "jni/libaws-lambda-jni.linux" + (musl ? "_musl-" : "-") + arch + ".so";
        try (Stream<Path> files = Files.list(ricDirectory)) {
            Optional<Path> jar = files.filter(f -> f.getFileName().toString().startsWith(LocalInvoker.RIC_JAR_PREFIX)
                    && f.getFileName().toString().endsWith(".jar")).findFirst();
            if (jar.isEmpty()) {
                return Optional.empty();
            }
            try (ZipFile zip = new ZipFile(jar.get().toFile())) {
                ZipEntry entry = zip.getEntry(entryName);
                if (entry == null) {
                    return Optional.empty();
                }
                String version = jar.get().getFileName().toString().replaceAll("\\.jar$", "") + "-"
                        + Long.toHexString(Files.getLastModifiedTime(jar.get()).toMillis()) + "-" + entry.getSize();
                Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"),
                        "edge-inventory-jni-" + version));
                Path library = dir.resolve("libaws-lambda-jni.so");
                if (Files.isRegularFile(library) && Files.size(library) == entry.getSize()) {
                    return Optional.of(library);
                }
                Path partial = Files.createTempFile(dir, "libaws-lambda-jni", ".part");
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                }
                // A rename never changes a file another runtime has mapped.
                Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return Optional.of(library);
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
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

    /**
     * Copies a process's output to the shared log in whole lines, so that the lines of environments running at
     * the same time never interleave mid-line (the log's readers, such as up's EMF metrics, read lines).
     */
    private static Thread pump(InputStream from, PrintStream log, String name) {
        return Thread.ofPlatform().daemon().name("function-" + name).start(() -> {
            byte[] buffer = new byte[8192];
            java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
            try (from) {
                int n;
                while ((n = from.read(buffer)) >= 0) {
                    int end = n;
                    while (end > 0 && buffer[end - 1] != '\n') {
                        end--;
                    }
                    if (end == 0) {
                        pending.write(buffer, 0, n);
                        continue;
                    }
                    synchronized (log) {
                        pending.writeTo(log);
                        log.write(buffer, 0, end);
                        log.flush();
                    }
                    pending.reset();
                    pending.write(buffer, end, n - end);
                }
            } catch (IOException e) {
                // The process is gone; nothing more to copy.
            } finally {
                if (pending.size() > 0) {
                    synchronized (log) {
                        log.write(pending.toByteArray(), 0, pending.size());
                        log.flush();
                    }
                }
            }
        });
    }

    private static void join(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(5));
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
