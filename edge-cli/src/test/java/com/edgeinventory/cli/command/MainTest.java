package com.edgeinventory.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

import com.edgeinventory.local.template.TemplateResolver;

/**
 * Bad command lines and what the user sees. None of these reach an AWS endpoint (except the unreachable one on
 * port 1), and none may print a stack trace.
 */
class MainTest {

    @TempDir
    static Path cwd;

    private static final Path REPO_TEMPLATE = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir")));

    @BeforeAll
    static void files() throws IOException {
        Files.writeString(cwd.resolve("event.json"), "{\"ok\": true}");
        Files.writeString(cwd.resolve("broken.json"), "{\"ok\": ");
        Files.writeString(cwd.resolve("env-array.json"), "[1, 2]");
        Files.writeString(cwd.resolve("no-jar.yaml"), """
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties: {Handler: a.B::c, CodeUri: target/missing.jar}
                """);
        Files.writeString(cwd.resolve("bare.yaml"), """
                Resources:
                  Q: {Type: AWS::SQS::Queue}
                """);
    }

    /** args, expected exit status, expected stderr fragment. */
    static Stream<Arguments> badInputs() {
        return Stream.of(
                row(List.of(), 2, "error: no command given"),
                row(List.of("frobnicate"), 2, "error: Unknown command 'frobnicate'"),
                row(List.of("help", "nope"), 2, "error: Unknown command 'nope'"),
                row(List.of("help", "a", "b"), 2, "error: help takes at most one command name"),
                row(List.of("provision"), 2, "error: provision needs --endpoint URL"),
                row(List.of("provision", "extra"), 2, "error: provision takes no arguments, got [extra]"),
                row(List.of("provision", "--endpoint"), 2, "error: Option --endpoint needs a value"),
                row(List.of("provision", "--endpoint", "localhost:4566"), 2,
                        "error: --endpoint must be an http(s) URL like http://127.0.0.1:5000, got 'localhost:4566'"),
                row(List.of("provision", "--endpoint", "http://127.0.0.1:1/path"), 2,
                        "error: --endpoint must not have a path, got 'http://127.0.0.1:1/path'"),
                row(List.of("provision", "--endpoint", "http://127.0.0.1:1", "--bogus", "1"), 2,
                        "error: Unknown option --bogus for provision"),
                row(List.of("provision", "--endpoint", "http://127.0.0.1:1", "--region", "Mars"), 2,
                        "error: --region 'Mars' is not an AWS region name like eu-west-1"),
                row(List.of("provision", "--endpoint=http://127.0.0.1:1", "--region=eu-west-1", "--region",
                        "us-east-1"), 2, "error: Option --region is given twice"),
                row(List.of("provision", "--endpoint", "http://127.0.0.1:1", "--parameter-overrides"), 2,
                        "error: --parameter-overrides needs at least one Key=Value"),
                row(List.of("provision", "--endpoint", "http://127.0.0.1:1", "--parameter-overrides", "Stage"), 2,
                        "error: --parameter-overrides expects Key=Value, got 'Stage'"),
                row(List.of("provision", "--endpoint", "http://127.0.0.1:1", "--parameter-overrides", "Stage=a",
                        "Stage=b"), 2, "error: Parameter Stage is overridden twice"),
                row(List.of("provision", "--endpoint", "http://127.0.0.1:1", "--parameter-overrides", "Stge=dev"), 1,
                        "error: Unknown parameter in --parameter-overrides: Stge. Template parameters: Stage, "
                                + "DeploymentRole"),
                row(List.of("provision", "--endpoint", "http://127.0.0.1:1", "--parameter-overrides", "Stage=BAD"),
                        1, "error: Parameter Stage value 'BAD' does not match AllowedPattern"),
                row(List.of("provision", "--endpoint", "http://127.0.0.1:1", "--template", "nope.yaml"), 1,
                        "error: Template not found: " + cwd.resolve("nope.yaml")),
                row(List.of("provision", "--endpoint", "http://127.0.0.1:1", "--template", "bare.yaml"), 1,
                        "error: Cannot reach the AWS endpoint http://127.0.0.1:1"),
                row(List.of("invoke"), 2, "error: invoke needs the function's logical id"),
                row(List.of("invoke", "A", "B"), 2, "error: invoke takes one function logical id, got [A, B]"),
                row(List.of("invoke", "A", "-x"), 2, "error: Unknown option -x for invoke"),
                row(List.of("invoke", "A", "-e"), 2, "error: Option -e needs a value"),
                row(List.of("invoke", "NoSuchFunction", "-e", "event.json"), 1,
                        "error: Function NoSuchFunction does not exist in " + REPO_TEMPLATE),
                row(List.of("invoke", "ProductUploadFunction", "-e", "missing.json"), 1,
                        "error: Event file not found: " + cwd.resolve("missing.json")),
                row(List.of("invoke", "ProductUploadFunction", "-e", "broken.json"), 1,
                        "error: Event file " + cwd.resolve("broken.json") + " is not valid JSON"),
                row(List.of("invoke", "ProductUploadFunction", "-e", "event.json", "--env-vars", "none.json"), 1,
                        "error: --env-vars file not found: " + cwd.resolve("none.json")),
                row(List.of("invoke", "ProductUploadFunction", "-e", "event.json", "--env-vars", "env-array.json"),
                        1, "must be a JSON object like {\"Parameters\""),
                row(List.of("invoke", "ProductUploadFunction", "-e", "event.json", "--parameter-overrides",
                        "DeploymentRole=central"), 1,
                        "error: Function ProductUploadFunction does not exist in " + REPO_TEMPLATE
                                + " with the current parameters. Functions: CentralAggregatorFunction"),
                row(List.of("invoke", "Fn", "-e", "event.json", "--template", "no-jar.yaml"), 1,
                        "error: Function code not found: " + cwd.resolve("target/missing.jar")
                                + " (CodeUri of Fn). Build it with: ./mvnw package -DskipTests"),
                row(List.of("upload-sample", "--endpoint", "http://127.0.0.1:1", "--template", "bare.yaml"), 1,
                        "error: No sample directory " + cwd.resolve("events/sample")),
                row(List.of("upload-sample", "now"), 2, "error: upload-sample takes no arguments, got [now]"),
                row(List.of("central-sample", "now"), 2, "error: central-sample takes no arguments, got [now]"),
                row(List.of("central-sample", "--edges", "us-east-2"), 2,
                        "error: the central region us-east-2 cannot also be an edge region"),
                row(List.of("central-sample", "--edges", "mars"), 2,
                        "error: 'mars' is not a region name like eu-west-1"),
                row(List.of("central-sample", "--edges", ","), 2, "error: --edges needs at least one region"),
                row(List.of("central-sample", "--keep=yes"), 2, "error: --keep takes no value"),
                row(List.of("central-sample", "--keep", "--keep"), 2, "error: Option --keep is given twice"),
                row(List.of("central-sample", "--seed", "x"), 2, "error: --seed must be a whole number, got 'x'"),
                row(List.of("device"), 2, "error: device needs an action: add or disable"),
                row(List.of("device", "frob"), 2, "error: Unknown device action 'frob'; use add or disable"),
                row(List.of("device", "add", "disable"), 2, "error: device takes one action, got [add, disable]"),
                row(List.of("device", "add"), 2, "error: device add needs --store STORE"),
                row(List.of("device", "add", "--store"), 2, "error: Option --store needs a value"),
                row(List.of("device", "add", "--store", "bad store"), 2,
                        "error: --store 'bad store' must be 1-64 of A-Z a-z 0-9 _ -"),
                row(List.of("device", "add", "--store", "S1", "--device", "POS:01"), 2,
                        "error: --device 'POS:01' must be 1-64 of A-Z a-z 0-9 _ -"),
                row(List.of("device", "add", "--store", "S1", "--device", "x".repeat(65)), 2,
                        "error: --device '" + "x".repeat(65) + "' must be 1-64 of A-Z a-z 0-9 _ -"),
                row(List.of("device", "add", "--store", "S1", "--secret", "s"), 2,
                        "error: Unknown option --secret for device"),
                row(List.of("device", "add", "--store", "S1", "--endpoint", "localhost:4566"), 2,
                        "error: --endpoint must be an http(s) URL like http://127.0.0.1:5000, got 'localhost:4566'"),
                row(List.of("device", "disable", "--endpoint", "http://127.0.0.1:1"), 2,
                        "error: device disable needs --device DEVICE_ID"),
                row(List.of("device", "disable", "--device", "D1", "--store", "S1"), 2,
                        "error: device disable takes no --store"),
                row(List.of("device", "add", "--store", "S1", "--endpoint", "http://127.0.0.1:1"), 1,
                        "error: Cannot reach the AWS endpoint http://127.0.0.1:1"),
                row(List.of("device", "add", "--store", "S1", "--endpoint", "http://127.0.0.1:1",
                        "--parameter-overrides", "DeploymentRole=central"), 1,
                        "error: Resource DevicesTable does not exist in " + REPO_TEMPLATE),
                row(List.of("device", "add", "--store", "S1", "--endpoint", "http://127.0.0.1:1", "--template",
                        "bare.yaml"), 1, "error: Resource DevicesTable does not exist in " + cwd.resolve("bare.yaml")));
    }

    private static Arguments row(List<String> args, int status, String message) {
        return Arguments.of(args, status, message);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("badInputs")
    void badInputsFailWithAClearMessage(List<String> args, int status, String message) {
        CliRunner.Run run = run(args);

        assertThat(run.status()).as(run.err()).isEqualTo(status);
        assertThat(run.err()).contains(message).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(run.out()).isEmpty();
        if (status == 2) {
            assertThat(run.err()).contains("Usage: edge-inventory");
        }
    }

    @Test
    void helpGoesToStdout() {
        CliRunner.Run general = run(List.of("help"));
        CliRunner.Run invoke = run(List.of("invoke", "--help"));
        CliRunner.Run topic = run(List.of("help", "upload-sample"));

        assertThat(general.status()).isZero();
        assertThat(general.out()).contains("Commands:").contains("upload-sample");
        assertThat(invoke.status()).isZero();
        assertThat(invoke.out()).startsWith("Usage: edge-inventory invoke <LogicalId>");
        assertThat(topic.out()).startsWith("Usage: edge-inventory upload-sample");
    }

    @Test
    void deviceHelpGoesToStdout() {
        CliRunner.Run general = run(List.of("help"));
        CliRunner.Run device = run(List.of("device", "--help"));

        assertThat(general.out()).contains("device ");
        assertThat(device.status()).isZero();
        assertThat(device.out()).startsWith("Usage: edge-inventory device add --store STORE");
    }

    private static CliRunner.Run run(List<String> args) {
        return CliRunner.run(cwd, Map.of(), Optional.of(REPO_TEMPLATE.getParent()), args);
    }
}
