package com.edgeinventory.cli.command;

import com.edgeinventory.cli.UsageException;
import com.edgeinventory.local.system.Progress;

import com.edgeinventory.local.provision.LocalStack;
import com.edgeinventory.local.system.FunctionInvoker;
import com.edgeinventory.local.system.Json;
import com.edgeinventory.local.system.SampleUploads;


import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;

import com.edgeinventory.local.LocalRuntimeException;
import com.edgeinventory.local.invoke.EnvVarsOverrides;
import com.edgeinventory.local.invoke.FunctionIdentities;
import com.edgeinventory.local.invoke.LocalInvoker;
import com.edgeinventory.local.template.FunctionDef;
import com.edgeinventory.local.template.ResolvedResource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code upload-sample}: provisions a stack, uploads {@code events/sample/**} to the upload bucket, runs every
 * function the resulting S3 notifications target (through the same path as {@code invoke}), and prints the
 * inventory table and the derived/ and rejected/ objects.
 */
final class UploadSampleCommand {

    static final String NAME = "upload-sample";
    static final Set<String> OPTIONS = Set.of("endpoint", "region", "env-vars", "template",
            CliArgs.PARAMETER_OVERRIDES);
    static final String USAGE = """
            Usage: edge-inventory upload-sample [--endpoint URL] [--region R] [--env-vars ENV.json]
                                                [--parameter-overrides K=V ...] [--template FILE]

            Starts a fresh moto_server (unless --endpoint), provisions template.yaml, uploads every file under
            events/sample/ to the upload bucket (key = path relative to events/sample/), then runs the functions
            the resulting S3 notifications target, exactly like 'invoke'. Prints on stdout
            {"items": [inventory table items], "derived": [{"key", "size"}], "rejected": [keys]}.
            Exit status 1 if any invocation failed.
            """;

    static final String TABLE = "InventoryTable";

    /** A notification message and the function whose queue it came from. */
    private UploadSampleCommand() {
    }

    static int run(CliArgs args, CliContext context) {
        if (!args.positional().isEmpty()) {
            throw new UsageException(NAME, "upload-sample takes no arguments, got " + args.positional());
        }
        EnvVarsOverrides overrides = args.option("env-vars").map(f -> EnvVarsOverrides.read(context.resolve(f)))
                .orElseGet(EnvVarsOverrides::none);
        Path templateFile = context.templateFile(args);
        Path samples = templateFile.getParent().resolve("events").resolve("sample");
        List<Path> files = SampleUploads.sampleFiles(samples);
        LocalInvoker invoker = LocalInvoker.create(templateFile.getParent(), context.err());
        try (LocalStack stack = LocalStack.open(templateFile, context.resolveOptions(args), args.endpoint(), true,
                context::progress); FunctionIdentities identities = new FunctionIdentities()) {
            ResolvedResource bucket = requireResource(stack, SampleUploads.BUCKET, ResolvedResource.BUCKET);
            ResolvedResource table = requireResource(stack, TABLE, ResolvedResource.TABLE);
            for (FunctionDef function : stack.template().functions()) {
                if (!function.s3Events().isEmpty() && !Files.exists(function.codeUri())) {
                    throw new LocalRuntimeException("Function code not found: " + function.codeUri() + " (CodeUri of "
                            + function.logicalId() + "). Build it with: ./mvnw package -DskipTests");
                }
            }
            List<String> keys = SampleUploads.upload(stack, bucket.physicalId(), samples, files, context::progress);
            FunctionInvoker functions = new FunctionInvoker(stack, overrides, invoker, identities,
                    Progress.to(context.err()));
            int[] counts = SampleUploads.deliverNotifications(stack, functions, keys, context::progress,
                    r -> InvocationReport.print(r, context.errOnly()));
            ObjectNode document = Json.MAPPER.createObjectNode();
            ArrayNode items = document.putArray("items");
            scan(stack, table.physicalId()).forEach(items::add);
            ArrayNode derived = document.putArray("derived");
            ArrayNode rejected = document.putArray("rejected");
            for (S3Object o : list(stack, bucket.physicalId(), "derived/")) {
                derived.addObject().put("key", o.key()).put("size", o.size());
            }
            for (S3Object o : list(stack, bucket.physicalId(), "rejected/")) {
                rejected.add(o.key());
            }
            context.out().println(Json.pretty(document));
            context.progress("uploaded " + keys.size() + " files; " + counts[0] + " invocations, " + counts[1]
                    + " failed; " + items.size() + " items in " + table.physicalId() + ", " + derived.size()
                    + " derived objects, " + rejected.size() + " rejected");
            return counts[1] == 0 ? 0 : 1;
        }
    }

    private static ResolvedResource requireResource(LocalStack stack, String logicalId, String type) {
        ResolvedResource resource = stack.template().resources().get(logicalId);
        if (resource == null || !resource.type().equals(type)) {
            throw new LocalRuntimeException("upload-sample needs the " + type + " " + logicalId
                    + " of template.yaml, which does not exist with these parameters (DeploymentRole=edge has it)");
        }
        return resource;
    }

    private static List<ObjectNode> scan(LocalStack stack, String table) {
        List<ObjectNode> items = new ArrayList<>();
        for (Map<String, AttributeValue> item : stack.clients().dynamoDb().scanPaginator(b -> b.tableName(table))
                .items()) {
            items.add(DynamoJson.item(item));
        }
        items.sort(Comparator.comparing((ObjectNode n) -> n.path("pk").asText(""))
                .thenComparing(n -> n.path("sk").asText("")));
        return items;
    }

    private static List<S3Object> list(LocalStack stack, String bucket, String prefix) {
        List<S3Object> objects = new ArrayList<>();
        stack.clients().s3().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()
                .forEach(objects::add);
        return objects;
    }
}
