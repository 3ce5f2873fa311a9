package com.edgeinventory.cli.command;

import com.edgeinventory.cli.UsageException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.edgeinventory.local.LocalRuntimeException;

/**
 * {@code deploy [--plan] [--stage S] [--central R] [--regions R1,R2] [--alarm-email E]}: the repeatable deploy.
 * The jars are built with Maven, the central stack is deployed first (it publishes its stream's ARN in SSM), then
 * every edge stack with that ARN read from SSM, never copied by hand. {@code --plan} prints the commands, one a
 * line, as a bash script; without it they run in order and the first failure stops the deploy.
 */
final class DeployCommand {

    static final String NAME = "deploy";
    static final Set<String> OPTIONS = Set.of("stage", "central", "regions", "alarm-email", "plan");
    static final Set<String> FLAGS = Set.of("plan");
    static final String USAGE = """
            Usage: edge-inventory deploy [--plan] [--stage S] [--central R] [--regions R1,R2,...] [--alarm-email E]

            Deploys template.yaml to AWS with sam deploy (samconfig.toml), in order: builds the function jars with
            Maven, deploys the central stack (DeploymentRole=central), reads its stream's ARN from the SSM
            parameter /edge-inventory/{stage}/central-stream-arn in the central region, then deploys every edge
            stack (DeploymentRole=edge) with it. Credentials: the AWS CLI's and SAM CLI's default chain.

              --plan              print the commands (a bash script) instead of running them
              --stage S           default: prod (stack edge-inventory-{stage} in every region)
              --central R         the central region, default: us-east-2
              --regions R1,R2     the edge regions, default: eu-west-1,us-east-1
              --alarm-email E     subscribe this address to every stack's alarm topic
            """;

    private DeployCommand() {
    }

    static int run(CliArgs args, CliContext context) {
        if (!args.positional().isEmpty()) {
            throw new UsageException(NAME, "deploy takes no arguments, got " + args.positional());
        }
        String stage = args.option("stage").orElse("prod");
        if (!stage.matches("[a-z][a-z0-9-]{1,15}")) {
            throw new UsageException(NAME, "--stage must be 2-16 of a-z 0-9 - starting with a letter (the "
                    + "template's Stage pattern), got '" + stage + "'");
        }
        String central = args.option("central").orElse("us-east-2");
        CliArgs.requireRegionName(NAME, central);
        List<String> edges = CliArgs.regionList(NAME, args.option("regions").orElse("eu-west-1,us-east-1"));
        if (edges.contains(central)) {
            throw new UsageException(NAME, "the central region " + central + " cannot also be an edge region");
        }
        String email = args.option("alarm-email").orElse("");
        if (!email.isEmpty() && !email.matches("[^@\\s]+@[^@\\s]+")) {
            throw new UsageException(NAME, "--alarm-email is not an address: " + email);
        }
        List<String> plan = plan(stage, central, edges, email);
        if (args.flag("plan")) {
            plan.forEach(context.out()::println);
            return 0;
        }
        return execute(plan, context);
    }

    /** The deploy as bash lines: build, central, the ARN from SSM, each edge. */
    static List<String> plan(String stage, String central, List<String> edges, String email) {
        String stack = "edge-inventory-" + stage;
        String alarm = email.isEmpty() ? "" : " AlarmEmail=" + email;
        List<String> lines = new ArrayList<>();
        lines.add("set -euo pipefail");
        lines.add("./mvnw -B package -DskipTests");
        lines.add("sam deploy --config-env central --stack-name " + stack + " --region " + central
                + " --parameter-overrides Stage=" + stage + " DeploymentRole=central" + alarm);
        lines.add("CENTRAL_STREAM_ARN=$(aws ssm get-parameter --region " + central + " --name /edge-inventory/"
                + stage + "/central-stream-arn --query Parameter.Value --output text)");
        for (String edge : edges) {
            lines.add("sam deploy --config-env edge --stack-name " + stack + " --region " + edge
                    + " --parameter-overrides Stage=" + stage + " DeploymentRole=edge"
                    + " CentralStreamArn=\"$CENTRAL_STREAM_ARN\"" + alarm);
        }
        return lines;
    }

    private static int execute(List<String> plan, CliContext context) {
        Path root = context.repoRoot().orElse(context.cwd());
        try {
            Process bash = new ProcessBuilder("bash", "-c", String.join("\n", plan)).directory(root.toFile())
                    .inheritIO().start();
            int status = bash.waitFor();
            if (status != 0) {
                context.progress("deploy stopped: a step failed with status " + status);
                return 1;
            }
            return 0;
        } catch (IOException e) {
            throw new LocalRuntimeException("cannot run bash for the deploy: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
