package com.edgeinventory.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.edgeinventory.local.provision.StackResources;

import software.amazon.awssdk.core.sync.RequestBody;

@ExtendWith(LocalAwsExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalAwsExtensionIT {

    private static StackResources stack;
    private final LocalAws constructorAws;

    LocalAwsExtensionIT(LocalAws aws) {
        this.constructorAws = aws;
    }

    @BeforeAll
    static void provision(LocalAws aws) {
        stack = aws.provision(Map.of("Stage", "harness"));
    }

    @Test
    @Order(1)
    void injectsOneSharedLocalAwsEverywhere(LocalAws aws) {
        assertThat(aws).isSameAs(constructorAws);
        assertThat(aws.endpoint().toString()).startsWith("http://127.0.0.1:");
        assertThat(aws.region()).isEqualTo("eu-west-1");
        assertThat(aws.repoRoot().resolve("template.yaml")).exists();
        assertThat(aws.dynamoDb()).isSameAs(aws.dynamoDb());
        assertThat(aws.sqs().listQueues(b -> b.queueNamePrefix("left-behind")).queueUrls())
                .as("the endpoint is reset before each test class").isEmpty();
    }

    @Test
    @Order(2)
    void provisionsTheRepositoryTemplate(LocalAws aws) {
        String table = stack.physicalId("InventoryTable");

        assertThat(table).isEqualTo("edge-inventory-harness-inventory");
        assertThat(aws.dynamoDb().describeTable(b -> b.tableName(table)).table().latestStreamArn())
                .isEqualTo(stack.streamArn("InventoryTable"));
        assertThat(aws.dynamoDbStreams().describeStream(b -> b.streamArn(stack.streamArn("InventoryTable")))
                .streamDescription().tableName()).isEqualTo(table);
        assertThat(stack.queueUrl("UploadDeadLetterQueue")).startsWith(aws.endpoint().toString());
    }

    @Test
    @Order(3)
    void clientsWorkAgainstTheEndpoint(LocalAws aws) {
        String bucket = stack.physicalId("UploadBucket");
        aws.s3().putObject(b -> b.bucket(bucket).key("derived/x.txt"), RequestBody.fromString("hello"));
        aws.kinesis().createStream(b -> b.streamName("harness-stream").shardCount(1));

        assertThat(aws.s3().listObjectsV2(b -> b.bucket(bucket)).contents()).extracting(o -> o.key())
                .containsExactly("derived/x.txt");
        assertThat(aws.kinesis().listStreams().streamNames()).contains("harness-stream");
        assertThat(aws.sqs().listQueues().queueUrls()).contains(stack.queueUrl("UploadDeadLetterQueue"));
    }

    @Test
    @Order(4)
    void provisionsInAnotherRegion(LocalAws aws) {
        StackResources other = aws.provision("us-east-1", Map.of("Stage", "harness"));

        assertThat(other.physicalId("UploadBucket")).isEqualTo("edge-inventory-harness-uploads-123456789012-us-east-1");
        assertThat(aws.clients("us-east-1").dynamoDb().listTables().tableNames())
                .contains("edge-inventory-harness-inventory");
    }
}
