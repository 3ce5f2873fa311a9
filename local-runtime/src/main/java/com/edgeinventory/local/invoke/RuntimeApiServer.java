package com.edgeinventory.local.invoke;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A one-shot Lambda Runtime API on 127.0.0.1: serves one event to {@code GET /invocation/next}, records the
 * runtime's {@code /response}, {@code /error} or {@code /init/error}, and parks any further {@code next} call until
 * closed (the parent stops the runtime process after the first outcome).
 */
final class RuntimeApiServer implements AutoCloseable {

    static final String PREFIX = "/2018-06-01/runtime";

    /** What the runtime posted. */
    sealed interface Posted {
        record Response(String body) implements Posted {
        }

        record Error(String phase, String errorType, String body) implements Posted {
        }
    }

    /** The invocation served by this API. */
    record Invocation(String requestId, String functionArn, String traceId, int timeoutSeconds, byte[] event) {
        Invocation {
            Objects.requireNonNull(requestId);
            Objects.requireNonNull(functionArn);
            Objects.requireNonNull(traceId);
            event = event.clone();
        }
    }

    private final Invocation invocation;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lambda-runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final CompletableFuture<Instant> delivered = new CompletableFuture<>();
    private final CompletableFuture<Posted> posted = new CompletableFuture<>();
    private final AtomicBoolean served = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    RuntimeApiServer(Invocation invocation) throws IOException {
        this.invocation = invocation;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext(PREFIX + "/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** {@code 127.0.0.1:port}, the value of AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Completes with the delivery time when the runtime has fetched the event. */
    CompletableFuture<Instant> delivered() {
        return delivered;
    }

    /** Completes when the runtime posts a response or an error. */
    CompletableFuture<Posted> posted() {
        return posted;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            String invocationPath = PREFIX + "/invocation/" + invocation.requestId();
            if (method.equals("GET") && path.equals(PREFIX + "/invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && path.equals(invocationPath + "/response")) {
                String body = readBody(exchange);
                posted.complete(new Posted.Response(body));
                accepted(exchange);
            } else if (method.equals("POST") && path.equals(invocationPath + "/error")) {
                String body = readBody(exchange);
                posted.complete(new Posted.Error("invoke", errorType(exchange), body));
                accepted(exchange);
            } else if (method.equals("POST") && path.equals(PREFIX + "/init/error")) {
                String body = readBody(exchange);
                posted.complete(new Posted.Error("init", errorType(exchange), body));
                accepted(exchange);
            } else {
                readBody(exchange);
                send(exchange, 404, "{\"errorMessage\":\"Unknown Runtime API call " + method + " " + path
                        + "\",\"errorType\":\"InvalidRequest\"}");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        if (!served.compareAndSet(false, true)) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        Instant now = Instant.now();
        long deadline = now.toEpochMilli() + invocation.timeoutSeconds() * 1000L;
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", invocation.functionArn());
        headers.set("Lambda-Runtime-Trace-Id", invocation.traceId());
        exchange.sendResponseHeaders(200, invocation.event().length == 0 ? -1 : invocation.event().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(invocation.event());
        }
        delivered.complete(now);
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
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
