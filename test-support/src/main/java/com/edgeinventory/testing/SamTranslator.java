package com.edgeinventory.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code template.yaml} as AWS SAM's translator (aws-sam-translator, which cfn-lint installs) turns it into
 * CloudFormation, for tests that hold the template, or our reading of it, against SAM's own semantics.
 */
public final class SamTranslator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SamTranslator() {
    }

    private static volatile String python;

    /**
     * The first {@code python3} on the PATH that has cfn-lint (and with it aws-sam-translator): the one whose
     * {@code cfn-lint} the build lints with, not necessarily the system's python3.
     */
    static String python() {
        if (python != null) {
            return python;
        }
        List<String> candidates = new java.util.ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "python3");
            if (Files.isExecutable(candidate)) {
                candidates.add(candidate.toString());
            }
        }
        for (String candidate : candidates) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import cfnlint, samtranslator")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    python = candidate;
                    return candidate;
                }
            } catch (IOException e) {
                // try the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("No python3 on the PATH has cfn-lint and aws-sam-translator (tried "
                + candidates + "): pip install cfn-lint");
    }

    /** The translated template of {@code template} for {@code region} with the parameter overrides. */
    public static JsonNode translate(Path template, String region, Map<String, String> parameters) {
        try {
            Path script = Files.createTempFile("sam_translate", ".py");
            try (InputStream in = SamTranslator.class.getResourceAsStream("sam_translate.py")) {
                Files.write(script, in.readAllBytes());
            }
            Process process = new ProcessBuilder(List.of(python(), script.toString(), template.toString(), region,
                    JSON.writeValueAsString(parameters))).redirectError(ProcessBuilder.Redirect.PIPE).start();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("SAM's translator failed on " + template + " (it comes with cfn-lint: "
                        + "pip install cfn-lint): " + err.strip());
            }
            Files.deleteIfExists(script);
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
