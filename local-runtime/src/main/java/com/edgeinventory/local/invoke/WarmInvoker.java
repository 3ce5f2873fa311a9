package com.edgeinventory.local.invoke;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.edgeinventory.local.LocalRuntimeException;
import com.edgeinventory.local.template.FunctionDef;

/**
 * Runs functions like Lambda does over time: in warm execution environments. An environment is one child JVM running
 * the real runtime interface client plus its own long-lived Runtime API; it serves one invocation at a time and stays
 * alive between invocations, so only the first invocation pays the cold start.
 *
 * <p>Environments are keyed by the function definition (handler, code, memory, timeout, ARN), its variables, its
 * region and its endpoint. A key has at most {@code maxConcurrency} environments; further callers wait, first come
 * first served. A timeout, a crash or an init error discards the environment (its process tree is killed) and the
 * next invocation cold-starts a new one; a handler error keeps it. Environments idle for longer than the idle timeout
 * are stopped. {@link #close()}, or a JVM shutdown, stops them all.
 *
 * <p>SnapStart: {@link #publish} does what Lambda does when it publishes a version of a SnapStart function: it runs
 * the function's init and its {@code beforeCheckpoint} hooks once, ahead of any invocation, and keeps the result as
 * the version's snapshot (here, an environment held at {@code /restore/next}). An invocation that finds no idle
 * environment restores the snapshot ({@code afterRestore} hooks, then the event) instead of cold-starting, as
 * Lambda's SnapStart cold start does; a fresh snapshot is then taken in the background, one at a time, so that the
 * next environment of that function restores too. Without a snapshot (not published yet, or being retaken) an
 * invocation cold-starts, running init, the hooks and the restore in one go.
 */
public final class WarmInvoker implements AutoCloseable {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

    /**
     * One invocation in a warm environment.
     *
     * @param result       as {@link LocalInvoker#invoke} reports it
     * @param coldStart    whether a new environment was started for this invocation
     * @param initDuration for a cold start, from launching the runtime until it asked for the event; zero when warm
     * @param processId    the environment's runtime process
     */
    public record WarmResult(InvokeResult result, boolean coldStart, Duration initDuration, long processId) {

        public WarmResult {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(initDuration, "initDuration");
        }
    }

    private record Key(FunctionDef function, Map<String, String> variables, String region, Optional<URI> endpoint,
                       LambdaCredentials credentials) {
        static Key of(InvokeRequest request) {
            return new Key(request.function(), request.variables(), request.region(), request.endpoint(),
                    request.credentials());
        }
    }

    /** One child JVM and its Runtime API. */
    private static final class Environment {
        final RuntimeApiServer api;
        final RuntimeProcess runtime;
        final AtomicBoolean closed = new AtomicBoolean();
        Instant idleSince = Instant.now();

        Environment(RuntimeApiServer api, RuntimeProcess runtime) {
            this.api = api;
            this.runtime = runtime;
        }

        void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            try {
                runtime.close();
            } finally {
                api.close();
            }
        }
    }

    /**
     * The environments of one key: a fair permit per environment, the idle ones, most recently used first, and for
     * a published SnapStart function its snapshot (an environment held before its restore) and how to retake it.
     */
    private static final class Pool {
        final Semaphore permits;
        final Deque<Environment> idle = new ArrayDeque<>();
        Environment snapshot;
        InvokeRequest published;
        boolean retaking;

        Pool(int maxConcurrency) {
            this.permits = new Semaphore(maxConcurrency, true);
        }
    }

    private final Path ricDirectory;
    private final Path javaExecutable;
    private final PrintStream log;
    private final int maxConcurrency;
    private final Duration idleTimeout;
    private final Map<Key, Pool> pools = new ConcurrentHashMap<>();
    private final Set<Environment> live = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService reaper;
    private final java.util.concurrent.ExecutorService snapshotter;
    private final Thread shutdownHook;
    private volatile boolean closed;
    private volatile java.util.function.Consumer<LambdaCredentials> restoreListener = credentials -> { };
    private final java.util.concurrent.atomic.AtomicLong environments = new java.util.concurrent.atomic.AtomicLong();

    /** One environment per function, reaped after {@link #DEFAULT_IDLE_TIMEOUT}. */
    public WarmInvoker(Path ricDirectory, PrintStream log) {
        this(ricDirectory, log, 1, DEFAULT_IDLE_TIMEOUT);
    }

    /**
     * @param ricDirectory   holds the runtime interface client jar and its dependencies
     * @param log            receives the functions' output
     * @param maxConcurrency the most environments (so concurrent invocations) of one function, at least 1
     * @param idleTimeout    how long an unused environment is kept
     */
    public WarmInvoker(Path ricDirectory, PrintStream log, int maxConcurrency, Duration idleTimeout) {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be at least 1: " + maxConcurrency);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
        }
        this.ricDirectory = LocalInvoker.requireRic(ricDirectory);
        this.javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java");
        this.log = log;
        this.maxConcurrency = maxConcurrency;
        this.idleTimeout = idleTimeout;
        this.reaper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("warm-environment-reaper").factory());
        long period = Math.clamp(idleTimeout.toMillis() / 4, 50, 30_000);
        reaper.scheduleWithFixedDelay(this::reapIdle, period, period, TimeUnit.MILLISECONDS);
        // One snapshot retaken at a time, so that retaking them never crowds out the environments serving events.
        this.snapshotter = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("snapstart-snapshotter").factory());
        this.shutdownHook = Thread.ofPlatform().unstarted(this::killAll);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A warm invoker using the RIC copied by the local-runtime build (see {@link LocalInvoker#locateRic(Path)}). */
    public static WarmInvoker create(Path repoRoot, PrintStream log, int maxConcurrency, Duration idleTimeout) {
        return new WarmInvoker(LocalInvoker.locateRic(repoRoot), log, maxConcurrency, idleTimeout);
    }

    /**
     * Told of every SnapStart restore, with the credentials of the environment restored: a container endpoint
     * with a token of that environment's own ({@link LambdaCredentials.ContainerEndpoint#forEnvironment}), so
     * that {@link FunctionIdentities#restored} can take back the keys it was issued before its snapshot.
     */
    public void onRestore(java.util.function.Consumer<LambdaCredentials> listener) {
        this.restoreListener = Objects.requireNonNull(listener, "listener");
    }

    public int maxConcurrency() {
        return maxConcurrency;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Invokes once, in a warm environment when one is free, and waits for the outcome. */
    public InvokeResult invoke(InvokeRequest request) {
        return invokeDetailed(request).result();
    }

    /**
     * Like {@link #invoke}, and tells whether the invocation cold-started its environment.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public WarmResult invokeDetailed(InvokeRequest request) {
        if (closed) {
            throw new IllegalStateException("The warm invoker is closed");
        }
        Pool pool = pools.computeIfAbsent(Key.of(request), k -> new Pool(maxConcurrency));
        try {
            pool.permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalRuntimeException("Interrupted while waiting for a free environment of "
                    + request.function().logicalId(), e);
        }
        try {
            Attempt attempt = invokeInPool(pool, request);
            if (attempt.lostBeforeDelivery()) {
                // The warm runtime died before it took the event: Lambda would use a new environment.
                return invokeInPool(pool, request).result();
            }
            return attempt.result();
        } finally {
            pool.permits.release();
        }
    }

    /**
     * Starts one execution environment for {@code request}'s function without invoking it and keeps it warm, as
     * provisioned concurrency does: returns once its init (and SnapStart restore) is done, with how long that
     * took, or empty when the init failed (the environment is discarded; the first invocation starts cold).
     */
    public Optional<Duration> prewarm(InvokeRequest request) {
        if (closed) {
            throw new IllegalStateException("The warm invoker is closed");
        }
        Pool pool = pools.computeIfAbsent(Key.of(request), k -> new Pool(maxConcurrency));
        Environment restored = restoreSnapshot(pool);
        Environment environment = restored != null ? restored : start(request, false);
        try {
            Object first = java.util.concurrent.CompletableFuture.anyOf(environment.api.ready(),
                    environment.api.initError(), environment.runtime.process().onExit())
                    .get(request.function().timeoutSeconds() + 60L, TimeUnit.SECONDS);
            if (first instanceof Instant readyAt && environment.runtime.isAlive()) {
                release(pool, environment);
                return Optional.of(Duration.between(restored != null ? restored.api.checkpointed().getNow(readyAt)
                        : environment.runtime.started(), readyAt));
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // treated as a failed init below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        discard(environment);
        return Optional.empty();
    }

    /**
     * Publishes a SnapStart function's version, as Lambda does: runs its init and {@code beforeCheckpoint} hooks in
     * a new environment and keeps it, held before its restore, as the snapshot that the function's next cold start
     * restores. Returns how long the init took, or empty when the function has no SnapStart or its init failed
     * (then its first invocation cold-starts as usual).
     */
    public Optional<Duration> publish(InvokeRequest request) {
        if (closed) {
            throw new IllegalStateException("The warm invoker is closed");
        }
        if (!request.function().snapStart()) {
            return Optional.empty();
        }
        Pool pool = pools.computeIfAbsent(Key.of(request), k -> new Pool(maxConcurrency));
        synchronized (pool) {
            pool.published = request;
        }
        return takeSnapshot(pool, request, false);
    }

    /** Starts an environment held at its snapshot and installs it as the pool's snapshot once it is taken. */
    private Optional<Duration> takeSnapshot(Pool pool, InvokeRequest request, boolean background) {
        Environment environment = start(request, true, background);
        try {
            Object first = java.util.concurrent.CompletableFuture.anyOf(environment.api.checkpointed(),
                    environment.api.initError(), environment.runtime.process().onExit())
                    .get(request.function().timeoutSeconds() + 60L, TimeUnit.SECONDS);
            if (first instanceof Instant takenAt && environment.runtime.isAlive()) {
                Environment replaced;
                synchronized (pool) {
                    replaced = pool.snapshot;
                    pool.snapshot = environment;
                    pool.notifyAll();
                }
                if (replaced != null) {
                    discard(replaced);
                }
                if (closed) {
                    discard(environment);
                }
                return Optional.of(Duration.between(environment.runtime.started(), takenAt));
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // treated as a failed init below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        discard(environment);
        return Optional.empty();
    }

    /**
     * Waits until the pool has an idle environment or a snapshot, while its snapshot is being retaken. Returns
     * whether one is there; false at once when no snapshot is being retaken, or at the deadline.
     */
    private boolean awaitIdleOrSnapshot(Pool pool, long deadlineNanos) {
        synchronized (pool) {
            while (pool.idle.isEmpty() && pool.snapshot == null && pool.retaking && !closed) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(pool, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !pool.idle.isEmpty() || pool.snapshot != null;
        }
    }

    /** The pool's snapshot, if one is taken and alive; a fresh one is then retaken in the background. */
    private Environment restoreSnapshot(Pool pool) {
        Environment snapshot;
        InvokeRequest published;
        synchronized (pool) {
            snapshot = pool.snapshot;
            pool.snapshot = null;
            published = pool.published;
            if (snapshot != null && published != null && !pool.retaking && !closed) {
                pool.retaking = true;
            } else {
                published = null;
            }
        }
        if (published != null) {
            InvokeRequest request = published;
            try {
                snapshotter.execute(() -> {
                    try {
                        if (!closed) {
                            takeSnapshot(pool, request, true);
                        }
                    } finally {
                        synchronized (pool) {
                            pool.retaking = false;
                            pool.notifyAll();
                        }
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                synchronized (pool) {
                    pool.retaking = false;
                }
            }
        }
        if (snapshot != null && !snapshot.runtime.isAlive()) {
            discard(snapshot);
            return null;
        }
        if (snapshot != null) {
            snapshot.runtime.foreground();
            snapshot.api.restore();
        }
        return snapshot;
    }

    /** @param lostBeforeDelivery a warm environment's runtime exited before it fetched the event */
    private record Attempt(WarmResult result, boolean lostBeforeDelivery) {
    }

    private Attempt invokeInPool(Pool pool, InvokeRequest request) {
        Environment environment = takeIdle(pool);
        boolean cold = false;
        Instant coldFrom = Instant.now();
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(request.function().timeoutSeconds() + 60L);
        while (environment == null) {
            cold = true;
            coldFrom = Instant.now();
            environment = restoreSnapshot(pool);
            if (environment != null) {
                break;
            }
            // The snapshot is being retaken: restoring it, or a busy environment coming free, is sooner than a
            // cold start (here a full init on a shared machine; on Lambda the restore of the snapshot).
            if (!awaitIdleOrSnapshot(pool, waitUntil)) {
                environment = start(request, false);
                coldFrom = environment.runtime.started();
                break;
            }
            environment = takeIdle(pool);
            cold = false;
        }
        RuntimeApiServer.Pending pending = environment.api.submit(LocalInvoker.invocation(request));
        InvokeResult result;
        try {
            result = LocalInvoker.await(environment.runtime.process(), environment.api, pending);
        } catch (RuntimeException e) {
            discard(environment);
            throw e;
        }
        Instant delivered = pending.delivered().getNow(null);
        Duration initDuration = cold && delivered != null ? Duration.between(coldFrom, delivered) : Duration.ZERO;
        boolean keep = environment.runtime.isAlive() && !closed && switch (result.outcome()) {
            case InvokeOutcome.Success s -> true;
            case InvokeOutcome.Failed f -> f.phase().equals("invoke");
            case InvokeOutcome.TimedOut t -> false;
            case InvokeOutcome.Crashed c -> false;
        };
        if (keep) {
            release(pool, environment);
        } else {
            discard(environment);
        }
        boolean lost = !cold && delivered == null && result.outcome() instanceof InvokeOutcome.Crashed;
        return new Attempt(new WarmResult(result, cold, initDuration, environment.runtime.pid()), lost);
    }

    private Environment takeIdle(Pool pool) {
        List<Environment> dead = new ArrayList<>();
        Environment found = null;
        synchronized (pool) {
            while (found == null && !pool.idle.isEmpty()) {
                Environment candidate = pool.idle.pollFirst();
                if (candidate.runtime.isAlive()) {
                    found = candidate;
                } else {
                    dead.add(candidate);
                }
            }
        }
        dead.forEach(this::discard);
        return found;
    }

    private void release(Pool pool, Environment environment) {
        environment.idleSince = Instant.now();
        synchronized (pool) {
            pool.idle.addFirst(environment);
            pool.notifyAll();
        }
        if (closed) {
            reapAll();
        }
    }

    /** @param holdAtSnapshot keep a SnapStart runtime at its snapshot until {@link RuntimeApiServer#restore()} */
    private Environment start(InvokeRequest request, boolean holdAtSnapshot) {
        return start(request, holdAtSnapshot, false);
    }

    /** @param background at a lower CPU priority (a snapshot retaken while the system serves events) */
    private Environment start(InvokeRequest request, boolean holdAtSnapshot, boolean background) {
        if (closed) {
            throw new IllegalStateException("The warm invoker is closed");
        }
        // Each environment fetches container credentials with a token of its own, as each Lambda environment
        // has its own; the pool's key stays the function's.
        InvokeRequest forEnvironment = request.credentials() instanceof LambdaCredentials.ContainerEndpoint container
                ? new InvokeRequest(request.function(), request.eventJson(), request.variables(), request.region(),
                        request.endpoint(), container.forEnvironment("e" + environments.incrementAndGet()))
                : request;
        RuntimeApiServer api;
        try {
            api = new RuntimeApiServer(() -> restoreListener.accept(forEnvironment.credentials()), holdAtSnapshot);
        } catch (IOException e) {
            throw new LocalRuntimeException("Cannot run " + request.function().logicalId() + ": " + e.getMessage(),
                    e);
        }
        RuntimeProcess runtime;
        try {
            runtime = RuntimeProcess.start(javaExecutable, ricDirectory, log, forEnvironment, api.address(),
                    background);
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
        Environment environment = new Environment(api, runtime);
        live.add(environment);
        if (closed) {
            discard(environment);
            throw new IllegalStateException("The warm invoker is closed");
        }
        return environment;
    }

    private void discard(Environment environment) {
        live.remove(environment);
        environment.close();
    }

    private void reapIdle() {
        Instant cutoff = Instant.now().minus(idleTimeout);
        List<Environment> expired = new ArrayList<>();
        for (Pool pool : pools.values()) {
            synchronized (pool) {
                pool.idle.removeIf(e -> {
                    boolean stale = e.idleSince.isBefore(cutoff) || !e.runtime.isAlive();
                    if (stale) {
                        expired.add(e);
                    }
                    return stale;
                });
            }
        }
        expired.forEach(this::discard);
    }

    private void reapAll() {
        List<Environment> all = new ArrayList<>();
        for (Pool pool : pools.values()) {
            synchronized (pool) {
                all.addAll(pool.idle);
                pool.idle.clear();
                if (pool.snapshot != null) {
                    all.add(pool.snapshot);
                    pool.snapshot = null;
                }
            }
        }
        // In parallel: an AOT training environment assembles its cache as it stops (a few seconds each).
        try (var closing = Executors.newVirtualThreadPerTaskExecutor()) {
            all.forEach(e -> closing.submit(() -> discard(e)));
        }
    }

    /**
     * What the shutdown hook does: kills every runtime process tree without waiting, except AOT training runs,
     * which are stopped so that their cache is assembled (once per function jar, a few seconds, in parallel).
     */
    private void killAll() {
        List<Environment> training = new ArrayList<>();
        for (Environment e : live) {
            if (e.runtime.trainsAotCache()) {
                training.add(e);
            } else {
                e.runtime.kill();
            }
        }
        try (var closing = Executors.newVirtualThreadPerTaskExecutor()) {
            training.forEach(e -> closing.submit(e::close));
        }
    }

    /**
     * Stops every environment, idle or busy (a busy invocation then ends as {@link InvokeOutcome.Crashed}), and
     * their Runtime APIs. Invocations after this throw {@link IllegalStateException}.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        reaper.shutdownNow();
        snapshotter.shutdownNow();
        reapAll();
        // In parallel: an AOT training environment assembles its cache as it stops (a few seconds each).
        try (var closing = Executors.newVirtualThreadPerTaskExecutor()) {
            List.copyOf(live).forEach(e -> closing.submit(() -> discard(e)));
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down; the hook is running or has run.
        }
    }
}
