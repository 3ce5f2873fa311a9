package com.edgeinventory.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.template.TemplateResolver;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The README is true, command by command: every {@code ```sh} block of README.md is run in order, as a new user on a
 * machine with no AWS credentials would run it, and each command's effect is checked as the README's text states it
 * (HTTP statuses, the item in the table, the thumbnails, the demo's summary), not just its exit status.
 *
 * <p>A block is not run only when README.md says so, with a reason, in an HTML comment on the line(s) just before
 * it: {@code <!-- readme-test: skip (REASON) -->} for the whole block, or
 * {@code <!-- readme-test: skip-command `COMMAND` (REASON) -->} for one command of it. Every command that runs
 * needs a check in {@link #CHECKS} (a new README command without one fails the test), and every check must still
 * match a README command.
 *
 * <p>Each block runs in its own {@code bash}, from the repository root, its commands one after another as typed
 * (a {@code \}-continued line is one command), with:
 * <ul>
 *   <li>a fresh machine's AWS setup: {@code HOME} a new empty directory, {@code AWS_CONFIG_FILE} and
 *       {@code AWS_SHARED_CREDENTIALS_FILE} pointing at files that do not exist, and no {@code AWS_*} variable;</li>
 *   <li>{@code EDGE_INVENTORY_NO_BUILD=1}: Maven built the jars just before this module's tests, and a nested
 *       build would race with it (a new user's first {@code bin/edge-inventory} builds them instead);</li>
 *   <li>after a command started in the background ({@code moto_server ... &}), a wait (at most 60 s) until its port
 *       answers, standing in for the moment a user takes before typing the next line; and at the end of the block
 *       a check that the block stopped what it started in the background (then anything left is stopped).</li>
 * </ul>
 * No command runs with changed arguments: {@code bin/edge-inventory demo} runs as documented (60 s of load; it
 * takes free ports). The fixed ports a block needs (moto's {@code -p}, {@code up}'s 3000 to 3003 when it has no
 * {@code --port}) must be free before it starts, or the test fails naming them.
 */
class ReadmeCommandsIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path ROOT = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir"))).getParent();
    static final Path README = ROOT.resolve("README.md");
    static final String SKU = "TR-RUN-42-BLU";
    static final String BUCKET = "edge-inventory-dev-uploads-123456789012-eu-west-1";
    /** How long one block may take; the demo block is the longest (about 1.5 to 3 minutes on 2 cores). */
    static final long BLOCK_MINUTES = 8;
    /** The ports {@code up} binds without --port: central AnalyticsApi, two RetailApis, dashboard. */
    static final List<Integer> UP_DEFAULT_PORTS = List.of(3000, 3001, 3002, 3003);

    /** Each block's script and every command's output, kept for a look after a failure. */
    static final Path WORK = Path.of(System.getProperty("user.dir")).resolve("target/readme-commands");

    static final List<String> summary = new ArrayList<>();

    // ------------------------------------------------------------------ README.md, parsed

    /** One command as typed: its first README line, the text (continuations joined) and the comment after it. */
    record Command(int line, String text, String comment) {
        boolean background() {
            return text.endsWith("&") && !text.endsWith("&&");
        }

        String shown() {
            return "README.md line " + line + ": `" + text + "`";
        }
    }

    /** A fenced block: where it starts, its language, its commands and what the README says not to run. */
    record Block(int line, String language, List<Command> commands, Optional<String> skip,
                 Map<String, String> skippedCommands) {
        List<Command> runnable() {
            return commands.stream().filter(c -> !skippedCommands.containsKey(c.text())).toList();
        }
    }

    private static final Pattern FENCE = Pattern.compile("^```\\s*(\\S*)\\s*$");
    private static final Pattern MARK = Pattern.compile("^<!--\\s*readme-test:\\s*(.*?)\\s*-->\\s*$");
    private static final Pattern SKIP = Pattern.compile("^skip \\((.+)\\)$");
    private static final Pattern SKIP_COMMAND = Pattern.compile("^skip-command `([^`]+)` \\((.+)\\)$");
    private static final Pattern COMMENT = Pattern.compile("\\s+#\\s*(.*)$");

    static List<Block> blocks() throws IOException {
        List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (!fence.matches()) {
                continue;
            }
            int start = i;
            int end = start + 1;
            while (end < lines.size() && !lines.get(end).startsWith("```")) {
                end++;
            }
            assertThat(end).as("README.md line %d: a ``` block that never ends", start + 1).isLessThan(lines.size());
            String language = fence.group(1);
            Optional<String> skip = Optional.empty();
            Map<String, String> skippedCommands = new LinkedHashMap<>();
            for (int m = start - 1; m >= 0 && lines.get(m).startsWith("<!--"); m--) {
                Matcher mark = MARK.matcher(lines.get(m));
                assertThat(mark.matches()).as("README.md line %d: not a readme-test mark: %s", m + 1, lines.get(m))
                        .isTrue();
                Matcher s = SKIP.matcher(mark.group(1));
                Matcher c = SKIP_COMMAND.matcher(mark.group(1));
                if (s.matches()) {
                    skip = Optional.of(s.group(1));
                } else if (c.matches()) {
                    skippedCommands.put(c.group(1), c.group(2));
                } else {
                    throw new AssertionError("README.md line " + (m + 1) + ": a readme-test mark is"
                            + " 'skip (REASON)' or 'skip-command `COMMAND` (REASON)', got: " + mark.group(1));
                }
            }
            blocks.add(new Block(start + 1, language, commands(lines, start + 1, end), skip, skippedCommands));
            i = end;
        }
        return blocks;
    }

    private static List<Command> commands(List<String> lines, int from, int to) {
        List<Command> commands = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int first = -1;
        for (int i = from; i < to; i++) {
            String line = lines.get(i);
            if (text.isEmpty() && line.isBlank()) {
                continue;
            }
            if (first < 0) {
                first = i + 1;
            }
            if (line.endsWith("\\")) {
                text.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            text.append(line);
            String joined = text.toString().replaceAll("\\s+", " ").strip();
            Matcher comment = COMMENT.matcher(joined);
            String command = joined;
            String note = "";
            if (!joined.startsWith("#") && comment.find() && !inQuotes(joined, comment.start())) {
                command = joined.substring(0, comment.start()).strip();
                note = comment.group(1);
            }
            commands.add(new Command(first, command, note));
            text.setLength(0);
            first = -1;
        }
        return commands;
    }

    private static boolean inQuotes(String text, int at) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < at; i++) {
            char c = text.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            }
        }
        return single || dbl;
    }

    // ------------------------------------------------------------------ what each command must do

    /** What a command did. */
    record Result(Command command, int exitCode, String stdout, String stderr, long millis) {
        JsonNode json() {
            try {
                return JSON.readTree(stdout);
            } catch (JsonProcessingException e) {
                throw new AssertionError("stdout is not JSON: " + e.getOriginalMessage() + "\n" + stdout);
            }
        }

        /** The invoke output of an HTTP API function: {"statusCode", "body"}; the body parsed. */
        JsonNode httpBody(int expectedStatus) {
            JsonNode response = json();
            assertThat(response.path("statusCode").asInt()).as("statusCode in %s", stdout).isEqualTo(expectedStatus);
            try {
                return JSON.readTree(response.path("body").asText());
            } catch (JsonProcessingException e) {
                throw new AssertionError("the body is not JSON: " + response.path("body").asText());
            }
        }

        void succeeded() {
            assertThat(exitCode).as("exit status (stderr: %s)", tail(stderr)).isZero();
        }
    }

    private static Map.Entry<Pattern, Consumer<Result>> check(String regex, Consumer<Result> check) {
        return Map.entry(Pattern.compile(regex), check);
    }

    /** Keyed by a regex a README command must match (find); the README's own words are the expectation. */
    static final List<Map.Entry<Pattern, Consumer<Result>>> CHECKS = List.of(
            // "main job: the whole multi-region system locally under a seeded load, then the summary"
            check("^bin/edge-inventory demo$", r -> {
                r.succeeded();
                assertThat(r.stdout()).contains("Events per kind", "Latency per route (ms)", "Errors by kind",
                        "Central aggregates equal the regional tables: yes");
                assertThat(r.stdout()).containsPattern("\\d+ requests sent; \\d+ out-of-stock answers");
                // "It prints the analysts' dashboard's URL"; "every 2 s a progress line: events/s, errors, and the
                // pipeline's lag to central"; "One log line per invocation goes to stderr"
                assertThat(r.stdout()).containsPattern("Dashboard: http://127\\.0\\.0\\.1:\\d+/");
                assertThat(r.stderr()).containsPattern("events/s, \\d+ events, \\d+ errors, lag to central")
                        .containsPattern("ProductUploadFunction <- s3://\\S+ \\d+ ms ok");
            }),
            check("^moto_server -H 127\\.0\\.0\\.1 -p \\d+ &$", Result::succeeded), // the harness waited for its port
            // "demo writes it with what the run did (purchases, uploads)"
            check("^U=\\$\\(mktemp -d\\)/usage\\.json$", Result::succeeded),
            check("^bin/edge-inventory demo --duration 20s --usage \"\\$U\"$", r -> {
                r.succeeded();
                assertThat(r.stdout()).contains("Central aggregates equal the regional tables: yes");
                assertThat(r.stderr()).contains("what this run used, for 'cost' and 'capacity'");
            }),
            // "From it: ... $ per million purchases ... the break-even rate"
            check("^bin/edge-inventory cost --usage \"\\$U\" --purchases-per-second 10 --uploads-per-day 2000 "
                    + "--regions 2$", r -> {
                r.succeeded();
                assertThat(r.stdout()).contains("$/M purchases", "$/1000 uploads", "DynamoDB", "Lambda", "total",
                        "Always-on", "Break-even");
            }),
            // "the hottest stock item's transactions and write units ... and the first limit reached"
            check("^bin/edge-inventory capacity --usage \"\\$U\" --peak-purchases-per-second 5000 "
                    + "--hot-sku-share 1 --hot-sku-shards 32$", r -> {
                r.succeeded();
                assertThat(r.stdout()).contains("Hottest stock item: 156.3 transactions/s, 313 WCU/s of 1,000")
                        .contains("First limit reached:");
            }),
            check("^bin/edge-inventory deploy --plan --stage prod --central us-east-2 --regions eu-west-1,us-east-1$",
                    r -> {
                        r.succeeded();
                        List<String> lines = r.stdout().lines().toList();
                        assertThat(lines).as("the deploy plan").hasSize(6);
                        assertThat(lines.get(2)).as("central first").contains("--region us-east-2")
                                .contains("DeploymentRole=central");
                        assertThat(lines.get(3)).as("the ARN from SSM")
                                .contains("/edge-inventory/prod/central-stream-arn");
                        assertThat(lines.subList(4, 6)).as("then each edge with it")
                                .allMatch(l -> l.contains("CentralStreamArn=\"$CENTRAL_STREAM_ARN\""));
                    }),
            check("^E=http://127\\.0\\.0\\.1:5055$", Result::succeeded),
            check("^B=" + Pattern.quote(BUCKET) + "$", Result::succeeded),
            check("^export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=eu-west-1$",
                    Result::succeeded),
            check("^kill %1$", Result::succeeded), // the harness checks at the block's end that nothing is left
            // "creates its tables, buckets, queues and streams in the endpoint ... prints [{logicalId,type,physicalId},…]"
            check("^bin/edge-inventory provision --endpoint \\S+$", r -> {
                r.succeeded();
                assertThat(physicalIds(r)).contains(BUCKET, "edge-inventory-dev-inventory",
                        "edge-inventory-dev-devices");
            }),
            check("^bin/edge-inventory provision --endpoint \\S+ --region us-east-2 "
                    + "--parameter-overrides DeploymentRole=central$", r -> {
                r.succeeded();
                assertThat(physicalIds(r)).anyMatch(id -> id.contains("central")).isNotEmpty();
            }),
            check("^aws --endpoint-url \\S+ s3 cp (\\S+) (\\S+)$", r -> {
                r.succeeded();
                Matcher m = Pattern.compile("s3 cp (\\S+) (\\S+)$").matcher(r.command().text());
                assertThat(m.find()).isTrue();
                String target = m.group(2).replace("$B", BUCKET);
                assertThat(r.stdout()).contains("upload: " + m.group(1) + " to " + target);
            }),
            check("invoke ProductUploadFunction -e events/s3-product-created\\.json", r -> {
                r.succeeded();
                JsonNode result = r.json().path("results").path(0);
                assertThat(result.path("key").asText()).isEqualTo("products/" + SKU + "/product.json");
                assertThat(result.path("outcome").asText()).as(r.stdout()).isEqualTo("APPLIED");
            }),
            check("invoke ProductUploadFunction -e events/s3-image-created\\.json", r -> {
                r.succeeded();
                JsonNode result = r.json().path("results").path(0);
                assertThat(result.path("key").asText()).isEqualTo("products/" + SKU + "/images/front.jpg");
                assertThat(result.path("outcome").asText()).as(r.stdout()).isEqualTo("APPLIED");
            }),
            // "# 201, 2 reserved"
            check("invoke TransactionFunction -e events/http-add-item\\.json", r -> {
                r.succeeded();
                JsonNode transaction = r.httpBody(201);
                assertThat(transaction.path("status").asText()).isEqualTo("OPEN");
                assertThat(transaction.path("lines").path(0).path("sku").asText()).isEqualTo(SKU);
                assertThat(transaction.path("lines").path(0).path("qty").asInt()).isEqualTo(2);
            }),
            // "# 200, 2 sold"
            check("invoke TransactionFunction -e events/http-checkout\\.json", r -> {
                r.succeeded();
                JsonNode purchase = r.httpBody(200);
                assertThat(purchase.path("purchaseId").asText()).isNotBlank();
                assertThat(purchase.path("lines").path(0).path("qty").asInt()).isEqualTo(2);
            }),
            // "# 409"
            check("invoke TransactionFunction -e events/http-add-item-overbuy\\.json", r -> {
                r.succeeded();
                JsonNode problem = r.httpBody(409);
                assertThat(problem.path("type").asText()).endsWith("/out-of-stock");
            }),
            // the stock after the walkthrough: the 25 of product.json, 2 sold, none reserved
            check("invoke StockFunction -e events/http-get-stock\\.json", r -> {
                r.succeeded();
                JsonNode stock = r.httpBody(200);
                assertThat(stock.path("sku").asText()).isEqualTo(SKU);
                assertThat(stock.path("available").asInt()).isEqualTo(23);
                assertThat(stock.path("reserved").asInt()).isZero();
                assertThat(stock.path("sold").asInt()).isEqualTo(2);
            }),
            // "# prints the key once": {"deviceId","storeId","authorization":"Device {deviceId}:{secret}"}
            check("^bin/edge-inventory device add --store STORE-MUC-01 --device POS-01 --endpoint \\S+$", r -> {
                r.succeeded();
                JsonNode device = r.json();
                assertThat(device.path("deviceId").asText()).isEqualTo("POS-01");
                assertThat(device.path("storeId").asText()).isEqualTo("STORE-MUC-01");
                assertThat(device.path("authorization").asText()).matches("Device POS-01:[A-Za-z0-9_-]{43}");
            }),
            // the product item, with its image, in the inventory table
            check("dynamodb get-item --table-name edge-inventory-dev-inventory", r -> {
                r.succeeded();
                JsonNode item = r.json().path("Item");
                assertThat(item.path("sku").path("S").asText()).as(r.stdout()).isEqualTo(SKU);
                assertThat(item.path("available").path("N").asText()).isEqualTo("25");
                assertThat(item.path("images").path("M").has("front")).as(r.stdout()).isTrue();
            }),
            // the thumbnails: derived/{sku}/{name}/{sequencer}/{size}.jpg, 128 and 512 px
            check("s3 ls --recursive s3://\\$B/derived/$", r -> {
                r.succeeded();
                assertThat(r.stdout()).containsPattern("derived/" + SKU + "/front/\\w+/128\\.jpg")
                        .containsPattern("derived/" + SKU + "/front/\\w+/512\\.jpg");
            }),
            // freshly provisioned central tables: "this answers (no rows)"
            check("^bin/edge-inventory analytics low-stock --edge us-east-1 --threshold 5 --endpoint \\S+ "
                    + "--region us-east-2$", r -> {
                r.succeeded();
                assertThat(r.stdout()).startsWith("sku").contains("available").contains("(no rows)");
            }));

    private static List<String> physicalIds(Result r) {
        List<String> ids = new ArrayList<>();
        for (JsonNode resource : r.json()) {
            assertThat(resource.has("logicalId") && resource.has("type")).as(r.stdout()).isTrue();
            ids.add(resource.path("physicalId").asText());
        }
        return ids;
    }

    private static Consumer<Result> checkFor(Command command) {
        List<Map.Entry<Pattern, Consumer<Result>>> matching = CHECKS.stream()
                .filter(e -> e.getKey().matcher(command.text()).find()).toList();
        assertThat(matching).as("%s has %s check in ReadmeCommandsIT.CHECKS (exactly one is needed: what the README"
                + " says it does)", command.shown(), matching.isEmpty() ? "no" : "more than one").hasSize(1);
        return matching.getFirst().getValue();
    }

    // ------------------------------------------------------------------ the tests

    @Test
    void everyShellBlockIsRunOrMarkedWithAReason() throws IOException {
        List<Block> blocks = blocks();
        Set<Pattern> used = new LinkedHashSet<>();
        for (Block block : blocks) {
            assertThat(block.language()).as("README.md line %d: a shell block must be ```sh to be run or marked",
                    block.line()).isNotIn("bash", "shell", "console", "zsh", "");
            if (!block.language().equals("sh")) {
                assertThat(block.skip()).as("README.md line %d: readme-test marks only go on ```sh blocks",
                        block.line()).isEmpty();
                continue;
            }
            block.skip().ifPresent(reason -> assertThat(reason).isNotBlank());
            for (String skipped : block.skippedCommands().keySet()) {
                assertThat(block.commands()).as("README.md line %d: skip-command names a command of the block",
                        block.line()).extracting(Command::text).contains(skipped);
            }
            if (block.skip().isEmpty()) {
                for (Command command : block.runnable()) {
                    checkFor(command);
                    CHECKS.stream().map(Map.Entry::getKey).filter(p -> p.matcher(command.text()).find())
                            .forEach(used::add);
                }
            }
        }
        assertThat(blocks).filteredOn(b -> b.language().equals("sh") && b.skip().isEmpty()).isNotEmpty();
        assertThat(CHECKS.stream().map(Map.Entry::getKey).filter(p -> !used.contains(p)).map(Pattern::pattern))
                .as("checks in ReadmeCommandsIT.CHECKS that match no README command any more").isEmpty();
    }

    @TestFactory
    Stream<DynamicTest> theReadmeCommandsDoWhatItSays() throws IOException {
        List<Block> sh = blocks().stream().filter(b -> b.language().equals("sh")).toList();
        return sh.stream().map(block -> {
            String first = block.commands().isEmpty() ? "" : block.commands().getFirst().text();
            String name = "README.md line " + block.line() + ": " + (first.length() > 60 ? first.substring(0, 60) + "…"
                    : first);
            return DynamicTest.dynamicTest(name, () -> {
                if (block.skip().isPresent()) {
                    summary.add(String.format("line %4d  skipped block: %s", block.line(), block.skip().get()));
                    org.junit.jupiter.api.Assumptions.abort("not runnable here: " + block.skip().get());
                }
                block.skippedCommands().forEach((c, reason) -> summary.add(String.format("line %4d  skipped: `%s` (%s)",
                        block.commands().stream().filter(x -> x.text().equals(c)).findFirst().orElseThrow().line(), c,
                        reason)));
                run(block);
            });
        });
    }

    @BeforeAll
    static void freshWorkDirectory() throws IOException {
        if (Files.exists(WORK)) {
            try (Stream<Path> old = Files.walk(WORK)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @AfterAll
    static void report() {
        if (!summary.isEmpty()) {
            System.out.println("README commands:\n  " + String.join("\n  ", summary));
        }
    }

    // ------------------------------------------------------------------ running a block

    private static final Pattern MOTO_PORT = Pattern.compile("\\s-p\\s+(\\d+)");

    /** The fixed ports a block will listen on. */
    private static List<Integer> fixedPorts(Block block) {
        List<Integer> ports = new ArrayList<>();
        for (Command command : block.runnable()) {
            Matcher moto = MOTO_PORT.matcher(command.text());
            if (command.text().startsWith("moto_server") && moto.find()) {
                ports.add(Integer.parseInt(moto.group(1)));
            }
            if (command.text().matches("^bin/edge-inventory up\\b.*") && !command.text().contains("--port")) {
                ports.addAll(UP_DEFAULT_PORTS);
            }
        }
        return ports;
    }

    private static void run(Block block) throws Exception {
        List<Command> commands = block.runnable();
        List<Integer> taken = new ArrayList<>();
        for (int port : fixedPorts(block)) {
            if (!awaitFree(port)) {
                taken.add(port);
            }
        }
        assertThat(taken).as("README.md line %d: the block needs these fixed 127.0.0.1 ports, but they are in use"
                + " (another edge-inventory up/demo or moto_server?); free them and run again", block.line()).isEmpty();

        Path dir = Files.createDirectories(WORK.resolve("block-at-line-" + block.line()));
        Path home = Files.createDirectories(dir.resolve("home"));
        StringBuilder script = new StringBuilder();
        script.append("cd ").append(quote(ROOT.toString())).append('\n');
        script.append("__ready() { for __i in $(seq 1 240); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0;"
                + " sleep 0.25; done; echo \"nothing answered on 127.0.0.1:$1 within 60 s\" >&2; return 1; }\n");
        for (int i = 0; i < commands.size(); i++) {
            Command command = commands.get(i);
            String f = quote(dir.resolve(String.valueOf(i)).toString());
            script.append("# README.md line ").append(command.line()).append('\n');
            script.append("__t=$(date +%s%N)\n");
            script.append("{\n").append(command.text()).append("\n} >").append(f).append(".out 2>").append(f)
                    .append(".err </dev/null\n");
            if (command.background()) {
                Matcher port = MOTO_PORT.matcher(command.text());
                assertThat(port.find()).as("%s runs in the background, but the test does not know which port to wait"
                        + " for", command.shown()).isTrue();
                script.append("__ready ").append(port.group(1)).append(" 2>>").append(f).append(".err; echo $? >")
                        .append(f).append(".rc\n");
            } else {
                script.append("echo $? >").append(f).append(".rc\n");
            }
            script.append("echo $(( ($(date +%s%N) - __t) / 1000000 )) >").append(f).append(".ms\n");
        }
        // What the block left running in the background (given 10 s to end after its kill): reported, then stopped.
        script.append("for __i in $(seq 1 40); do [ -z \"$(jobs -rp)\" ] && break; sleep 0.25; done\n");
        script.append("jobs -rp >").append(quote(dir.resolve("left").toString())).append('\n');
        script.append("__left=$(jobs -p); if [ -n \"$__left\" ]; then kill $__left 2>/dev/null; fi; wait\n");
        Path scriptFile = dir.resolve("block.sh");
        Files.writeString(scriptFile, script);

        ProcessBuilder builder = new ProcessBuilder("bash", scriptFile.toString()).directory(ROOT.toFile())
                .redirectOutput(dir.resolve("bash.out").toFile()).redirectError(dir.resolve("bash.err").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("HOME", home.toString());
        env.put("AWS_CONFIG_FILE", home.resolve("no-such-dir/config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("no-such-dir/credentials").toString());
        env.put("EDGE_INVENTORY_NO_BUILD", "1");
        Process bash = builder.start();
        List<ProcessHandle> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(BLOCK_MINUTES);
        while (bash.isAlive() && System.nanoTime() < deadline) {
            bash.descendants().filter(p -> !seen.contains(p)).forEach(seen::add);
            bash.waitFor(1, TimeUnit.SECONDS);
        }
        boolean finished = !bash.isAlive();
        if (!finished) {
            bash.descendants().forEach(ProcessHandle::destroyForcibly);
            bash.destroyForcibly();
            bash.waitFor(30, TimeUnit.SECONDS);
        }
        seen.forEach(ProcessHandle::destroyForcibly); // nothing of the block outlives it

        List<String> failures = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            Command command = commands.get(i);
            Path f = dir.resolve(String.valueOf(i));
            if (!Files.exists(Path.of(f + ".rc"))) {
                failures.add(command.shown() + ": never finished" + (finished ? ""
                        : " (the block was stopped after " + BLOCK_MINUTES + " minutes)") + "; stderr: "
                        + tail(read(Path.of(f + ".err"))));
                summary.add(String.format("line %4d  DID NOT FINISH  `%s`", command.line(), command.text()));
                break;
            }
            Result result = new Result(command, Integer.parseInt(read(Path.of(f + ".rc")).strip()),
                    read(Path.of(f + ".out")), read(Path.of(f + ".err")),
                    Long.parseLong(read(Path.of(f + ".ms")).strip().isEmpty() ? "0" : read(Path.of(f + ".ms")).strip()));
            String outcome = "ok";
            try {
                checkFor(command).accept(result);
            } catch (AssertionError e) {
                outcome = "FAILED";
                failures.add(command.shown() + " (exit " + result.exitCode() + "): " + e.getMessage()
                        + "\n    stdout: " + tail(result.stdout()) + "\n    stderr: " + tail(result.stderr()));
            }
            summary.add(String.format("line %4d  %-6s %7.1f s  `%s`", command.line(), outcome, result.millis() / 1000.0,
                    command.text()));
        }
        String left = read(dir.resolve("left")).strip();
        if (finished && !left.isEmpty()) {
            failures.add("README.md line " + block.line() + ": the block leaves processes running in the background"
                    + " (pids " + left.replace('\n', ' ') + "); it should stop what it starts");
        }
        if (!finished) {
            failures.add("README.md line " + block.line() + ": the block did not finish within " + BLOCK_MINUTES
                    + " minutes");
        }
        assertThat(failures).as("README.md block at line %d (its files: %s)", block.line(), dir).isEmpty();
    }

    private static boolean awaitFree(int port) throws InterruptedException {
        for (int i = 0; i < 40; i++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return true;
            } catch (IOException e) {
                Thread.sleep(250);
            }
        }
        return false;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String text) {
        String t = text.strip();
        return t.length() <= 1500 ? t : "…" + t.substring(t.length() - 1500);
    }
}
