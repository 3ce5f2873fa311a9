package com.edgeinventory.local.invoke;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A JDK 25 AOT cache per function jar for the local execution environments (JEP 483): the first environment
 * of a jar is the training run ({@code -XX:AOTMode=record}); when it stops, its recorded configuration is
 * assembled into the cache by a separate {@code -XX:AOTMode=create} JVM with the same class path and options,
 * and every later environment starts from it ({@code -XX:AOTCache}), loading and linking the JDK's, the runtime client's
 * and the function's classes from the cache instead of the jars. The cache is keyed by the jar (path and
 * content), the JDK and the JVM options, so it is reused while the jar is unchanged, a rebuild of the same code
 * included (the build is reproducible), and trained again when it changes. A cache the JVM finds incompatible is ignored with a warning (the default AOTMode=auto),
 * never fatal. One training per key at a time (a lock file); written to a temporary file and moved into place.
 *
 * <p>Where: {@code EDGE_INVENTORY_AOT_CACHE} (a directory, or {@code off}; tests: the system property
 * {@code edge.inventory.aot.cache}), else
 * {@code ~/.cache/edge-inventory/aot}.
 */
final class AotCache {

    /** A lock older than this belongs to a training run that died without cleaning up. */
    static final Duration STALE_LOCK = Duration.ofMinutes(30);

    /**
     * What one environment does with the cache.
     *
     * @param options  the JVM options to add
     * @param training the configuration the training run records, assembled into {@code target} once it stopped
     * @param target   the cache file
     * @param lock     the training lock to remove afterwards
     * @param assemble the JVM that assembles the cache: the runtime's java, options and class path
     * @param toolOptions the function's JAVA_TOOL_OPTIONS, for the assembling JVM too
     */
    record Plan(List<String> options, Optional<Path> training, Optional<Path> target, Optional<Path> lock,
                List<String> assemble, String toolOptions) {
        static final Plan NONE = new Plan(List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(), "");

        boolean trains() {
            return training.isPresent();
        }
    }

    private AotCache() {
    }

    /** The cache directory, or empty when turned off. */
    static Optional<Path> directory(Map<String, String> env) {
        String configured = System.getProperty("edge.inventory.aot.cache", env.get("EDGE_INVENTORY_AOT_CACHE"));
        if (configured != null && configured.equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return home == null ? Optional.empty() : Optional.of(Path.of(home, ".cache", "edge-inventory", "aot"));
    }

    /**
     * The plan for an environment of {@code jar} started with {@code jvmOptions} (the java launcher, its options
     * and class path, without the main class) and {@code toolOptions} (JAVA_TOOL_OPTIONS).
     */
    static Plan plan(Optional<Path> directory, Path jar, List<String> jvmOptions, String toolOptions) {
        if (directory.isEmpty() || !Files.isRegularFile(jar)) {
            return Plan.NONE;
        }
        try {
            Path dir = Files.createDirectories(directory.get());
            List<String> keyed = new java.util.ArrayList<>(jvmOptions);
            keyed.add("JAVA_TOOL_OPTIONS=" + toolOptions);
            String key = key(jar, keyed);
            Path target = dir.resolve(jar.getFileName().toString().replaceAll("\\.jar$", "") + "-" + key + ".aot");
            if (Files.isRegularFile(target) && Files.size(target) > 0) {
                return new Plan(List.of("-XX:AOTCache=" + target), Optional.empty(), Optional.of(target),
                        Optional.empty(), List.of(), toolOptions);
            }
            Path lock = dir.resolve(target.getFileName() + ".lock");
            if (!claim(lock)) {
                return Plan.NONE;
            }
            Path training = dir.resolve(target.getFileName() + "." + UUID.randomUUID() + ".aotconf");
            return new Plan(List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + training),
                    Optional.of(training), Optional.of(target), Optional.of(lock), List.copyOf(jvmOptions),
                    toolOptions);
        } catch (IOException e) {
            return Plan.NONE;
        }
    }

    /** After a training run stopped: its cache moved into place (when it wrote one), the lock removed. */
    static void finish(Plan plan) {
        if (!plan.trains()) {
            return;
        }
        Path training = plan.training().orElseThrow();
        Path assembled = Path.of(training + ".aot");
        try {
            if (Files.isRegularFile(training) && Files.size(training) > 0) {
                List<String> command = new java.util.ArrayList<>(plan.assemble());
                command.addAll(1, List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + training,
                        "-XX:AOTCache=" + assembled));
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
                if (!plan.toolOptions().isEmpty()) {
                    builder.environment().put("JAVA_TOOL_OPTIONS", plan.toolOptions());
                }
                Process create = builder.start();
                if (create.waitFor(2, java.util.concurrent.TimeUnit.MINUTES) && create.exitValue() == 0
                        && Files.isRegularFile(assembled) && Files.size(assembled) > 0) {
                    Files.move(assembled, plan.target().orElseThrow(), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                } else {
                    create.destroyForcibly();
                }
            }
        } catch (IOException e) {
            // no cache this time; the next environment trains again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(training);
                Files.deleteIfExists(assembled);
                Files.deleteIfExists(plan.lock().orElseThrow());
            } catch (IOException e) {
                // a stale lock expires after STALE_LOCK
            }
        }
    }

    private record JarStamp(Path jar, long size, long modified) {
    }

    private static final java.util.Map<JarStamp, String> DIGESTS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The SHA-256 of the jar's bytes, computed once per path, size and modification time. By content, so that a
     * rebuild that leaves a function's jar the same (the build is reproducible: {@code
     * project.build.outputTimestamp}) keeps its cache.
     */
    static String contentDigest(Path jar) throws IOException {
        JarStamp stamp = new JarStamp(jar.toAbsolutePath().normalize(), Files.size(jar),
                Files.getLastModifiedTime(jar).toMillis());
        String known = DIGESTS.get(stamp);
        if (known != null) {
            return known;
        }
        try (java.io.InputStream in = Files.newInputStream(jar)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
            String digest = HexFormat.of().formatHex(sha.digest());
            DIGESTS.put(stamp, digest);
            return digest;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String key(Path jar, List<String> jvmOptions) throws IOException {
        StringBuilder identity = new StringBuilder();
        identity.append(jar.toAbsolutePath().normalize()).append('\0').append(contentDigest(jar)).append('\0')
                .append(System.getProperty("java.home")).append('\0').append(System.getProperty("java.vm.version"));
        jvmOptions.forEach(o -> identity.append('\0').append(o));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.toString()
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean claim(Path lock) throws IOException {
        try {
            Files.createFile(lock);
            return true;
        } catch (FileAlreadyExistsException e) {
            if (Files.getLastModifiedTime(lock).toInstant().isBefore(Instant.now().minus(STALE_LOCK))) {
                Files.deleteIfExists(lock);
                return claim(lock);
            }
            return false;
        }
    }
}
