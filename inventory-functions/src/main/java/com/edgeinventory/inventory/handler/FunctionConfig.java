package com.edgeinventory.inventory.handler;

import com.edgeinventory.inventory.adapter.AwsClients;
import com.edgeinventory.inventory.adapter.SqsFailureDestination;
import com.edgeinventory.inventory.service.FailureDestination;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The upload functions' settings, read once from the environment that template.yaml declares.
 *
 * @param uploadBucket    the bucket whose events the function serves (others are refused) and warms up at init
 * @param failureQueueUrl {@code UPLOAD_DLQ_URL}, the on-failure queue that refused events go to at once
 */
record FunctionConfig(String inventoryTable, Optional<String> uploadBucket, long maxImageBytes,
                      List<Integer> thumbnailSizes, Optional<String> failureQueueUrl) {

    FunctionConfig(String inventoryTable, Optional<String> uploadBucket, long maxImageBytes,
                   List<Integer> thumbnailSizes) {
        this(inventoryTable, uploadBucket, maxImageBytes, thumbnailSizes, Optional.empty());
    }

    /** The bucket this function serves, and the on-failure queue for the events of any other. */
    UploadRouting routing() {
        FailureDestination refused = failureQueueUrl
                .<FailureDestination>map(url -> new SqsFailureDestination(AwsClients::sqs, url,
                        System.getenv("AWS_LAMBDA_FUNCTION_NAME")))
                .orElse((payload, type, message) -> {
                    throw new IllegalStateException(message + "; UPLOAD_DLQ_URL is not set, so the event fails and "
                            + "Lambda's retries take it to the on-failure destination");
                });
        return new UploadRouting(uploadBucket, refused);
    }

    static final long DEFAULT_MAX_IMAGE_BYTES = 40L * 1024 * 1024;
    static final String DEFAULT_THUMBNAIL_SIZES = "128,512";

    static FunctionConfig from(Map<String, String> env) {
        String table = env.get("INVENTORY_TABLE");
        if (table == null || table.isBlank()) {
            throw new IllegalStateException("INVENTORY_TABLE is not set; template.yaml declares it for every upload function");
        }
        long maxBytes;
        try {
            maxBytes = Long.parseLong(env.getOrDefault("MAX_IMAGE_BYTES", Long.toString(DEFAULT_MAX_IMAGE_BYTES)));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("MAX_IMAGE_BYTES must be a number of bytes, got " + env.get("MAX_IMAGE_BYTES"));
        }
        List<Integer> sizes;
        try {
            sizes = Arrays.stream(env.getOrDefault("THUMBNAIL_SIZES", DEFAULT_THUMBNAIL_SIZES).split(","))
                    .map(String::strip)
                    .map(Integer::valueOf)
                    .toList();
        } catch (NumberFormatException e) {
            throw new IllegalStateException("THUMBNAIL_SIZES must be comma-separated pixel sizes, got "
                    + env.get("THUMBNAIL_SIZES"));
        }
        Optional<String> bucket = Optional.ofNullable(env.get("UPLOAD_BUCKET")).filter(b -> !b.isBlank());
        Optional<String> dlq = Optional.ofNullable(env.get("UPLOAD_DLQ_URL")).filter(b -> !b.isBlank());
        return new FunctionConfig(table, bucket, maxBytes, sizes, dlq);
    }
}
