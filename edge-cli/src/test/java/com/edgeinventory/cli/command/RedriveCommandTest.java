package com.edgeinventory.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.template.TemplateResolver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code redrive}'s command line: usage errors (exit 2) and its help. */
class RedriveCommandTest {

    private static final Path REPO_TEMPLATE = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir")));

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                Arguments.of(List.of("redrive", "now"), "redrive takes no arguments, got [now]"),
                Arguments.of(List.of("redrive", "--bogus", "1"), "Unknown option --bogus for redrive"),
                Arguments.of(List.of("redrive", "--region", "Mars"), "'Mars' is not a region name"),
                Arguments.of(List.of("redrive", "--central", "eu-west-1"),
                        "the central region eu-west-1 cannot also be an edge region"),
                Arguments.of(List.of("redrive", "--region", "ap-south-1"),
                        "--region ap-south-1 is neither the central region (us-east-2) nor one of --edges"),
                Arguments.of(List.of("redrive", "--edges", ","), "needs at least one region"),
                Arguments.of(List.of("redrive", "--parameter-overrides", "DeploymentRole=edge"),
                        "DeploymentRole is set by redrive for each region"),
                Arguments.of(List.of("redrive", "--endpoint", "localhost:5000"), "--endpoint must be an http(s) URL"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCommandLines")
    void usageErrorsExitWith2AndTheUsage(List<String> args, String message) {
        CliRunner.Run run = run(args);
        assertThat(run.status()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("error: ").contains(message).contains("Usage: edge-inventory redrive");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnreachableEndpointIsOneLineAndExit1() {
        CliRunner.Run run = run(List.of("redrive", "--endpoint", "http://127.0.0.1:1", "--region", "us-east-2"));
        assertThat(run.status()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains("error: redrive stopped:").doesNotContain("\tat ");
    }

    @Test
    void helpRedriveDescribesBothSources() {
        CliRunner.Run topic = run(List.of("help", "redrive"));
        CliRunner.Run flag = run(List.of("redrive", "--help"));
        CliRunner.Run general = run(List.of("help"));
        assertThat(topic.status()).isZero();
        assertThat(topic.out()).startsWith("Usage: edge-inventory redrive").contains("ForwarderOutboxQueue")
                .contains("CentralAggregatorDeadLetterQueue").contains("--endpoint URL").contains("--region R");
        assertThat(flag.out()).isEqualTo(topic.out());
        assertThat(general.out()).contains("redrive ");
    }

    private static CliRunner.Run run(List<String> args) {
        return CliRunner.run(REPO_TEMPLATE.getParent(), Map.of(), Optional.of(REPO_TEMPLATE.getParent()), args);
    }
}
