package com.edgeinventory.bench.retail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An {@link SdkHttpClient} that never opens a socket: it reads the request body the SDK marshalled and signed (as a
 * real client would copy it to the wire) and answers with canned DynamoDB JSON chosen by {@code X-Amz-Target}:
 * GetItem on the inventory table gets the product item, any other GetItem an empty {@code {}} (no item),
 * TransactWriteItems {@code {}} (committed). Responses carry {@code x-amz-crc32} like DynamoDB's, so the SDK's
 * CRC32 validation runs too. Counts the requests per operation so the benchmark can check the path it measured.
 * Single-threaded use.
 */
public final class StubDynamoHttpClient implements SdkHttpClient {

    private static final String PREFIX = "DynamoDB_20120810.";

    private final Canned product;
    private final Canned empty = new Canned("{}");
    private final byte[] inventoryTableMarker;
    private final byte[] sink = new byte[64 * 1024];
    public long getItems;
    public long transactWrites;
    public long others;

    public StubDynamoHttpClient(String inventoryTable, String productItemJson) {
        this.product = new Canned("{\"Item\":" + productItemJson + "}");
        this.inventoryTableMarker = ("\"" + inventoryTable + "\"").getBytes(StandardCharsets.UTF_8);
    }

    private record Canned(byte[] body, String crc32) {
        Canned(String json) {
            this(json.getBytes(StandardCharsets.UTF_8));
        }

        Canned(byte[] body) {
            this(body, crc(body));
        }

        private static String crc(byte[] body) {
            CRC32 c = new CRC32();
            c.update(body);
            return Long.toString(c.getValue());
        }
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                int length = 0;
                if (request.contentStreamProvider().isPresent()) {
                    try (InputStream in = request.contentStreamProvider().get().newStream()) {
                        for (int n; (n = in.read(sink, length, sink.length - length)) > 0; ) {
                            length += n;
                        }
                    }
                }
                String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
                Canned answer;
                if (target.equals(PREFIX + "GetItem")) {
                    getItems++;
                    answer = contains(sink, length, inventoryTableMarker) ? product : empty;
                } else if (target.equals(PREFIX + "TransactWriteItems")) {
                    transactWrites++;
                    answer = empty;
                } else {
                    others++;
                    answer = empty;
                }
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder().statusCode(200)
                                .putHeader("Content-Type", "application/x-amz-json-1.0")
                                .putHeader("Content-Length", Integer.toString(answer.body().length))
                                .putHeader("x-amz-crc32", answer.crc32())
                                .putHeader("x-amzn-RequestId", "STUB0000000000000000000000000000000000000000000000000")
                                .build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(answer.body())))
                        .build();
            }

            @Override
            public void abort() {}
        };
    }

    private static boolean contains(byte[] data, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public String clientName() {
        return "stub";
    }

    @Override
    public void close() {}
}
