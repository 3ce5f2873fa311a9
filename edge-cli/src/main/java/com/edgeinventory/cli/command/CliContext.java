package com.edgeinventory.cli.command;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import com.edgeinventory.local.template.ResolveOptions;
import com.edgeinventory.local.template.TemplateResolver;

/**
 * Where a command runs.
 *
 * @param out         the command's result (JSON) only
 * @param err         progress, function logs, errors
 * @param cwd         the user's working directory; relative paths are resolved against it
 * @param environment the process environment
 * @param repoRoot    the repository (set by bin/edge-inventory), else found by walking up from cwd
 */
record CliContext(PrintStream out, PrintStream err, Path cwd, Map<String, String> environment,
                  Optional<Path> repoRoot) {

    Path resolve(String userPath) {
        return cwd.resolve(userPath).toAbsolutePath().normalize();
    }

    /** {@code --template}, else the repository's template.yaml. */
    Path templateFile(CliArgs args) {
        return args.option("template").map(this::resolve)
                .orElseGet(() -> repoRoot.map(r -> r.resolve(TemplateResolver.TEMPLATE_FILE))
                        .orElseGet(() -> TemplateResolver.findTemplate(cwd)));
    }

    ResolveOptions resolveOptions(CliArgs args) {
        return ResolveOptions.defaults()
                .withRegion(args.region(environment))
                .withParameterOverrides(args.parameterOverrides());
    }

    /** The same place with the command's output going to standard error too (for reports that are not the result). */
    CliContext errOnly() {
        return new CliContext(err, err, cwd, environment, repoRoot);
    }

    /** {@code EDGE_INVENTORY_IAM_REPORT=FILE} (a test hook): where up and demo write what each function was allowed. */
    Optional<Path> iamReport() {
        return Optional.ofNullable(environment.get("EDGE_INVENTORY_IAM_REPORT")).filter(f -> !f.isBlank())
                .map(this::resolve);
    }

    void progress(String line) {
        err.println(Main.PREFIX + line);
    }
}
