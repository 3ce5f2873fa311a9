package com.edgeinventory.local.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.edgeinventory.local.LocalRuntimeException;
import com.edgeinventory.local.provision.LocalStack;
import com.edgeinventory.local.trigger.async.S3NotificationQueue;
import com.edgeinventory.local.invoke.InvokeOutcome;
import com.edgeinventory.local.invoke.InvokeResult;
import com.edgeinventory.local.template.FunctionDef;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The warehouse sample files (events/sample/) put into a region's upload bucket as a warehouse would: one object
 * per file, keyed by its path under the sample directory, in key order, with its content type. Used by
 * upload-sample, central-sample and the demo; and their S3 notifications delivered to the functions.
 */
public final class SampleUploads {

    /** The template's logical id of the upload bucket. */
    public static final String BUCKET = "UploadBucket";

    private SampleUploads() {
    }

    public static List<Path> sampleFiles(Path samples) {
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

    public static String key(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    public static List<String> upload(LocalStack stack, String bucket, Path samples, List<Path> files,
                                       Progress progress) {
        List<String> keys = new ArrayList<>();
        for (Path file : files) {
            String key = key(samples, file);
            stack.clients().s3().putObject(b -> b.bucket(bucket).key(key).contentType(contentType(key)),
                    RequestBody.fromFile(file));
            progress.accept("uploaded s3://" + bucket + "/" + key);
            keys.add(key);
        }
        return keys;
    }

    public static String contentType(String key) {
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

    /**
     * Drains the notification queues round by round until they stay empty, delivering each round's notifications
     * one by one in upload order; returns {invocations, failures}.
     *
     * @param failed gets the result of each invocation that did not succeed
     */
    public static int[] deliverNotifications(LocalStack stack, FunctionInvoker functions, List<String> uploadOrder,
                                             Progress progress, Consumer<InvokeResult> failed) {
        int invocations = 0;
        int failures = 0;
        SqsClient sqs = stack.clients().sqs();
        for (int round = 1; ; round++) {
            List<S3NotificationQueue.Notification> deliveries = receiveAll(stack);
            if (deliveries.isEmpty()) {
                break;
            }
            if (round > MAX_ROUNDS) {
                progress.accept("stopping after " + MAX_ROUNDS + " rounds of notifications; "
                        + deliveries.size() + " left (do the functions keep writing keys they are triggered by?)");
                break;
            }
            deliveries.sort(Comparator.comparingInt(d -> {
                int index = uploadOrder.indexOf(d.objectKey());
                return index < 0 ? Integer.MAX_VALUE : index;
            }));
            for (S3NotificationQueue.Notification delivery : deliveries) {
                delivery.queue().delete(sqs, delivery);
                if (delivery.objectKey() == null) {
                    continue;
                }
                FunctionDef function = delivery.queue().function();
                progress.accept("s3://" + delivery.objectKey() + " -> " + function.logicalId());
                InvokeResult result = functions.invoke(function, delivery.event());
                invocations++;
                if (!(result.outcome() instanceof InvokeOutcome.Success s)) {
                    failures++;
                    failed.accept(result);
                } else {
                    progress.accept(function.logicalId() + " returned " + s.responseJson());
                }
            }
        }
        return new int[] {invocations, failures};
    }

    private static List<S3NotificationQueue.Notification> receiveAll(LocalStack stack) {
        List<S3NotificationQueue.Notification> deliveries = new ArrayList<>();
        for (S3NotificationQueue queue : S3NotificationQueue.of(stack)) {
            while (true) {
                List<S3NotificationQueue.Notification> received = queue.receive(stack.clients().sqs(), 600);
                if (received.isEmpty()) {
                    break;
                }
                deliveries.addAll(received);
            }
        }
        return deliveries;
    }
}
