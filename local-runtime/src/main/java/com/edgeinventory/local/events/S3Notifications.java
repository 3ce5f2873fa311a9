package com.edgeinventory.local.events;

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

    /**
     * {@code s3://bucket/key} (key URL-decoded) of the notification's first record, naming the object an
     * invocation is about in the local stack's log; null when the body is not an S3 event (e.g. s3:TestEvent).
     */
    public static String objectUri(String body) {
        try {
            JsonNode records = JSON.readTree(body).path("Records");
            if (!records.isArray() || records.isEmpty()) {
                return null;
            }
            JsonNode s3 = records.get(0).path("s3");
            String key = s3.path("object").path("key").asText(null);
            String bucket = s3.path("bucket").path("name").asText("");
            return key == null ? null : "s3://" + bucket + "/" + URLDecoder.decode(key, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
