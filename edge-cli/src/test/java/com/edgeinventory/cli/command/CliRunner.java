package com.edgeinventory.cli.command;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@code bin/edge-inventory}'s {@link Main} in-process with captured stdout and stderr: the one CLI harness of
 * the tests (local-runtime's, and other modules' through local-runtime's test-jar).
 */
public final class CliRunner {

    /** What a run printed and its exit status. */
    public record Run(int status, String out, String err) {
    }

    private CliRunner() {
    }

    /** In {@code cwd}, with no environment and no repository root (the CLI finds it from {@code cwd}). */
    public static Run run(Path cwd, List<String> args) {
        return run(cwd, Map.of(), Optional.empty(), args);
    }

    /** In the repository {@code repoRoot}, as bin/edge-inventory runs it, with no environment. */
    public static Run inRepository(Path repoRoot, String... args) {
        return run(repoRoot, Map.of(), Optional.of(repoRoot), List.of(args));
    }

    public static Run run(Path cwd, Map<String, String> environment, Optional<Path> repoRoot, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = new Main(o, e, cwd, environment, repoRoot).run(args.toArray(String[]::new));
        }
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
