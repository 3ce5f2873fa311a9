package com.edgeinventory.local.invoke;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The Lambda Runtime API of one execution environment, on 127.0.0.1: {@code GET /invocation/next} blocks until an
 * event is {@linkplain #submit(Invocation) submitted} and serves events one at a time, in order; the runtime's
 * {@code /response} or {@code /error} completes that invocation, {@code /init/error} fails the initialisation.
 * A {@code next} call with nothing queued parks until an event arrives or the server is closed.
 *
 * <p>SnapStart: a runtime started with {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start} runs the registered CRaC
 * {@code beforeCheckpoint} hooks after its init, then calls {@code GET /restore/next}, which answers once Lambda
 * would have taken the snapshot and restored it ({@link #restored()} completes then, after {@code onRestore}
 * ran), then runs the {@code afterRestore} hooks and asks for its first invocation. {@code /restore/error}
 * fails the environment like an init error.
 */
final class RuntimeApiServer implements AutoCloseable {

    static final String PREFIX = "/2018-06-01/runtime";
    private static final String INVOCATION = PREFIX + "/invocation/";

    /** What the runtime posted. */
    sealed interface Posted {
        record Response(String body) implements Posted {
        }

        record Error(String phase, String errorType, String body) implements Posted {
        }
    }

    /** One event for the runtime. */
    record Invocation(String requestId, String functionArn, String traceId, int timeoutSeconds, byte[] event) {
        Invocation {
            Objects.requireNonNull(requestId);
            Objects.requireNonNull(functionArn);
            Objects.requireNonNull(traceId);
            event = event.clone();
        }
    }

    /** A submitted invocation: when the runtime fetched it and what it posted for it. */
    record Pending(Invocation invocation, CompletableFuture<Instant> delivered, CompletableFuture<Posted> posted) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lambda-runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<Posted> initError = new CompletableFuture<>();
    private final CompletableFuture<Instant> checkpointed = new CompletableFuture<>();
    private final CompletableFuture<Instant> restored = new CompletableFuture<>();
    private final CompletableFuture<Instant> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> restoreGate;
    private final Runnable onRestore;
    private volatile boolean closed;

    RuntimeApiServer() throws IOException {
        this(() -> { }, false);
    }

    /**
     * @param onRestore      runs when a SnapStart runtime is restored, before it is answered
     * @param holdAtSnapshot whether a SnapStart runtime's {@code /restore/next} waits for {@link #restore()}: the
     *                       environment then stays a snapshot (init and beforeCheckpoint done) until it is used
     */
    RuntimeApiServer(Runnable onRestore, boolean holdAtSnapshot) throws IOException {
        this.onRestore = Objects.requireNonNull(onRestore);
        this.restoreGate = holdAtSnapshot ? new CompletableFuture<>() : CompletableFuture.completedFuture(null);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext(PREFIX + "/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** {@code 127.0.0.1:port}, the value of AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an event for the runtime's next {@code next} call. */
    Pending submit(Invocation invocation) {
        Pending pending = new Pending(invocation, new CompletableFuture<>(), new CompletableFuture<>());
        queue.add(pending);
        return pending;
    }

    /** Completes when the runtime first asks for an invocation: its init (and any restore) is done. */
    CompletableFuture<Instant> ready() {
        return ready;
    }

    /** Completes when a SnapStart runtime has run its init and beforeCheckpoint hooks: its snapshot is taken. */
    CompletableFuture<Instant> checkpointed() {
        return checkpointed;
    }

    /** Completes when a SnapStart runtime has run its beforeCheckpoint hooks and is answered its restore. */
    CompletableFuture<Instant> restored() {
        return restored;
    }

    /** Restores a runtime held at its snapshot (a no-op when it is not held, or already restored). */
    void restore() {
        restoreGate.complete(null);
    }

    /** Completes when the runtime reports that its initialisation (or, under SnapStart, its restore) failed. */
    CompletableFuture<Posted> initError() {
        return initError;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals(INVOCATION + "next")) {
                next(exchange);
            } else if (method.equals("GET") && path.equals(PREFIX + "/restore/next")) {
                checkpointed.complete(Instant.now());
                try {
                    restoreGate.get();
                } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (closed) {
                    return;
                }
                onRestore.run();
                restored.complete(Instant.now());
                send(exchange, 200, "");
            } else if (method.equals("POST") && path.equals(PREFIX + "/restore/error")) {
                String body = readBody(exchange);
                initError.complete(new Posted.Error("restore", errorType(exchange), body));
                accepted(exchange);
            } else if (method.equals("POST") && path.equals(PREFIX + "/init/error")) {
                String body = readBody(exchange);
                initError.complete(new Posted.Error("init", errorType(exchange), body));
                accepted(exchange);
            } else if (method.equals("POST") && path.startsWith(INVOCATION) && path.endsWith("/response")) {
                complete(exchange, path.substring(INVOCATION.length(), path.length() - "/response".length()),
                        Posted.Response::new);
            } else if (method.equals("POST") && path.startsWith(INVOCATION) && path.endsWith("/error")) {
                complete(exchange, path.substring(INVOCATION.length(), path.length() - "/error".length()),
                        body -> new Posted.Error("invoke", errorType(exchange), body));
            } else {
                readBody(exchange);
                send(exchange, 404, "{\"errorMessage\":\"Unknown Runtime API call " + method + " " + path
                        + "\",\"errorType\":\"InvalidRequest\"}");
            }
        }
    }

    private void complete(HttpExchange exchange, String requestId,
                          Function<String, Posted> posted) throws IOException {
        String body = readBody(exchange);
        Pending pending = inFlight.remove(requestId);
        if (pending == null) {
            send(exchange, 400, "{\"errorMessage\":\"Invalid request ID " + requestId
                    + "\",\"errorType\":\"InvalidRequestID\"}");
            return;
        }
        pending.posted().complete(posted.apply(body));
        accepted(exchange);
    }

    private void next(HttpExchange exchange) throws IOException {
        ready.complete(Instant.now());
        Pending pending = null;
        try {
            while (pending == null && !closed) {
                pending = queue.poll(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (pending == null) {
            return;
        }
        Invocation invocation = pending.invocation();
        Instant now = Instant.now();
        long deadline = now.toEpochMilli() + invocation.timeoutSeconds() * 1000L;
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", invocation.functionArn());
        headers.set("Lambda-Runtime-Trace-Id", invocation.traceId());
        inFlight.put(invocation.requestId(), pending);
        pending.delivered().complete(now);
        exchange.sendResponseHeaders(200, invocation.event().length == 0 ? -1 : invocation.event().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(invocation.event());
        }
    }

    private static String errorType(HttpExchange exchange) {
        String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        return type == null ? "" : type;
    }

    private static String readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void accepted(HttpExchange exchange) throws IOException {
        send(exchange, 202, "{\"status\":\"OK\"}");
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        restoreGate.complete(null);
        server.stop(0);
        executor.shutdownNow();
    }
}
