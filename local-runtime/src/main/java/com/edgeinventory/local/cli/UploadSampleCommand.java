package com.edgeinventory.local.cli;

import java.io.IOException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.edgeinventory.local.events.S3Sequencers;
import com.edgeinventory.local.LocalRuntimeException;
import com.edgeinventory.local.events.S3Notifications;
import com.edgeinventory.local.invoke.EnvVarsOverrides;
import com.edgeinventory.local.invoke.FunctionIdentities;
import com.edgeinventory.local.invoke.InvokeOutcome;
import com.edgeinventory.local.invoke.InvokeResult;
import com.edgeinventory.local.invoke.LocalInvoker;
import com.edgeinventory.local.provision.NotificationQueues;
import com.edgeinventory.local.template.EventSource;
import com.edgeinventory.local.template.FunctionDef;
import com.edgeinventory.local.template.ResolvedResource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.model.Message;

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

    static final String BUCKET = "UploadBucket";
    static final String TABLE = "InventoryTable";
    private static final int MAX_ROUNDS = 20;

    /** A notification message and the function whose queue it came from. */
    private record Delivery(FunctionDef function, String queueUrl, Message message, String key) {
    }

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
        List<Path> files = sampleFiles(samples);
        LocalInvoker invoker = LocalInvoker.create(templateFile.getParent(), context.err());
        try (LocalStack stack = LocalStack.open(templateFile, context.resolveOptions(args), args.endpoint(), true,
                context::progress); FunctionIdentities identities = new FunctionIdentities()) {
            ResolvedResource bucket = requireResource(stack, BUCKET, ResolvedResource.BUCKET);
            ResolvedResource table = requireResource(stack, TABLE, ResolvedResource.TABLE);
            for (FunctionDef function : stack.template().functions()) {
                if (!function.s3Events().isEmpty() && !Files.exists(function.codeUri())) {
                    throw new LocalRuntimeException("Function code not found: " + function.codeUri() + " (CodeUri of "
                            + function.logicalId() + "). Build it with: ./mvnw package -DskipTests");
                }
            }
            List<String> keys = upload(stack, bucket.physicalId(), samples, files, context);
            FunctionInvoker functions = new FunctionInvoker(stack, overrides, invoker, identities, context.err());
            int[] counts = deliverNotifications(stack, functions, keys, context);
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

    static List<Path> sampleFiles(Path samples) {
        if (!Files.isDirectory(samples)) {
            throw new LocalRuntimeException("No sample directory " + samples + "; put the warehouse sample files "
                    + "there (e.g. products/<sku>/product.json)");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(samples)) {
            files = walk.filter(Files::isRegularFile).sorted(Comparator.comparing(p -> key(samples, p))).toList();
        } catch (IOException e) {
            throw new LocalRuntimeException("Cannot read " + samples + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new LocalRuntimeException("No sample files under " + samples);
        }
        return files;
    }

    private static String key(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    static List<String> upload(LocalStack stack, String bucket, Path samples, List<Path> files,
                                       CliContext context) {
        List<String> keys = new ArrayList<>();
        for (Path file : files) {
            String key = key(samples, file);
            stack.clients().s3().putObject(b -> b.bucket(bucket).key(key).contentType(contentType(key)),
                    RequestBody.fromFile(file));
            context.progress("uploaded s3://" + bucket + "/" + key);
            keys.add(key);
        }
        return keys;
    }

    static String contentType(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json")) {
            return "application/json";
        }
        if (lower.endsWith(".jsonl")) {
            return "application/x-ndjson";
        }
        if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (lower.endsWith(".png")) {
            return "image/png";
        }
        if (lower.endsWith(".csv")) {
            return "text/csv";
        }
        return "application/octet-stream";
    }

    /** Drains the notification queues round by round until they stay empty; returns {invocations, failures}. */
    static int[] deliverNotifications(LocalStack stack, FunctionInvoker functions, List<String> uploadOrder,
                                              CliContext context) {
        int invocations = 0;
        int failures = 0;
        for (int round = 1; ; round++) {
            List<Delivery> deliveries = receiveAll(stack);
            if (deliveries.isEmpty()) {
                break;
            }
            if (round > MAX_ROUNDS) {
                context.progress("stopping after " + MAX_ROUNDS + " rounds of notifications; "
                        + deliveries.size() + " left (do the functions keep writing keys they are triggered by?)");
                break;
            }
            deliveries.sort(Comparator.comparingInt(d -> {
                int index = uploadOrder.indexOf(d.key());
                return index < 0 ? Integer.MAX_VALUE : index;
            }));
            for (Delivery delivery : deliveries) {
                stack.clients().sqs().deleteMessage(b -> b.queueUrl(delivery.queueUrl())
                        .receiptHandle(delivery.message().receiptHandle()));
                if (delivery.key() == null) {
                    continue;
                }
                context.progress("s3://" + delivery.key() + " -> " + delivery.function().logicalId());
                InvokeResult result = functions.invoke(delivery.function(),
                        S3Sequencers.fillMissing(delivery.message().body()));
                invocations++;
                if (!(result.outcome() instanceof InvokeOutcome.Success s)) {
                    failures++;
                    InvokeCommand.report(result, new CliContext(context.err(), context.err(), context.cwd(),
                            context.environment(), context.repoRoot()));
                } else {
                    context.progress(delivery.function().logicalId() + " returned " + s.responseJson());
                }
            }
        }
        return new int[] {invocations, failures};
    }

    private static List<Delivery> receiveAll(LocalStack stack) {
        List<Delivery> deliveries = new ArrayList<>();
        for (FunctionDef function : stack.template().functions()) {
            for (EventSource.S3 event : function.s3Events()) {
                String url = stack.resources().queueUrl(NotificationQueues.logicalId(function, event));
                while (true) {
                    List<Message> messages = stack.clients().sqs().receiveMessage(b -> b.queueUrl(url)
                            .maxNumberOfMessages(10).waitTimeSeconds(0).visibilityTimeout(600)).messages();
                    if (messages.isEmpty()) {
                        break;
                    }
                    for (Message message : messages) {
                        deliveries.add(new Delivery(function, url, message,
                                S3Notifications.objectKey(message.body())));
                    }
                }
            }
        }
        return deliveries;
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
