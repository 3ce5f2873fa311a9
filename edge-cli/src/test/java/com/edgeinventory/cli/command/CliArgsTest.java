package com.edgeinventory.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CliArgsTest {

    private static final Set<String> OPTIONS = Set.of("endpoint", "region", "event", CliArgs.PARAMETER_OVERRIDES);

    private static CliArgs parse(String... args) {
        return CliArgs.parse("test", List.of(args), OPTIONS, Map.of("e", "event"));
    }

    @Test
    void parameterOverridesInEveryForm() {
        CliArgs args = parse("--parameter-overrides", "Stage=qa", "Role=edge x=1",
                "ParameterKey=Sizes,ParameterValue=1,2", "--parameter-overrides=Url=http://a?b=c", "Fn");

        assertThat(args.parameterOverrides()).containsExactly(Map.entry("Stage", "qa"), Map.entry("Role", "edge"),
                Map.entry("x", "1"), Map.entry("Sizes", "1,2"), Map.entry("Url", "http://a?b=c"));
        assertThat(args.positional()).containsExactly("Fn");
    }

    @Test
    void positionalAfterOptionsAndAliases() {
        CliArgs args = parse("Fn", "-e", "events/a.json", "--region=us-east-1", "--", "--literal");

        assertThat(args.positional()).containsExactly("Fn", "--literal");
        assertThat(args.option("event")).contains("events/a.json");
        assertThat(args.region(Map.of())).isEqualTo("us-east-1");
    }

    @Test
    void regionFallsBackToTheEnvironmentThenEuWest1() {
        assertThat(parse().region(Map.of("AWS_REGION", "us-west-2", "AWS_DEFAULT_REGION", "ap-south-1")))
                .isEqualTo("us-west-2");
        assertThat(parse().region(Map.of("AWS_DEFAULT_REGION", "ap-south-1"))).isEqualTo("ap-south-1");
        assertThat(parse().region(Map.of())).isEqualTo("eu-west-1");
    }

    @Test
    void endpointIsNormalised() {
        assertThat(parse("--endpoint", "http://127.0.0.1:4566/").endpoint())
                .contains(URI.create("http://127.0.0.1:4566"));
        assertThat(parse().endpoint()).isEmpty();
    }

    @Test
    void helpFlag() {
        assertThat(parse("-h").help()).isTrue();
        assertThat(parse("--help").help()).isTrue();
        assertThat(parse().help()).isFalse();
    }
}
