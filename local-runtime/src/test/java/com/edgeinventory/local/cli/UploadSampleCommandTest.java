package com.edgeinventory.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UploadSampleCommandTest {

    @Test
    void contentTypesByExtension() {
        assertThat(UploadSampleCommand.contentType("products/a/product.json")).isEqualTo("application/json");
        assertThat(UploadSampleCommand.contentType("stock/2025.jsonl")).isEqualTo("application/x-ndjson");
        assertThat(UploadSampleCommand.contentType("products/a/1.JPG")).isEqualTo("image/jpeg");
        assertThat(UploadSampleCommand.contentType("products/a/1.png")).isEqualTo("image/png");
        assertThat(UploadSampleCommand.contentType("x.bin")).isEqualTo("application/octet-stream");
    }
}
