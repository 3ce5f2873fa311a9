package com.edgeinventory.local.invoke;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.edgeinventory.local.template.FunctionDef;
import com.edgeinventory.local.template.ResolveOptions;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Each local function's own identity, as Lambda gives it: the function's execution role, temporary keys issued for
 * it, and how its environment receives them ({@link #credentials}): the key variables for an on-demand function, a
 * container-credentials endpoint served here on loopback for a SnapStart function. The keys are distinct per
 * function and region, so whatever sees a request's SigV4 access key id (the local IAM check) knows which
 * function's role made it ({@link #byAccessKeyId}).
 *
 * <p>The endpoint answers {@code GET} with the function's {@code Authorization} token as the SDK's
 * {@code ContainerCredentialsProvider} asks: {@code {"AccessKeyId","SecretAccessKey","Token","Expiration"}}; a
 * missing or unknown token gets 401. Credentials expire after {@link #LIFETIME} and are issued again on the next
 * request, so a function that keeps keys from before a snapshot past their expiry sees it. An environment given
 * its own token ({@link LambdaCredentials.ContainerEndpoint#forEnvironment}) gets keys of its own, and those issued
 * before its SnapStart restore are taken back at the restore ({@link #restored}).
 */
public final class FunctionIdentities implements AutoCloseable {

    /** How long issued keys are valid, as Lambda's are (hours, refreshed before expiry). */
    public static final Duration LIFETIME = Duration.ofHours(6);
    /**
     * How long keys issued to a SnapStart environment before its restore are said to be valid: inside the SDK's
     * stale window (its container-credentials provider treats keys as stale one minute before their expiration),
     * so that the SDK asks the endpoint again on every call until the restore and on its first call after it, as
     * it would on AWS, where the restore comes hours after the snapshot and the snapshot's keys have long expired.
     * Measured with SDK 2.57: at 30 s (and up to 70 s) it fetches on every call; at 10 min it keeps the keys.
     */
    static final Duration BEFORE_RESTORE_LIFETIME = Duration.ofSeconds(30);
    static final String CREDENTIALS_PATH = "/2021-04-23/credentials";

    /** A function's identity in one region. */
    public record Identity(String region, FunctionDef function, String roleName, String roleArn,
                           LambdaCredentials.AccessKeys keys, String containerToken, Instant expiration) {

        /** The caller as AWS names it in an access-denied message. */
        public String principalArn() {
            return "arn:aws:sts::" + ResolveOptions.ACCOUNT_ID + ":assumed-role/" + roleName + "/"
                    + function.functionName();
        }
    }

    private record Key(String region, String logicalId) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Map<Key, Identity> identities = new ConcurrentHashMap<>();
    private final Map<String, Identity> byKeyId = new ConcurrentHashMap<>();
    private final Map<String, Identity> byToken = new ConcurrentHashMap<>();
    /** The keys of each execution environment that fetched with its own token, by that token. */
    private final Map<String, Identity> byEnvironmentToken = new ConcurrentHashMap<>();
    private final java.util.Set<String> restoredEnvironments = ConcurrentHashMap.newKeySet();
    /** Keys taken back (expired, or issued before a restore), by access key id. */
    private final Map<String, Identity> expired = new ConcurrentHashMap<>();
    private final Object serverLock = new Object();
    private HttpServer server;
    private ExecutorService executor;

    public FunctionIdentities() {
        this(Clock.systemUTC());
    }

    FunctionIdentities(Clock clock) {
        this.clock = clock;
    }

    /** The function's identity in {@code region}, issued on first use and renewed once expired. */
    public Identity identity(String region, FunctionDef function) {
        return identities.compute(new Key(region, function.logicalId()), (key, current) -> {
            if (current != null && current.expiration().isAfter(clock.instant())) {
                return current;
            }
            if (current != null) {
                expire(current);
            }
            String roleName = function.functionName() + "-role";
            Identity fresh = new Identity(region, function, roleName,
                    "arn:aws:iam::" + ResolveOptions.ACCOUNT_ID + ":role/" + roleName,
                    new LambdaCredentials.AccessKeys("ASIA" + keyIdSuffix(), token(30), token(48)),
                    current != null ? current.containerToken() : token(32),
                    clock.instant().plus(LIFETIME).truncatedTo(ChronoUnit.SECONDS));
            byKeyId.put(fresh.keys().accessKeyId(), fresh);
            byToken.put(fresh.containerToken(), fresh);
            return fresh;
        });
    }

    /** What the function's environment gets: container credentials under SnapStart, else its keys. */
    public LambdaCredentials credentials(String region, FunctionDef function) {
        Identity identity = identity(region, function);
        if (!function.snapStart()) {
            return identity.keys();
        }
        return new LambdaCredentials.ContainerEndpoint(endpoint(), identity.containerToken());
    }

    /**
     * An execution environment's SnapStart restore ({@link LambdaCredentials.ContainerEndpoint#forEnvironment}):
     * the keys issued to it before are taken back, as keys in a snapshot are long expired when AWS restores it, and
     * its next fetch gets new ones. A function that kept its credentials from before the snapshot (resolved once
     * into a static provider) then fails with {@code ExpiredToken}; the SDK's default chain asks again.
     */
    public void restored(LambdaCredentials environment) {
        if (!(environment instanceof LambdaCredentials.ContainerEndpoint container)
                || !container.authorizationToken().contains(LambdaCredentials.ENVIRONMENT_SEPARATOR)) {
            return;
        }
        restoredEnvironments.add(container.authorizationToken());
        Identity before = byEnvironmentToken.remove(container.authorizationToken());
        if (before != null) {
            expire(before);
        }
    }

    /** The identity whose keys carry this access key id, if they were taken back (expired or restored over). */
    public Optional<Identity> expiredAccessKeyId(String accessKeyId) {
        return Optional.ofNullable(expired.get(accessKeyId));
    }

    private void expire(Identity identity) {
        byKeyId.remove(identity.keys().accessKeyId());
        expired.put(identity.keys().accessKeyId(), identity);
    }

    /** The keys of one execution environment: issued on its first fetch, again once expired or restored over. */
    private Identity environment(String environmentToken, Identity function) {
        return byEnvironmentToken.compute(environmentToken, (token, current) -> {
            if (current != null && current.expiration().isAfter(clock.instant())) {
                return current;
            }
            if (current != null) {
                expire(current);
            }
            Duration lifetime = restoredEnvironments.contains(token) ? LIFETIME : BEFORE_RESTORE_LIFETIME;
            Identity fresh = new Identity(function.region(), function.function(), function.roleName(),
                    function.roleArn(), new LambdaCredentials.AccessKeys("ASIA" + keyIdSuffix(), token(30),
                    token(48)), function.containerToken(),
                    clock.instant().plus(lifetime).truncatedTo(ChronoUnit.SECONDS));
            byKeyId.put(fresh.keys().accessKeyId(), fresh);
            return fresh;
        });
    }

    /** The identity whose keys carry this access key id, while they are valid. */
    public Optional<Identity> byAccessKeyId(String accessKeyId) {
        return Optional.ofNullable(byKeyId.get(accessKeyId));
    }

    /** The container-credentials endpoint, started on first use. */
    public URI endpoint() {
        synchronized (serverLock) {
            if (server == null) {
                try {
                    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start the container-credentials endpoint", e);
                }
                executor = Executors.newVirtualThreadPerTaskExecutor();
                server.setExecutor(executor);
                server.createContext(CREDENTIALS_PATH, this::serve);
                server.start();
            }
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + CREDENTIALS_PATH);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String token = exchange.getRequestHeaders().getFirst("Authorization");
            int separator = token == null ? -1 : token.indexOf(LambdaCredentials.ENVIRONMENT_SEPARATOR);
            Identity identity = token == null ? null
                    : byToken.get(separator < 0 ? token : token.substring(0, separator));
            if (!"GET".equals(exchange.getRequestMethod()) || identity == null) {
                send(exchange, 401, "{\"message\":\"Unauthorized\"}");
                return;
            }
            // Renewed when expired: the token stays the function's (or its environment's), the keys change.
            Identity current = separator < 0 ? identity(identity.region(), identity.function())
                    : environment(token, identity);
            send(exchange, 200, "{\"AccessKeyId\":\"" + current.keys().accessKeyId() + "\",\"SecretAccessKey\":\""
                    + current.keys().secretAccessKey() + "\",\"Token\":\"" + current.keys().sessionToken()
                    + "\",\"Expiration\":\"" + current.expiration() + "\"}");
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private String keyIdSuffix() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    private String token(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Override
    public void close() {
        synchronized (serverLock) {
            if (server != null) {
                server.stop(0);
                executor.close();
                server = null;
            }
        }
    }
}
