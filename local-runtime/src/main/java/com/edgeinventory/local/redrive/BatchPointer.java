package com.edgeinventory.local.redrive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.util.Objects;

/**
 * What Lambda sends to a Kinesis event source mapping's OnFailure destination: a pointer to a range of one shard
 * ({@code KinesisBatchInfo}: stream ARN, shard id, first and last sequence number), not the records. Pure.
 */
public record BatchPointer(String streamArn, String shardId, String startSequenceNumber, String endSequenceNumber,
                           int batchSize, String condition) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public BatchPointer {
        Objects.requireNonNull(streamArn);
        Objects.requireNonNull(shardId);
        Objects.requireNonNull(startSequenceNumber);
        Objects.requireNonNull(endSequenceNumber);
    }

    /**
     * Reads an OnFailure record.
     *
     * @throws IllegalArgumentException saying why it is not a Kinesis batch pointer
     */
    public static BatchPointer parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode info = root.get("KinesisBatchInfo");
        if (info == null || !info.isObject()) {
            throw new IllegalArgumentException("no KinesisBatchInfo (not a Kinesis OnFailure record)");
        }
        String arn = text(info, "streamArn");
        if (!arn.matches("arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\\d{12}:stream/[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("KinesisBatchInfo.streamArn '" + arn + "' is not a Kinesis stream ARN");
        }
        String start = sequence(info, "startSequenceNumber");
        String end = sequence(info, "endSequenceNumber");
        if (new BigInteger(start).compareTo(new BigInteger(end)) > 0) {
            throw new IllegalArgumentException("KinesisBatchInfo starts after it ends (" + start + " > " + end + ")");
        }
        String condition = root.path("requestContext").path("condition").asText("");
        return new BatchPointer(arn, text(info, "shardId"), start, end, info.path("batchSize").asInt(0), condition);
    }

    public String streamName() {
        return streamArn.substring(streamArn.indexOf(":stream/") + ":stream/".length());
    }

    public String region() {
        return streamArn.split(":")[3];
    }

    /** Whether a record read from the shard belongs to the range. */
    public boolean contains(String sequenceNumber) {
        BigInteger s = new BigInteger(sequenceNumber);
        return s.compareTo(new BigInteger(startSequenceNumber)) >= 0 && s.compareTo(new BigInteger(endSequenceNumber)) <= 0;
    }

    /** Whether reading can stop: this record is after the range. */
    public boolean isAfter(String sequenceNumber) {
        return new BigInteger(sequenceNumber).compareTo(new BigInteger(endSequenceNumber)) > 0;
    }

    private static String text(JsonNode info, String field) {
        JsonNode v = info.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException("KinesisBatchInfo." + field + " is missing");
        }
        return v.asText();
    }

    private static String sequence(JsonNode info, String field) {
        String s = text(info, field);
        if (!s.matches("\\d{1,128}")) {
            throw new IllegalArgumentException("KinesisBatchInfo." + field + " '" + s + "' is not a sequence number");
        }
        return s;
    }
}
