package com.edgeinventory.local.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import com.edgeinventory.local.LocalRuntimeException;
import com.edgeinventory.local.provision.NotificationQueues;
import com.edgeinventory.local.events.S3Notifications;
import com.edgeinventory.local.events.S3Sequencers;
import com.edgeinventory.local.invoke.InvokeOutcome;
import com.edgeinventory.local.invoke.InvokeResult;
import com.edgeinventory.local.template.EventSource;
import com.edgeinventory.local.template.FunctionDef;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The warehouse sample files (events/sample/) put into a region's upload bucket as a warehouse would: one object
 * per file, keyed by its path under the sample directory, in key order, with its content type. Used by
 * upload-sample, central-sample and the demo; and their S3 notifications delivered to the functions.
 */
final class SampleUploads {

    /** The template's logical id of the upload bucket. */
    static final String BUCKET = "UploadBucket";

    private SampleUploads() {
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

    static String key(Path root, Path file) {
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

    private static final int MAX_ROUNDS = 20;

    private record Delivery(FunctionDef function, String queueUrl, Message message, String key) {
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
                    InvocationReport.print(result, new CliContext(context.err(), context.err(), context.cwd(),
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
}
