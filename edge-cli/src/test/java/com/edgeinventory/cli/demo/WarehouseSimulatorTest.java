package com.edgeinventory.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

class WarehouseSimulatorTest {

    /** Records puts; fails the keys it is told to. */
    private static final class RecordingS3 implements S3Client {
        record Put(String bucket, String key, String contentType, byte[] bytes, Instant at) {
        }

        final List<Put> puts = new ArrayList<>();
        String failKey = "";

        @Override
        public synchronized PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
            if (request.key().equals(failKey)) {
                throw (S3Exception) S3Exception.builder().statusCode(503).message("slow down").build();
            }
            try (InputStream in = body.contentStreamProvider().newStream()) {
                puts.add(new Put(request.bucket(), request.key(), request.contentType(), in.readAllBytes(),
                        Instant.now()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return PutObjectResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void uploadsProductsThenImagesThenRestocksSpreadOverTheTime() {
        Catalog catalog = Catalog.generate("eu-west-1", 4, 3, 11);
        RecordingS3 s3 = new RecordingS3();
        WarehouseSimulator warehouse = new WarehouseSimulator(s3, "uploads-eu", catalog);

        Instant start = Instant.now();
        warehouse.run(start.plusMillis(800));

        List<String> keys = s3.puts.stream().map(RecordingS3.Put::key).toList();
        List<String> expected = new ArrayList<>();
        catalog.products().forEach(p -> expected.add(p.key()));
        catalog.products().forEach(p -> expected.add(p.imageKey()));
        catalog.restocks().forEach(f -> expected.add(f.key()));
        assertThat(keys).isEqualTo(expected);
        assertThat(s3.puts).allMatch(p -> p.bucket().equals("uploads-eu"));
        assertThat(s3.puts.get(0).bytes()).isEqualTo(catalog.products().get(0).json());
        assertThat(s3.puts.get(4).contentType()).isEqualTo("image/jpeg");
        // restocks: the first after about a quarter of the time, not with the products
        assertThat(Duration.between(start, s3.puts.get(8).at())).isGreaterThan(Duration.ofMillis(100));
        assertThat(warehouse.counts()).isEqualTo(new WarehouseSimulator.Counts(4, 4, 3, Map.of()));
    }

    @Test
    void failedUploadsAreCountedByKind() {
        Catalog catalog = Catalog.generate("eu-west-1", 2, 0, 11);
        RecordingS3 s3 = new RecordingS3();
        s3.failKey = catalog.products().get(1).key();
        WarehouseSimulator warehouse = new WarehouseSimulator(s3, "b", catalog);

        warehouse.uploadProducts();

        assertThat(warehouse.counts()).isEqualTo(new WarehouseSimulator.Counts(1, 2, 0, Map.of("s3 S3Exception", 1L)));
    }
}
