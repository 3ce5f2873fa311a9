package com.edgeinventory.local.trigger.async;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reading S3 event notifications as moto delivers them to their SQS queues. */
public final class S3Notifications {

    private static final ObjectMapper JSON = new ObjectMapper();

    private S3Notifications() {
    }

    /** The bucket and URL-decoded key of a notification's first record. */
    private record S3Object(String bucket, String key) {
    }

    /**
     * The URL-decoded key of the notification's first record; null when the body is not an S3 event (e.g.
     * s3:TestEvent).
     */
    public static String objectKey(String body) {
        S3Object object = firstObject(body);
        return object == null ? null : object.key();
    }

    /**
     * {@code s3://bucket/key} (key URL-decoded) of the notification's first record, naming the object an
     * invocation is about in the local stack's log; null when the body is not an S3 event.
     */
    public static String objectUri(String body) {
        S3Object object = firstObject(body);
        return object == null ? null : "s3://" + object.bucket() + "/" + object.key();
    }

    private static S3Object firstObject(String body) {
        try {
            JsonNode records = JSON.readTree(body).path("Records");
            if (!records.isArray() || records.isEmpty()) {
                return null;
            }
            JsonNode s3 = records.get(0).path("s3");
            String key = s3.path("object").path("key").asText(null);
            return key == null ? null : new S3Object(s3.path("bucket").path("name").asText(""),
                    URLDecoder.decode(key, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
