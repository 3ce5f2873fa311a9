package com.edgeinventory.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DeployCommandTest {

    private static final Path CWD = Path.of("").toAbsolutePath();

    @Test
    void thePlanBuildsThenDeploysCentralThenEveryEdgeWithTheArnFromSsm() {
        CliRunner.Run run = CliRunner.run(CWD, List.of("deploy", "--plan", "--stage", "qa", "--central", "us-east-2",
                "--regions", "eu-west-1,ap-southeast-2"));

        assertThat(run.status()).isZero();
        assertThat(run.out().lines().toList()).containsExactly(
                "set -euo pipefail",
                "./mvnw -B package -DskipTests",
                "sam deploy --config-env central --stack-name edge-inventory-qa --region us-east-2"
                        + " --parameter-overrides Stage=qa DeploymentRole=central",
                "CENTRAL_STREAM_ARN=$(aws ssm get-parameter --region us-east-2"
                        + " --name /edge-inventory/qa/central-stream-arn --query Parameter.Value --output text)",
                "sam deploy --config-env edge --stack-name edge-inventory-qa --region eu-west-1"
                        + " --parameter-overrides Stage=qa DeploymentRole=edge CentralStreamArn=\"$CENTRAL_STREAM_ARN\"",
                "sam deploy --config-env edge --stack-name edge-inventory-qa --region ap-southeast-2"
                        + " --parameter-overrides Stage=qa DeploymentRole=edge CentralStreamArn=\"$CENTRAL_STREAM_ARN\"");
    }

    @Test
    void theDefaultsAreProdInUsEast2AndTwoEdgesAndTheAlarmAddressReachesEveryStack() {
        CliRunner.Run run = CliRunner.run(CWD, List.of("deploy", "--plan", "--alarm-email", "oncall@example.com"));

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("--stack-name edge-inventory-prod --region us-east-2")
                .contains("--region eu-west-1").contains("--region us-east-1");
        assertThat(run.out().lines().filter(l -> l.startsWith("sam deploy")))
                .hasSize(3).allMatch(l -> l.endsWith(" AlarmEmail=oncall@example.com"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--stage|Prod|--stage must be",
            "--stage|x|--stage must be",
            "--central|mars-1|",
            "--regions|us-east-2|cannot also be an edge region",
            "--alarm-email|not-an-address|--alarm-email is not an address",
    })
    void badOptionsAreUsageErrors(String option, String value, String message) {
        CliRunner.Run run = CliRunner.run(CWD, List.of("deploy", "--plan", option, value));

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        if (message != null) {
            assertThat(run.err()).contains(message);
        }
    }

    @Test
    void positionalArgumentsAreUsageErrors() {
        assertThat(CliRunner.run(CWD, List.of("deploy", "--plan", "now")).status()).isEqualTo(2);
    }
}
