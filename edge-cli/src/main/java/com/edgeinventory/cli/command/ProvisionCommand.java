package com.edgeinventory.cli.command;

import com.edgeinventory.cli.UsageException;

import com.edgeinventory.local.system.Json;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.provision.ProvisionedResource;
import com.edgeinventory.local.provision.Provisioner;
import com.edgeinventory.local.template.ResolveOptions;
import com.edgeinventory.local.template.ResolvedTemplate;
import com.edgeinventory.local.template.TemplateResolver;
import com.fasterxml.jackson.databind.node.ArrayNode;

/** {@code provision --endpoint URL [--region R] [--parameter-overrides K=V ...]}. */
final class ProvisionCommand {

    static final String NAME = "provision";
    static final Set<String> OPTIONS = Set.of("endpoint", "region", "template", CliArgs.PARAMETER_OVERRIDES);
    static final String USAGE = """
            Usage: edge-inventory provision --endpoint URL [--region R] [--parameter-overrides K=V ...] [--template FILE]

            Creates the DynamoDB tables, S3 buckets, SQS queues and Kinesis streams of template.yaml at a local
            AWS endpoint (moto, LocalStack), plus one SQS queue per function S3 event wired as the bucket's
            notification target. Safe to run again. Prints a JSON array of {logicalId, type, physicalId}.

              --endpoint URL              local AWS endpoint, e.g. http://127.0.0.1:5000 (required)
              --region R                  default: $AWS_REGION, else eu-west-1
              --parameter-overrides K=V   template parameter values, e.g. Stage=test
              --template FILE             default: the repository's template.yaml
            """;

    private ProvisionCommand() {
    }

    static int run(CliArgs args, CliContext context) {
        if (!args.positional().isEmpty()) {
            throw new UsageException(NAME, "provision takes no arguments, got " + args.positional());
        }
        URI endpoint = args.endpoint().orElseThrow(() -> new UsageException(NAME,
                "provision needs --endpoint URL (for example the port of a moto_server you started)"));
        Path templateFile = context.templateFile(args);
        ResolveOptions options = context.resolveOptions(args).withEndpoint(endpoint);
        ResolvedTemplate template = TemplateResolver.resolve(templateFile, options);
        List<ProvisionedResource> resources;
        try (AwsClients clients = new AwsClients(endpoint, options.region())) {
            resources = new Provisioner(clients, context::progress).provision(template);
        }
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (ProvisionedResource r : resources) {
            array.addObject().put("logicalId", r.logicalId()).put("type", r.type()).put("physicalId", r.physicalId());
        }
        context.out().println(Json.pretty(array));
        context.progress("provisioned " + resources.size() + " resources at " + endpoint + " (" + options.region()
                + ")");
        return 0;
    }
}
