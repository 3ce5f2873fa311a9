package com.edgeinventory.local.trigger.async;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class S3NotificationsTest {

    private static String fixture(String name) throws Exception {
        return Files.readString(Path.of("").toAbsolutePath().getParent().resolve("events").resolve(name));
    }

    @Test
    void namesTheBucketAndTheDecodedKey() throws Exception {
        assertThat(S3Notifications.objectUri(fixture("s3-product-created.json")))
                .isEqualTo("s3://edge-inventory-dev-uploads-123456789012-eu-west-1/products/TR-RUN-42-BLU/product.json");
        assertThat(S3Notifications.objectUri(fixture("s3-misrouted-example-bucket.json")))
                .isEqualTo("s3://example-bucket/test/key");
    }

    @Test
    void anythingElseIsNull() {
        assertThat(S3Notifications.objectUri("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\"}")).isNull();
        assertThat(S3Notifications.objectUri("not json")).isNull();
        assertThat(S3Notifications.objectUri("{\"Records\":[]}")).isNull();
    }

    @Test
    void objectKeyIsUrlDecoded() {
        String body = """
                {"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},
                 "object":{"key":"products/TR+RUN/%C3%A9t%C3%A9.jpg","size":3}}}]}
                """;

        assertThat(S3Notifications.objectKey(body)).isEqualTo("products/TR RUN/été.jpg");
    }

    @Test
    void testEventsAndGarbageHaveNoKey() {
        assertThat(S3Notifications.objectKey("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\"}")).isNull();
        assertThat(S3Notifications.objectKey("{\"Records\":[]}")).isNull();
        assertThat(S3Notifications.objectKey("not json")).isNull();
    }
}
