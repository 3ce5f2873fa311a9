package com.edgeinventory.local.moto;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.edgeinventory.local.LocalRuntimeException;

/**
 * A {@code moto_server} child process on 127.0.0.1 and a free port: DynamoDB (+ Streams), S3 (+ notifications to
 * SQS), SQS and Kinesis on one endpoint. Its output goes to a log file. {@link #close()} stops it; a shutdown hook
 * stops it too if the JVM exits first.
 */
public final class MotoServer implements AutoCloseable {

    public static final String EXECUTABLE = "moto_server";
    public static final String INSTALL_HINT = "Install it with: pip install \"moto[server]==5.2.1\" "
            + "(then make sure moto_server is on PATH), or point at another local AWS endpoint such as "
            + "LocalStack in Docker with --endpoint http://localhost:4566.";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final int port;
    private final Path logFile;
    private final HttpClient http;
    private final Thread shutdownHook;
    private final boolean persistent;
    static final String STATE_VARIABLE = "EDGE_MOTO_STATE";

    private MotoServer(Process process, int port, Path logFile, HttpClient http, boolean persistent) {
        this.persistent = persistent;
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.http = http;
        this.shutdownHook = new Thread(this::stopProcess, "moto-server-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts moto, logging to a new temporary file. */
    public static MotoServer start() {
        try {
            return start(Files.createTempFile("moto-server-", ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a log file for moto_server", e);
        }
    }

    /**
     * Starts moto on a free port and waits (up to 30 s) until it answers.
     *
     * @param logFile receives moto's stdout and stderr
     * @throws MotoNotFoundException when moto_server is not installed
     */
    public static MotoServer start(Path logFile) {
        return start(logFile, Optional.empty());
    }

    /**
     * Starts moto like {@link #start(Path)}; with a {@code stateFile}, the state of DynamoDB (and its streams),
     * Kinesis, S3 and SQS is loaded from it when it exists, and {@link #saveState()} writes it there
     * ({@code serialized_moto_server.py}, variable {@code EDGE_MOTO_STATE}).
     */
    public static MotoServer start(Path logFile, Optional<Path> stateFile) {
        Path executable = findExecutable();
        List<String> launcher = launcher(executable);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        LocalRuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = freePort();
            Process process;
            try {
                Files.createDirectories(logFile.toAbsolutePath().getParent());
                List<String> command = new ArrayList<>(launcher);
                command.addAll(List.of("-H", "127.0.0.1", "-p", String.valueOf(port)));
                ProcessBuilder builder = new ProcessBuilder(command);
                stateFile.ifPresent(f -> builder.environment().put(STATE_VARIABLE, f.toAbsolutePath().toString()));
                process = builder
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                        .start();
            } catch (IOException e) {
                throw new LocalRuntimeException("Cannot start " + executable + ": " + e.getMessage(), e);
            }
            try {
                awaitReady(process, port, http, logFile);
                return new MotoServer(process, port, logFile, http, stateFile.isPresent());
            } catch (LocalRuntimeException e) {
                destroy(process);
                last = e;
            }
        }
        throw last;
    }

    /**
     * How to start moto: {@code serialized_moto_server.py} (moto_server's own main, one request at a time; see
     * that file for why) under the Python that sits beside {@code moto_server}, so it imports the same moto.
     * When there is no such Python, plain {@code moto_server}.
     */
    static List<String> launcher(Path executable) {
        Path python = executable.resolveSibling("python3");
        if (!Files.isExecutable(python)) {
            System.err.println("moto: no python3 beside " + executable + "; starting moto_server without request "
                    + "serialization (concurrent DynamoDB transactions are not isolated)");
            return List.of(executable.toString());
        }
        try (var script = MotoServer.class.getResourceAsStream("serialized_moto_server.py")) {
            if (script == null) {
                throw new IllegalStateException("serialized_moto_server.py is missing from the local-aws jar");
            }
            Path file = Files.createTempFile("serialized_moto_server", ".py");
            file.toFile().deleteOnExit();
            Files.write(file, script.readAllBytes());
            return List.of(python.toString(), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the moto launcher script", e);
        }
    }

    /** Finds moto_server on PATH, then in ~/.pyenv/shims. */
    public static Path findExecutable() {
        return findExecutable(System.getenv("PATH"), Path.of(System.getProperty("user.home")))
                .orElseThrow(() -> new MotoNotFoundException(EXECUTABLE + " was not found on PATH or in "
                        + "~/.pyenv/shims. " + INSTALL_HINT));
    }

    /** Finds moto_server in the directories of {@code pathVariable}, then in {@code home}/.pyenv/shims. */
    public static Optional<Path> findExecutable(String pathVariable, Path home) {
        List<Path> dirs = new ArrayList<>();
        if (pathVariable != null) {
            for (String dir : pathVariable.split(File.pathSeparator)) {
                if (!dir.isBlank()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        dirs.add(home.resolve(".pyenv").resolve("shims"));
        return dirs.stream()
                .map(d -> d.resolve(EXECUTABLE))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .findFirst();
    }

    private static void awaitReady(Process process, int port, HttpClient http, Path logFile) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        URI probe = URI.create("http://127.0.0.1:" + port + "/moto-api/");
        while (true) {
            if (!process.isAlive()) {
                throw new LocalRuntimeException("moto_server exited with status " + process.exitValue()
                        + " before it answered; see " + logFile);
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(2))
                        .GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (ConnectException e) {
                // Not listening yet.
            } catch (IOException e) {
                // Starting up: retry until the deadline.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalRuntimeException("Interrupted while waiting for moto_server", e);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new LocalRuntimeException("moto_server did not answer on port " + port + " within "
                        + START_TIMEOUT.toSeconds() + " s; see " + logFile);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalRuntimeException("Interrupted while waiting for moto_server", e);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port", e);
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Deletes every resource in every service ({@code POST /moto-api/reset}). */
    /**
     * Writes moto's state to the state file given at start, as one consistent snapshot (no request runs while it is
     * taken).
     *
     * @throws IllegalStateException when moto was started without a state file
     */
    public void saveState() {
        if (!persistent) {
            throw new IllegalStateException("moto_server was started without a state file");
        }
        URI uri = endpoint().resolve("/_edge/state/save");
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new LocalRuntimeException("Saving moto's state answered " + response.statusCode() + ": "
                        + response.body() + " (see " + logFile + ")");
            }
        } catch (IOException e) {
            throw new LocalRuntimeException("Cannot save moto's state: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalRuntimeException("Interrupted while saving moto's state", e);
        }
    }

    public void reset() {
        reset(endpoint(), http);
    }

    /** Resets the moto at {@code endpoint}. */
    public static void reset(URI endpoint, HttpClient http) {
        URI uri = endpoint.resolve("/moto-api/reset");
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new LocalRuntimeException("POST " + uri + " answered " + response.statusCode() + ": "
                        + response.body());
            }
        } catch (IOException e) {
            throw new LocalRuntimeException("Cannot reset moto at " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalRuntimeException("Interrupted while resetting moto", e);
        }
    }

    @Override
    public void close() {
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook runs (or ran) stopProcess, which is idempotent.
        }
        http.close();
    }

    private void stopProcess() {
        destroy(process);
    }

    private static void destroy(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "MotoServer[" + endpoint() + ", log " + logFile + "]";
    }
}
