package com.edgeinventory.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.edgeinventory.local.moto.MotoServer;
import com.edgeinventory.local.testing.HandlerBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code upload-sample} end to end with a handler that uses the AWS SDK against the local endpoint: it writes an
 * item per product.json, a derived/ object, and moves keys containing "bad" to rejected/.
 */
class UploadSampleCommandIT {

    private static final String HANDLER = """
            package it;

            import java.net.URLDecoder;
            import java.nio.charset.StandardCharsets;
            import java.util.List;
            import java.util.Map;
            import software.amazon.awssdk.core.sync.RequestBody;
            import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
            import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
            import software.amazon.awssdk.services.s3.S3Client;

            public class Upload {
                private final DynamoDbClient dynamo = DynamoDbClient.create();
                private final S3Client s3 = S3Client.builder().forcePathStyle(true).build();

                @SuppressWarnings("unchecked")
                public String handle(Map<String, Object> event) {
                    int count = 0;
                    for (Object r : (List<Object>) event.get("Records")) {
                        Map<String, Object> s3Part = (Map<String, Object>) ((Map<String, Object>) r).get("s3");
                        String bucket = (String) ((Map<String, Object>) s3Part.get("bucket")).get("name");
                        String key = URLDecoder.decode((String) ((Map<String, Object>) s3Part.get("object"))
                                .get("key"), StandardCharsets.UTF_8);
                        if (key.contains("bad")) {
                            s3.putObject(b -> b.bucket(bucket).key("rejected/" + key), RequestBody.fromString("x"));
                            continue;
                        }
                        dynamo.putItem(b -> b.tableName(System.getenv("INVENTORY_TABLE")).item(Map.of(
                                "pk", AttributeValue.fromS(key), "sk", AttributeValue.fromS("PRODUCT"),
                                "qty", AttributeValue.fromN("3"))));
                        s3.putObject(b -> b.bucket(bucket).key("derived/" + key + ".txt"),
                                RequestBody.fromString("derived"));
                        count++;
                    }
                    return "processed " + count;
                }
            }
            """;

    private static final String TEMPLATE = """
            Resources:
              UploadBucket:
                Type: AWS::S3::Bucket
                Properties: {BucketName: samples-it}
              InventoryTable:
                Type: AWS::DynamoDB::Table
                Properties:
                  TableName: inventory-it
                  BillingMode: PAY_PER_REQUEST
                  AttributeDefinitions:
                    - {AttributeName: pk, AttributeType: S}
                    - {AttributeName: sk, AttributeType: S}
                  KeySchema:
                    - {AttributeName: pk, KeyType: HASH}
                    - {AttributeName: sk, KeyType: RANGE}
              UploadFunction:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: function
                  Handler: it.Upload::handle
                  Runtime: java25
                  Timeout: 60
                  MemorySize: 512
                  Environment:
                    Variables:
                      INVENTORY_TABLE: !Ref InventoryTable
                  Events:
                    ProductJson:
                      Type: S3
                      Properties:
                        Bucket: !Ref UploadBucket
                        Events: s3:ObjectCreated:*
                        Filter:
                          S3Key:
                            Rules:
                              - {Name: prefix, Value: products/}
                              - {Name: suffix, Value: .json}
            """;

    @TempDir
    static Path dir;
    private static MotoServer moto;

    @BeforeAll
    static void setUp() throws IOException {
        Path function = dir.resolve("function");
        HandlerBuilder.compile(Map.of("it.Upload", HANDLER), function);
        Path lib = Files.createDirectories(function.resolve("lib"));
        Path sdkLib = Path.of(System.getProperty("user.dir"), "target", "lib");
        try (Stream<Path> jars = Files.list(sdkLib)) {
            for (Path jar : jars.toList()) {
                Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        }
        Files.writeString(dir.resolve("template.yaml"), TEMPLATE);
        write("events/sample/products/TR-RUN-42-BLU/product.json", "{\"sku\": \"TR-RUN-42-BLU\"}");
        write("events/sample/products/bad-one/product.json", "{}");
        write("events/sample/products/TR-RUN-42-BLU/images/front.jpg", "not really a jpeg");
        write("events/sample/stock/restock.jsonl", "{}\n");
        moto = MotoServer.start();
    }

    private static void write(String relative, String content) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @AfterAll
    static void tearDown() {
        moto.close();
    }

    @Test
    void uploadsSamplesRunsTheTriggeredFunctionsAndReportsTheResult() throws Exception {
        CliRunner.Run run = CliRunner.run(dir, List.of("upload-sample", "--endpoint", moto.endpoint().toString()));

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertThat(doc.get("items")).hasSize(1);
        assertThat(doc.at("/items/0/pk").asText()).isEqualTo("products/TR-RUN-42-BLU/product.json");
        assertThat(doc.at("/items/0/qty").asInt()).isEqualTo(3);
        assertThat(doc.get("derived")).hasSize(1);
        assertThat(doc.at("/derived/0/key").asText()).isEqualTo("derived/products/TR-RUN-42-BLU/product.json.txt");
        assertThat(doc.at("/derived/0/size").asInt()).isEqualTo(7);
        assertThat(doc.get("rejected")).hasSize(1);
        assertThat(doc.at("/rejected/0").asText()).isEqualTo("rejected/products/bad-one/product.json");
        assertThat(run.err())
                .contains("uploaded s3://samples-it/stock/restock.jsonl")
                .contains("uploaded s3://samples-it/products/TR-RUN-42-BLU/images/front.jpg")
                .contains("s3://products/TR-RUN-42-BLU/product.json -> UploadFunction")
                .contains("uploaded 4 files; 2 invocations, 0 failed; 1 items in inventory-it, 1 derived objects, "
                        + "1 rejected");
    }
}
