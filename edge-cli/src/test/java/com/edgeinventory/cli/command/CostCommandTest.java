package com.edgeinventory.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.meter.DynamoDbUsage;
import com.edgeinventory.local.meter.UsageMeter;
import com.edgeinventory.local.template.TemplateResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code cost} and {@code capacity} on a usage file the local stack's meter wrote, and their bad inputs. */
class CostCommandTest {

    static final Path REPO = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir"))).getParent();
    @TempDir
    static Path dir;
    static Path usage;

    @BeforeAll
    static void writeUsage() throws IOException {
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        UsageMeter meter = new UsageMeter(start);
        for (int i = 0; i < 200; i++) {
            meter.invocation("eu-west-1/TransactionFunction", 1024, Duration.ofMillis(40), true);
            meter.call("eu-west-1", "eu-west-1/TransactionFunction", "dynamodb", "TransactWriteItems", 900, 300,
                    new DynamoDbUsage.Units(0, 8));
            meter.httpRequest("eu-west-1/RetailApi");
        }
        meter.invocation("eu-west-1/ProductUploadFunction", 2048, Duration.ofMillis(800), true);
        meter.kinesisRecords("us-east-2", "eu-west-1/InventoryStreamForwarder", "PutRecords", new long[] {80, 90});
        Files.writeString(dir.resolve("usage.json"), meter.toJson(start.plusSeconds(60),
                Map.of("command", "demo", "edges", List.of("eu-west-1")),
                Map.of("purchases", 100L, "uploads", 1L)).toPrettyString());
        usage = dir.resolve("usage.json");
        Files.writeString(dir.resolve("not-usage.json"), "{\"format\":\"something else\"}");
        Files.writeString(dir.resolve("short-prices.json"), "{\"prices\":{\"lambda.requests\":{\"usd\":0.2,"
                + "\"source\":\"https://aws.amazon.com/lambda/pricing/\",\"checked\":\"2026-12-04\"}}}");
    }

    static CliRunner.Run run(String... args) {
        return CliRunner.run(dir, Map.of("HOME", dir.toString()), Optional.of(REPO), List.of(args));
    }

    @Test
    void costPrintsEveryServiceTheMonthTheAlwaysOnComparisonAndWritesTheChart() {
        CliRunner.Run run = run("cost", "--usage", usage.toString(), "--purchases-per-second", "25",
                "--chart", "chart.svg");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("Measured: 100 purchases and 1 uploads in 60 s")
                .contains("Lambda", "DynamoDB", "HTTP API", "Kinesis", "CloudWatch alarms", "total")
                .contains("Always-on").contains("Break-even");
        // 2 transactions of 8 WRU per purchase at $0.625 per million: $10.00 per million purchases in DynamoDB.
        assertThat(run.out()).containsPattern("DynamoDB\\s+10\\.00");
        assertThat(dir.resolve("chart.svg")).content().startsWith("<svg").contains("break-even");
    }

    @Test
    void theChartIsAlsoWrittenAsPngWithBothLinesDrawn() throws IOException {
        CliRunner.Run run = run("cost", "--usage", usage.toString(), "--purchases-per-second", "25",
                "--chart", "chart.png");

        assertThat(run.status()).as(run.err()).isZero();
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(dir.resolve("chart.png").toFile());
        assertThat(png).as("a PNG ImageIO can read").isNotNull();
        assertThat(png.getWidth()).isEqualTo(720);
        assertThat(png.getHeight()).isEqualTo(420);
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int x = 0; x < png.getWidth(); x++) {
            for (int y = 0; y < png.getHeight(); y++) {
                colours.add(png.getRGB(x, y) & 0xffffff);
            }
        }
        assertThat(colours).as("the serverless (blue) and always-on (red) lines and the white ground")
                .contains(0x1f77b4, 0xd62728, 0xffffff);
        long dark = colours.stream().filter(c -> ((c >> 16) & 0xff) < 80 && ((c >> 8) & 0xff) < 80 && (c & 0xff) < 80)
                .count();
        assertThat(dark).as("text was drawn (anti-aliased glyphs)").isPositive();
    }

    @Test
    void capacityNamesTheFirstLimitAndTheDefaultUsageIsTheLastDemos() throws IOException {
        Path cached = dir.resolve(".cache/edge-inventory/usage/last-demo.json");
        Files.createDirectories(cached.getParent());
        Files.copy(usage, cached, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        CliRunner.Run run = run("capacity", "--peak-purchases-per-second", "5000", "--hot-sku-share", "1");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("Hottest stock item: 5000.0 transactions/s, 10000 WCU/s of 1,000")
                .contains("First limit reached: writes on the hottest stock item, at 500.0 purchases/s");
    }

    /** The bad-input table: each row a command line tried, its exit status and the line it must print. */
    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of(List.of("cost", "--usage", "missing.json"), 1, "No usage file"),
                Arguments.of(List.of("cost", "--usage", "not-usage.json"), 1, "not a usage file"),
                Arguments.of(List.of("cost", "--usage", "usage.json", "--prices", "short-prices.json"), 1,
                        "missing prices"),
                Arguments.of(List.of("cost", "--usage", "usage.json", "--regions", "two"), 2,
                        "--regions must be a number"),
                Arguments.of(List.of("cost", "--usage", "usage.json", "--purchases-per-second", "2000000"), 2,
                        "--purchases-per-second must be 0..1000000"),
                Arguments.of(List.of("cost", "extra"), 2, "cost takes no arguments"),
                Arguments.of(List.of("cost", "--usage", "usage.json", "--chart", "chart.pdf"), 2,
                        "--chart must name a .svg or .png file, got chart.pdf"),
                Arguments.of(List.of("capacity", "--usage", "usage.json"), 2, "needs --peak-purchases-per-second"),
                Arguments.of(List.of("capacity", "--usage", "usage.json", "--peak-purchases-per-second", "10",
                        "--hot-sku-share", "1.5"), 2, "--hot-sku-share must be 0..1"),
                Arguments.of(List.of("capacity", "--usage", "usage.json", "--peak-purchases-per-second", "10",
                        "--hot-sku-shards", "64"), 2, "--hot-sku-shards must be 1..32"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputsGetOneClearLine(List<String> args, int status, String message) {
        CliRunner.Run run = run(args.toArray(String[]::new));

        assertThat(run.status()).as(run.err()).isEqualTo(status);
        assertThat(run.err()).contains(message).doesNotContain("Exception");
    }
}
