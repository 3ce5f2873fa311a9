package com.edgeinventory.cli.command;

import com.edgeinventory.local.system.SampleUploads;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UploadSampleCommandTest {

    @Test
    void contentTypesByExtension() {
        assertThat(SampleUploads.contentType("products/a/product.json")).isEqualTo("application/json");
        assertThat(SampleUploads.contentType("stock/2025.jsonl")).isEqualTo("application/x-ndjson");
        assertThat(SampleUploads.contentType("products/a/1.JPG")).isEqualTo("image/jpeg");
        assertThat(SampleUploads.contentType("products/a/1.png")).isEqualTo("image/png");
        assertThat(SampleUploads.contentType("x.bin")).isEqualTo("application/octet-stream");
    }
}
