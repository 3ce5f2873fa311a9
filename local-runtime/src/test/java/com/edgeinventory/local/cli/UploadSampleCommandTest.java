package com.edgeinventory.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UploadSampleCommandTest {

    @Test
    void objectKeyIsUrlDecoded() {
        String body = """
                {"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},
                 "object":{"key":"products/TR+RUN/%C3%A9t%C3%A9.jpg","size":3}}}]}
                """;

        assertThat(UploadSampleCommand.objectKey(body)).isEqualTo("products/TR RUN/été.jpg");
    }

    @Test
    void testEventsAndGarbageHaveNoKey() {
        assertThat(UploadSampleCommand.objectKey("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\"}")).isNull();
        assertThat(UploadSampleCommand.objectKey("{\"Records\":[]}")).isNull();
        assertThat(UploadSampleCommand.objectKey("not json")).isNull();
    }

    @Test
    void contentTypesByExtension() {
        assertThat(UploadSampleCommand.contentType("products/a/product.json")).isEqualTo("application/json");
        assertThat(UploadSampleCommand.contentType("stock/2025.jsonl")).isEqualTo("application/x-ndjson");
        assertThat(UploadSampleCommand.contentType("products/a/1.JPG")).isEqualTo("image/jpeg");
        assertThat(UploadSampleCommand.contentType("products/a/1.png")).isEqualTo("image/png");
        assertThat(UploadSampleCommand.contentType("x.bin")).isEqualTo("application/octet-stream");
    }
}
