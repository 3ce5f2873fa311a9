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

    /** The translated template of {@code template} for {@code region} with the parameter overrides. */
    public static JsonNode translate(Path template, String region, Map<String, String> parameters) {
        try {
            Path script = Files.createTempFile("sam_translate", ".py");
            try (InputStream in = SamTranslator.class.getResourceAsStream("sam_translate.py")) {
                Files.write(script, in.readAllBytes());
            }
            Process process = new ProcessBuilder(List.of("python3", script.toString(), template.toString(), region,
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
