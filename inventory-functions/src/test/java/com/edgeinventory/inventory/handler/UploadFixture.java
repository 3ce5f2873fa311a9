package com.edgeinventory.inventory.handler;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.edgeinventory.inventory.store.InventoryTable;
import com.edgeinventory.inventory.adapter.S3UploadBucket;
import com.edgeinventory.local.provision.StackResources;
import com.edgeinventory.testing.LocalAws;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The upload path against a local AWS endpoint: the template's bucket and inventory table, provisioned
 * from template.yaml, plus helpers to upload objects and build the S3 events that announce them.
 */
final class UploadFixture {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T08:00:00Z"), ZoneOffset.UTC);

    final LocalAws aws;
    final String bucket;
    final String table;
    final InventoryTable inventory;
    final S3UploadBucket uploads;

    UploadFixture(LocalAws aws) {
        this.aws = aws;
        StackResources stack = aws.provision(Map.of());
        this.bucket = stack.physicalId("UploadBucket");
        this.table = stack.physicalId("InventoryTable");
        this.inventory = new InventoryTable(aws.dynamoDb(), table);
        this.uploads = new S3UploadBucket(aws.s3());
    }

    void put(String key, byte[] content) {
        aws.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    void put(String key, String content) {
        put(key, content.getBytes(StandardCharsets.UTF_8));
    }

    void delete(String key) {
        aws.s3().deleteObject(b -> b.bucket(bucket).key(key));
    }

    Optional<byte[]> get(String key) {
        try {
            return Optional.of(aws.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    String text(String key) {
        return new String(get(key).orElseThrow(() -> new AssertionError("no object " + key)), StandardCharsets.UTF_8);
    }

    List<String> keys(String prefix) {
        return aws.s3().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    Optional<Map<String, AttributeValue>> item(String sku) {
        return inventory.getProductItem(sku);
    }

    long number(String sku, String attribute) {
        return Long.parseLong(item(sku).orElseThrow().get(attribute).n());
    }

    /** Every item in the table: tests use it to prove that nothing at all was written. */
    List<Map<String, AttributeValue>> allItems() {
        return aws.dynamoDb().scanPaginator(b -> b.tableName(table)).items().stream().toList();
    }

    /** Uploads a file from events/sample/ under the same relative key. */
    void putSample(String key) {
        put(key, sample(key));
    }

    static byte[] sample(String key) {
        try (InputStream in = UploadFixture.class.getResourceAsStream("/sample/" + key)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample file events/sample/" + key);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture event from events/, as the handler tests and bin/edge-inventory invoke both use it. */
    static S3Event event(String fixture) {
        return EventLoader.loadS3Event(fixture);
    }

    /** An S3 event like the fixture's, for another key, sequencer and event name. */
    S3Event event(String eventName, String key, String sequencer) {
        String json = """
                {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"eu-west-1",
                 "eventTime":"2026-11-27T08:00:00.000Z","eventName":"%s",
                 "s3":{"s3SchemaVersion":"1.0","configurationId":"test",
                   "bucket":{"name":"%s","arn":"arn:aws:s3:::%s"},
                   "object":{"key":"%s","size":1,"sequencer":"%s"}}}]}
                """.formatted(eventName, bucket, bucket, key, sequencer);
        try {
            Path file = Files.createTempFile("s3-event", ".json");
            Files.writeString(file, json);
            try {
                return EventLoader.loadS3Event(file.toString());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
