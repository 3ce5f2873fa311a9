package com.edgeinventory.cli.command;

import com.edgeinventory.cli.UsageException;
import com.edgeinventory.cli.demo.StoreSimulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The demo's command line; nothing here starts the system. */
class DemoCommandTest {

    @TempDir
    Path cwd;

    private static DemoCommand.Settings settings(String... args) {
        return DemoCommand.settings(CliArgs.parse(DemoCommand.NAME, List.of(args), DemoCommand.OPTIONS, Map.of(),
                DemoCommand.FLAGS));
    }

    @Test
    void defaults() {
        DemoCommand.Settings s = settings();

        assertThat(s.edges()).containsExactly("eu-west-1", "us-east-1");
        assertThat(s.central()).isEqualTo("us-east-2");
        assertThat(s.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.rate()).isEqualTo(10.0);
        assertThat(s.products()).isEqualTo(20);
        assertThat(s.devices()).isEqualTo(4);
        assertThat(s.port()).isZero();
        assertThat(s.keep()).isFalse();
    }

    @Test
    void everyOption() {
        DemoCommand.Settings s = settings("--regions", "ap-south-1", "--central", "eu-central-1", "--duration", "2m",
                "--rate", "2.5", "--seed", "7", "--products", "100", "--devices", "2", "--port", "3100", "--keep");

        assertThat(s).isEqualTo(new DemoCommand.Settings(List.of("ap-south-1"), "eu-central-1", Duration.ofMinutes(2),
                2.5, 7, 100, 2, 3100, true));
    }

    @Test
    void theWorkloadMixAndTheHotSku() {
        DemoCommand.Settings s = settings("--mix", "sale=0.9, stock=0,retry=0", "--hot-sku", "DROP-AIR-44",
                "--hot-sku-shards", "16", "--hot-sku-stock", "500");

        assertThat(s.workload().mix()).isEqualTo(new StoreSimulator.Mix(0, 0.9, 0.2, 0.15, 0.1, 0, 0.03, 0.6, 0.5));
        assertThat(s.workload().hotSku()).contains(new DemoCommand.HotSku("DROP-AIR-44", 16, 500));
        assertThat(settings("--hot-sku", "DROP-AIR-44").workload().hotSku())
                .contains(new DemoCommand.HotSku("DROP-AIR-44", 8, 1000));
        assertThat(settings().workload()).isEqualTo(DemoCommand.Workload.DEFAULT);
    }

    @Test
    void keepIsAFlagAnywhereOnTheLine() {
        assertThat(settings("--keep", "--seed", "3").keep()).isTrue();
        assertThat(settings("--seed", "3", "--keep").seed()).isEqualTo(3);
        assertThatThrownBy(() -> settings("--keep=yes")).isInstanceOf(UsageException.class)
                .hasMessageContaining("--keep takes no value");
    }

    @Test
    void durations() {
        assertThat(DemoCommand.duration("60s")).isEqualTo(Duration.ofSeconds(60));
        assertThat(DemoCommand.duration("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DemoCommand.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DemoCommand.duration("1h")).isEqualTo(Duration.ofHours(1));
        for (String bad : List.of("0s", "", "-1s", "5 s", "2d", "25h", "soon")) {
            assertThatThrownBy(() -> DemoCommand.duration(bad)).as(bad).isInstanceOf(UsageException.class)
                    .hasMessageContaining("--duration");
        }
    }

    @Test
    void simulatedDaysShareTheDuration() {
        DemoCommand.Settings s = settings("--days", "28", "--duration", "2m");

        assertThat(s.days()).isEqualTo(28);
        assertThat(s.perDay()).isEqualTo(Duration.ofNanos(4_285_714_285L));
        assertThat(s.firstDay(java.time.LocalDate.of(2026, 12, 4))).isEqualTo(java.time.LocalDate.of(2026, 11, 7));
        assertThat(settings().days()).as("default: today only").isEqualTo(1);
        assertThat(settings().firstDay(java.time.LocalDate.of(2026, 12, 4))).isEqualTo(java.time.LocalDate.of(2026, 12, 4));
    }

    @Test
    void enoughWorkersForTheRate() {
        assertThat(DemoCommand.workers(10, 4)).isEqualTo(4);
        assertThat(DemoCommand.workers(100, 4)).isEqualTo(20);
        assertThat(DemoCommand.workers(10_000, 4)).isEqualTo(64);
    }

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                Arguments.of(List.of("demo", "now"), "demo takes no arguments"),
                Arguments.of(List.of("demo", "--duration", "0"), "--duration must be"),
                Arguments.of(List.of("demo", "--rate", "0"), "--rate must be"),
                Arguments.of(List.of("demo", "--rate", "fast"), "--rate must be"),
                Arguments.of(List.of("demo", "--seed", "1.5"), "--seed must be a whole number"),
                Arguments.of(List.of("demo", "--products", "101"), "--products must be a whole number 1..100"),
                Arguments.of(List.of("demo", "--products", "0"), "--products must be a whole number 1..100"),
                Arguments.of(List.of("demo", "--devices", "0"), "--devices must be a whole number 1..64"),
                Arguments.of(List.of("demo", "--port", "70000"), "--port must be a whole number 0..65535"),
                Arguments.of(List.of("demo", "--central", "eu-west-1"), "cannot also be an edge region"),
                Arguments.of(List.of("demo", "--speed", "9"), "speed"),
                Arguments.of(List.of("demo", "--mix", "sale=2"), "--mix sale must be a probability 0..1, got '2'"),
                Arguments.of(List.of("demo", "--mix", "sale=often"), "--mix sale must be a probability 0..1"),
                Arguments.of(List.of("demo", "--mix", "sales=0.5"), "--mix takes NAME=P pairs, NAME one of stock, sale"),
                Arguments.of(List.of("demo", "--mix", "sale"), "--mix takes NAME=P pairs"),
                Arguments.of(List.of("demo", "--mix", "sale=0.8,stock=0.5"), "stock + sale and cancel + abandon"),
                Arguments.of(List.of("demo", "--hot-sku", "drop 44"), "--hot-sku must be a sku"),
                Arguments.of(List.of("demo", "--hot-sku", "DROP-44", "--hot-sku-shards", "33"),
                        "--hot-sku-shards must be a whole number 1..32"),
                Arguments.of(List.of("demo", "--hot-sku", "DROP-44", "--hot-sku-stock", "0"),
                        "--hot-sku-stock must be a whole number 1..1000000"),
                Arguments.of(List.of("demo", "--hot-sku-shards", "8"), "--hot-sku-shards needs --hot-sku"),
                Arguments.of(List.of("demo", "--days", "0"), "--days must be a whole number 1..366"),
                Arguments.of(List.of("demo", "--days", "367"), "--days must be a whole number 1..366"),
                Arguments.of(List.of("demo", "--days", "two"), "--days must be a whole number 1..366"),
                Arguments.of(List.of("demo", "--days", "-3"), "Option --days needs a value"),
                Arguments.of(List.of("demo", "--days", "100"), "--duration 60s over --days 100 leaves 600 ms a day; "
                        + "give each day at least 1 s (--duration 100s or more)"),
                Arguments.of(List.of("demo", "--days", "28", "--duration", "20s"), "leaves 714 ms a day"));
    }

    @ParameterizedTest
    @MethodSource
    void badCommandLines(List<String> args, String message) {
        CliRunner.Run run = CliRunner.run(cwd, args);

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains(message).contains("Usage: edge-inventory demo").doesNotContain("Exception");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void helpShowsTheOptions() {
        CliRunner.Run run = CliRunner.run(cwd, List.of("help", "demo"));
        CliRunner.Run overview = CliRunner.run(cwd, List.of("help"));

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("--duration D", "--rate N", "--seed N", "--products N", "Exit status 1",
                "--keep", "Dashboard: URL", "AnalyticsApi: URL", "AWS endpoint: URL", "Ctrl-C stops it.");
        assertThat(overview.out()).contains("  demo ");
    }
}
