package com.edgeinventory.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code bin/edge-inventory} as a user would, from the repository root, and captures what it prints. */
final class Launcher {

    record Run(int exitCode, String stdout, String stderr) {}

    private final Path repoRoot;

    Launcher(Path repoRoot) {
        this.repoRoot = repoRoot;
    }

    Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(repoRoot.resolve("bin/edge-inventory").toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(repoRoot.toFile());
            // Maven built every jar just before this module's tests; a nested build would race with it.
            builder.environment().put("EDGE_INVENTORY_NO_BUILD", "1");
            Process process = builder
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("bin/edge-inventory " + String.join(" ", args) + " did not finish in 5 minutes");
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
