package com.edgeinventory.local.fault;

import com.edgeinventory.local.iam.AccessDenied;
import com.edgeinventory.local.iam.AwsHttpRequest;
import com.edgeinventory.local.meter.DynamoDbUsage;
import com.edgeinventory.local.meter.UsageMeter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP proxy on loopback in front of the AWS endpoint (moto) that fails DynamoDB calls on purpose. Every request
 * is forwarded as is (method, path, query, headers including the SigV4 signature, body streamed both ways); the
 * {@code Host} becomes the target's, which moto accepts because it does not verify signatures. A DynamoDB call
 * ({@code X-Amz-Target: DynamoDB_20120810.<Operation>}) of an affected operation is instead answered, with the
 * configured probabilities, by a throttle (HTTP 400 {@code ProvisionedThroughputExceededException}) or an HTTP 500
 * {@code InternalServerError}, before anything is forwarded: the call never reaches the table, as with a real
 * throttle, and the SDK's retries decide what happens next. With a {@link CentralOutage} switched on, every Kinesis
 * call ({@code X-Amz-Target: Kinesis_20131202.<Operation>}) is answered with HTTP 503 the same way.
 */
public final class FaultProxy implements AutoCloseable {

    /** A fault the proxy answers with. */
    public enum Fault {
        THROTTLE(400, "ProvisionedThroughputExceededException"),
        ERROR(500, "InternalServerError");

        final int status;
        final String type;

        Fault(int status, String type) {
            this.status = status;
            this.type = type;
        }

        String body() {
            return "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type + "\",\"message\":\"injected\"}";
        }
    }

    /** DynamoDB calls of one operation seen by the proxy, and the faults injected into them. */
    public record Counts(long calls, long throttles, long errors) {
        public long injected() {
            return throttles + errors;
        }
    }

    static final String DYNAMODB_TARGET = "DynamoDB_20120810.";
    static final String KINESIS_TARGET = "Kinesis_20131202.";
    private static final Pattern CREDENTIAL_SCOPE = Pattern.compile("Credential=[^/,\\s]+/\\d{8}/([a-z0-9-]+)/");
    private static final Pattern ACCESS_KEY = Pattern.compile("Credential=([^/,\\s]+)/");
    private static final Pattern SCOPE_SERVICE = Pattern.compile("Credential=[^/,\\s]+/\\d{8}/[a-z0-9-]+/([a-z0-9-]+)/");
    /** For a call nothing waits on. */
    private static final Runnable NOTHING = () -> { };
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Hop-by-hop headers and the ones java.net.http sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive", "proxy-connection", "te", "trailer");
    private static final Set<String> NOT_RETURNED = Set.of("connection", "content-length", "transfer-encoding",
            "keep-alive", "date");

    private final URI target;
    private final DynamoDbFaults faults;
    private final Optional<CentralOutage> outage;
    private final Optional<TransactionConflicts> conflicts;
    private final Optional<Metering> metering;
    private volatile IamGate gate;
    private final AtomicLong kinesisRefused = new AtomicLong();
    private final Consumer<String> log;
    private final Random random;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;
    private final Map<String, AtomicLong[]> counts = new ConcurrentHashMap<>();

    private FaultProxy(URI target, DynamoDbFaults faults, Optional<CentralOutage> outage,
                       Optional<TransactionConflicts> conflicts, Optional<Metering> metering, Consumer<String> log)
            throws IOException {
        this.target = target;
        this.faults = faults;
        this.outage = outage;
        this.conflicts = conflicts;
        this.metering = metering;
        this.log = log;
        this.random = new Random(faults.seed());
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a proxy on a free loopback port forwarding to {@code target} (e.g. {@code http://127.0.0.1:5000}). */
    public static FaultProxy start(URI target, DynamoDbFaults faults, Consumer<String> log) {
        return start(target, faults, Optional.empty(), log);
    }

    /** As above, and every Kinesis call refused while {@code outage} is on. */
    public static FaultProxy start(URI target, DynamoDbFaults faults, Optional<CentralOutage> outage,
                                   Consumer<String> log) {
        return start(target, faults, outage, Optional.empty(), log);
    }

    /** As above, and DynamoDB's transaction conflicts emulated with {@code conflicts}. */
    public static FaultProxy start(URI target, DynamoDbFaults faults, Optional<CentralOutage> outage,
                                   Optional<TransactionConflicts> conflicts, Consumer<String> log) {
        return start(target, faults, outage, conflicts, Optional.empty(), log);
    }

    /**
     * Metering: every call the proxy forwards is counted in a {@link UsageMeter}, by the calling function
     * ({@code callers}: access key id to {@code region/LogicalId}).
     */
    public record Metering(UsageMeter meter, Function<String, Optional<String>> callers) {}

    /** As above, and every forwarded call metered. */
    public static FaultProxy start(URI target, DynamoDbFaults faults, Optional<CentralOutage> outage,
                                   Optional<TransactionConflicts> conflicts, Optional<Metering> metering,
                                   Consumer<String> log) {
        try {
            return new FaultProxy(target, faults, outage, conflicts, metering, log);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot start the DynamoDB fault proxy: " + e.getMessage(), e);
        }
    }

    /** The endpoint to give clients instead of the target. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public DynamoDbFaults faults() {
        return faults;
    }

    /**
     * From now on, every request is checked against IAM first ({@link IamGate}); a denied one gets AWS's error
     * and never reaches the target.
     */
    public void enforce(IamGate iam) {
        this.gate = iam;
    }

    public Optional<CentralOutage> centralOutage() {
        return outage;
    }

    /** The transaction conflict emulation, when on. */
    public Optional<TransactionConflicts> transactionConflicts() {
        return conflicts;
    }

    /** Kinesis calls refused because of the central outage switch. */
    public long kinesisRefused() {
        return kinesisRefused.get();
    }

    /** Per DynamoDB operation: calls seen, throttles and errors injected. */
    public Map<String, Counts> counts() {
        Map<String, Counts> result = new TreeMap<>();
        counts.forEach((op, c) -> result.put(op, new Counts(c[0].get(), c[1].get(), c[2].get())));
        return result;
    }

    /** One line: injected faults per operation. */
    public String summary() {
        StringBuilder line = new StringBuilder("DynamoDB faults injected:");
        counts().forEach((op, c) -> line.append(' ').append(op).append(' ').append(c.throttles()).append(" throttles ")
                .append(c.errors()).append(" errors / ").append(c.calls()).append(" calls;"));
        outage.ifPresent(o -> line.append(" Kinesis calls refused during the central outage: ")
                .append(kinesisRefused.get()));
        conflicts.ifPresent(c -> line.append(' ').append(c.summary()));
        return line.toString();
    }

    private Optional<Fault> decide(String operation) {
        AtomicLong[] c = counts.computeIfAbsent(operation, k -> new AtomicLong[]{new AtomicLong(), new AtomicLong(),
                new AtomicLong()});
        c[0].incrementAndGet();
        if (!faults.affects(operation)) {
            return Optional.empty();
        }
        double draw;
        synchronized (random) {
            draw = random.nextDouble();
        }
        if (draw < faults.throttle()) {
            c[1].incrementAndGet();
            return Optional.of(Fault.THROTTLE);
        }
        if (draw < faults.throttle() + faults.error()) {
            c[2].incrementAndGet();
            return Optional.of(Fault.ERROR);
        }
        return Optional.empty();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            byte[] buffered = null;
            IamGate iam = gate;
            if (iam != null) {
                // IAM first, as AWS authorizes a request before it throttles or fails it.
                buffered = exchange.getRequestBody().readAllBytes();
                Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                exchange.getRequestHeaders().forEach(headers::put);
                URI uri = exchange.getRequestURI();
                if (iam.check(new AwsHttpRequest(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                        headers, buffered)) instanceof IamGate.Verdict.Denied denied) {
                    deny(exchange, denied.response());
                    return;
                }
            }
            if (amzTarget != null && amzTarget.startsWith(DYNAMODB_TARGET)) {
                String operation = amzTarget.substring(DYNAMODB_TARGET.length());
                Optional<Fault> fault = decide(operation);
                if (fault.isPresent()) {
                    inject(exchange, operation, fault.get());
                    return;
                }
            }
            if (amzTarget != null && amzTarget.startsWith(KINESIS_TARGET) && outage.map(CentralOutage::active)
                    .orElse(false)) {
                refuseKinesis(exchange, amzTarget.substring(KINESIS_TARGET.length()));
                return;
            }
            if (amzTarget != null && amzTarget.startsWith(DYNAMODB_TARGET) && conflicts.isPresent()) {
                if (buffered == null) {
                    buffered = exchange.getRequestBody().readAllBytes();
                }
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                TransactionConflicts.Admission admission = conflicts.get().admit(region(authorization),
                        amzTarget.substring(DYNAMODB_TARGET.length()), buffered,
                        table -> keyAttributes(table, authorization));
                if (admission instanceof TransactionConflicts.Admission.Refused refused) {
                    answer(exchange, 400, refused.body());
                    return;
                }
                TransactionConflicts.Admission.Admitted admitted = (TransactionConflicts.Admission.Admitted) admission;
                try {
                    // Released once moto has answered and before the caller hears it: when DynamoDB's answer
                    // arrives the transaction is over, so the caller's next write must not meet its own.
                    forwardMetered(exchange, buffered, admitted::releaseNow);
                } finally {
                    admitted.releaseNow();
                }
                return;
            }
            forwardMetered(exchange, buffered, NOTHING);
        } catch (IOException | RuntimeException e) {
            log.accept("fault proxy: " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void inject(HttpExchange exchange, String operation, Fault fault) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        byte[] body = fault.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(fault.status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        log.accept("fault proxy: " + fault.name().toLowerCase(Locale.ROOT) + " " + operation);
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The region of a SigV4 {@code Authorization} header's credential scope; us-east-1 without one. */
    static String region(String authorization) {
        return scopePart(authorization, CREDENTIAL_SCOPE).orElse("us-east-1");
    }

    /** The first group of {@code part} in a SigV4 {@code Authorization} header, if it is there. */
    private static Optional<String> scopePart(String authorization, Pattern part) {
        if (authorization == null) {
            return Optional.empty();
        }
        Matcher m = part.matcher(authorization);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * A DynamoDB call the proxy makes itself to the target, as the caller (moto reads the region from the
     * credential scope and checks no signature): the answer's body, or empty when it is not a 200.
     */
    private Optional<JsonNode> ownDynamoDbCall(String operation, JsonNode body, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", DYNAMODB_TARGET + operation)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
    }

    /** A table's key attribute names (hash first), asked of the target as the caller. */
    private List<String> keyAttributes(String table, String authorization) {
        JsonNode schema;
        try {
            schema = ownDynamoDbCall("DescribeTable", JSON.createObjectNode().put("TableName", table), authorization)
                    .orElseThrow(() -> new IllegalStateException("DescribeTable " + table + " failed"))
                    .path("Table").path("KeySchema");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        List<String> names = new ArrayList<>();
        for (String type : List.of("HASH", "RANGE")) {
            for (JsonNode k : schema) {
                if (type.equals(k.path("KeyType").asText())) {
                    names.add(k.path("AttributeName").asText());
                }
            }
        }
        return names;
    }

    private void refuseKinesis(HttpExchange exchange, String operation) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        long n = kinesisRefused.incrementAndGet();
        byte[] body = ("{\"__type\":\"ServiceUnavailable\",\"message\":\"central outage (injected)\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(503, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        if (n == 1 || n % 50 == 0) {
            log.accept("fault proxy: central outage, refused Kinesis " + operation + " (" + n + " so far)");
        }
    }

    private static void deny(HttpExchange exchange, AccessDenied.Response response) throws IOException {
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        if (response.body().length == 0) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.status(), response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response.body());
        }
    }

    /** What went back to the caller of a forwarded request. */
    private record Forwarded(int status, long responseBytes, byte[] body) {}

    /** Forwards, and meters the call when metering is on. */
    /** @param answered runs once the target has answered, before the answer goes back to the caller */
    private void forwardMetered(HttpExchange exchange, byte[] buffered, Runnable answered)
            throws IOException, InterruptedException {
        if (metering.isEmpty()) {
            forward(exchange, buffered, false, answered);
            return;
        }
        byte[] request = buffered != null ? buffered : exchange.getRequestBody().readAllBytes();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        boolean dynamo = amzTarget != null && amzTarget.startsWith(DYNAMODB_TARGET);
        Forwarded answer = forward(exchange, request, dynamo, answered);
        try {
            meter(exchange.getRequestMethod(), authorization, amzTarget, request, answer);
        } catch (RuntimeException e) {
            log.accept("usage meter: " + e); // metering never fails the call it measures
        }
    }

    private void meter(String method, String authorization, String amzTarget, byte[] request, Forwarded answer) {
        Metering m = metering.orElseThrow();
        String region = region(authorization);
        String caller = accessKey(authorization).flatMap(m.callers()).orElse("?");
        String service;
        String operation;
        if (amzTarget != null && amzTarget.contains(".")) {
            String prefix = amzTarget.substring(0, amzTarget.indexOf('.'));
            operation = amzTarget.substring(amzTarget.indexOf('.') + 1);
            service = switch (prefix) {
                case "DynamoDB_20120810" -> "dynamodb";
                case "DynamoDBStreams_20120810" -> "dynamodbstreams";
                case "Kinesis_20131202" -> "kinesis";
                case "AmazonSQS" -> "sqs";
                default -> prefix.toLowerCase(Locale.ROOT);
            };
        } else {
            service = scopeService(authorization);
            operation = method;
        }
        DynamoDbUsage.Units units = DynamoDbUsage.Units.NONE;
        boolean ok = answer.status() / 100 == 2;
        if (ok && service.equals("dynamodb") && answer.body() != null) {
            units = DynamoDbUsage.of(operation, readJson(request), readJson(answer.body()),
                    (table, key) -> currentItem(table, key, authorization));
        }
        m.meter().call(region, caller, service, operation, request.length, answer.responseBytes(), units);
        if (ok && service.equals("kinesis") && (operation.equals("PutRecords") || operation.equals("PutRecord"))) {
            JsonNode put = readJson(request);
            List<JsonNode> records = new ArrayList<>();
            if (operation.equals("PutRecords")) {
                put.path("Records").forEach(records::add);
            } else if (put != null) {
                records.add(put);
            }
            long[] payload = records.stream().mapToLong(r -> java.util.Base64.getDecoder()
                    .decode(r.path("Data").asText("")).length + r.path("PartitionKey").asText("")
                    .getBytes(StandardCharsets.UTF_8).length).toArray();
            m.meter().kinesisRecords(region, caller, operation, payload);
        }
    }

    private static JsonNode readJson(byte[] body) {
        try {
            return body == null || body.length == 0 ? null : JSON.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    /** The item under {@code key} now, read consistently from the target as the caller (not metered). */
    private Optional<JsonNode> currentItem(String table, JsonNode key, String authorization) {
        try {
            return ownDynamoDbCall("GetItem", JSON.createObjectNode().put("TableName", table).put("ConsistentRead", true)
                    .set("Key", key), authorization).map(r -> r.path("Item")).filter(item -> !item.isMissingNode());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The access key id of a SigV4 {@code Authorization} header. */
    static Optional<String> accessKey(String authorization) {
        return scopePart(authorization, ACCESS_KEY);
    }

    /** The service of a SigV4 credential scope ({@code s3} for the buckets' calls). */
    static String scopeService(String authorization) {
        return scopePart(authorization, SCOPE_SERVICE).orElse("?");
    }

    /**
     * @param buffered the request body when already read, else null (streamed)
     * @param keepBody keep the response body to return it (a DynamoDB answer to meter)
     */
    private Forwarded forward(HttpExchange exchange, byte[] buffered, boolean keepBody, Runnable answered)
            throws IOException, InterruptedException {
        URI requestUri = exchange.getRequestURI();
        String path = requestUri.getRawPath() == null || requestUri.getRawPath().isEmpty() ? "/"
                : requestUri.getRawPath();
        URI uri = URI.create(target.getScheme() + "://" + target.getRawAuthority() + path
                + (requestUri.getRawQuery() == null ? "" : "?" + requestUri.getRawQuery()));
        Headers in = exchange.getRequestHeaders();
        long length = Optional.ofNullable(in.getFirst("Content-Length")).map(String::strip).map(Long::parseLong)
                .orElse(-1L);
        boolean chunked = Optional.ofNullable(in.getFirst("Transfer-Encoding"))
                .map(v -> v.toLowerCase(Locale.ROOT).contains("chunked")).orElse(false);
        HttpRequest.BodyPublisher body;
        if (buffered != null) {
            body = buffered.length == 0 ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(buffered);
        } else if (length > 0) {
            body = HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody), length);
        } else if (chunked) {
            body = HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody);
        } else {
            body = HttpRequest.BodyPublishers.noBody();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(exchange.getRequestMethod(), body)
                .timeout(Duration.ofMinutes(5));
        in.forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            answered.run();
            byte[] message = ("fault proxy: cannot reach " + target + ": " + e.getMessage())
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(502, message.length);
            exchange.getResponseBody().write(message);
            return new Forwarded(502, message.length, null);
        }
        answered.run();
        Headers out = exchange.getResponseHeaders();
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":") && !NOT_RETURNED.contains(name.toLowerCase(Locale.ROOT))) {
                out.put(name, values);
            }
        });
        long responseLength = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        int status = response.statusCode();
        try (InputStream responseBody = response.body()) {
            if (exchange.getRequestMethod().equalsIgnoreCase("HEAD") || status == 204 || status == 304) {
                if (responseLength >= 0 && status != 204) {
                    out.set("Content-Length", Long.toString(responseLength));
                }
                exchange.sendResponseHeaders(status, -1);
                responseBody.transferTo(OutputStream.nullOutputStream());
                return new Forwarded(status, 0, null);
            }
            exchange.sendResponseHeaders(status, responseLength == 0 ? -1 : responseLength < 0 ? 0 : responseLength);
            if (keepBody) {
                byte[] kept = responseBody.readAllBytes();
                try (OutputStream sink = exchange.getResponseBody()) {
                    sink.write(kept);
                }
                return new Forwarded(status, kept.length, kept);
            }
            long bytes;
            try (OutputStream sink = exchange.getResponseBody()) {
                bytes = responseBody.transferTo(sink);
            }
            return new Forwarded(status, bytes, null);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        http.shutdownNow();
    }
}
