package com.edgeinventory.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.template.TemplateResolver;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The central issue's "done when", as a new user would do it: {@code bin/edge-inventory central-sample --keep}
 * uploads and sells in two edge regions, carries both through the streams to the central region (every central
 * record redelivered once more, shuffled), and then {@code bin/edge-inventory analytics} shows the same totals.
 */
class CentralPipelineE2EIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SKU = "TR-RUN-42-BLU";
    static final Pattern KEEPING = Pattern.compile("moto_server keeps running at (http://\\S+) until Ctrl-C");

    static Process sample;
    static final StringBuilder stdout = new StringBuilder();
    static final StringBuilder stderr = new StringBuilder();
    static String endpoint;
    static Launcher launcher;

    @BeforeAll
    static void runTheSample() throws Exception {
        Path root = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir"))).getParent();
        launcher = new Launcher(root);
        ProcessBuilder builder = new ProcessBuilder(root.resolve("bin/edge-inventory").toString(), "central-sample",
                "--seed", "42", "--keep").directory(root.toFile());
        builder.environment().put("EDGE_INVENTORY_NO_BUILD", "1");
        sample = builder.start();
        sample.getOutputStream().close();
        CompletableFuture.runAsync(() -> copy(sample.getErrorStream(), stderr));
        try (BufferedReader out = new BufferedReader(new InputStreamReader(sample.getInputStream(),
                StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            String line;
            while (endpoint == null && System.nanoTime() < deadline && (line = out.readLine()) != null) {
                synchronized (stdout) {
                    stdout.append(line).append('\n');
                }
                Matcher m = KEEPING.matcher(line);
                if (m.find()) {
                    endpoint = m.group(1);
                }
            }
            CompletableFuture.runAsync(() -> {
                try {
                    out.transferTo(java.io.Writer.nullWriter());
                } catch (java.io.IOException e) {
                    // the process ended
                }
            });
        }
        assertThat(endpoint).as("central-sample never got ready:\n%s\n%s", stdout, stderr).isNotNull();
    }

    @AfterAll
    static void stop() throws Exception {
        if (sample != null) {
            sample.destroy();
            if (!sample.waitFor(30, TimeUnit.SECONDS)) {
                sample.destroyForcibly();
            }
        }
    }

    private static void copy(java.io.InputStream in, StringBuilder into) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (into) {
                    into.append(line).append('\n');
                }
            }
        } catch (java.io.IOException e) {
            // the process ended
        }
    }

    private static JsonNode analytics(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("analytics"));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint", endpoint, "--region", "us-east-2", "--format", "json"));
        Launcher.Run run = launcher.run(command.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        return JSON.readTree(run.stdout());
    }

    @Test
    void theSampleReportsThatTheCentralAggregatesEqualTheEdgesAndSurviveAShuffledRedelivery() {
        String out = stdout.toString();
        assertThat(out).contains("central aggregates equal the edges: yes");
        assertThat(out).containsPattern("redelivered \\d+ central records once more, shuffled \\(seed 42\\): "
                + "aggregates unchanged");
        assertThat(out).doesNotContain("DIFFERENT");
        assertThat(stderr.toString()).contains("the device retries its first sale (same Idempotency-Key)");
    }

    @Test
    void availabilityThroughTheCliEqualsWhatEachEdgeUploadedAndSold() throws Exception {
        JsonNode body = analytics("availability", SKU);

        // each edge: product.json stock 25, restock +10, damage -3 (the -500 line is refused) = 32;
        // eu-west-1 sells 1 (retried once, counted once) + 2, us-east-1 sells 2 + 2
        Map<String, List<Long>> rows = new HashMap<>();
        for (JsonNode item : body.get("items")) {
            rows.put(item.get("region").asText(), List.of(item.get("available").asLong(),
                    item.get("reserved").asLong(), item.get("sold").asLong()));
        }
        assertThat(rows).containsExactlyInAnyOrderEntriesOf(Map.of(
                "eu-west-1", List.of(29L, 0L, 3L),
                "us-east-1", List.of(28L, 0L, 4L)));
        assertThat(body.get("totals").get("available").asLong()).isEqualTo(57);
        assertThat(body.get("totals").get("sold").asLong()).isEqualTo(7);
    }

    @Test
    void topSellersAndFreshnessThroughTheCli() throws Exception {
        JsonNode eu = analytics("top-sellers", "--edge", "eu-west-1");
        JsonNode us = analytics("top-sellers", "--edge", "us-east-1");

        assertThat(eu.get("items")).hasSize(1);
        assertThat(eu.get("items").get(0).get("sku").asText()).isEqualTo(SKU);
        assertThat(eu.get("items").get(0).get("qty").asLong()).isEqualTo(3);
        assertThat(eu.get("items").get(0).get("amounts").get("EUR").asText()).isEqualTo("269.70");
        assertThat(us.get("items").get(0).get("qty").asLong()).isEqualTo(4);
        assertThat(us.get("items").get(0).get("amounts").get("EUR").asText()).isEqualTo("359.60");

        JsonNode freshness = analytics("freshness");
        assertThat(freshness.get("items")).extracting(i -> i.get("region").asText())
                .containsExactly("eu-west-1", "us-east-1");
    }

    @Test
    void theTableFormatIsReadable() throws Exception {
        Launcher.Run run = launcher.run("analytics", "availability", SKU, "--endpoint", endpoint,
                "--region", "us-east-2");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).containsPattern("region\\s+available\\s+reserved\\s+sold");
        assertThat(run.stdout()).containsPattern("eu-west-1\\s+29\\s+0\\s+3");
        assertThat(run.stdout()).containsPattern("ALL\\s+57\\s+0\\s+7");
    }
}
