package com.edgeinventory.local.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.moto.MotoServer;
import com.edgeinventory.local.template.CfnYaml;
import com.edgeinventory.local.template.ResolveOptions;
import com.edgeinventory.local.template.ResolvedTemplate;
import com.edgeinventory.local.template.TemplateResolver;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class ProvisionerIT {

    private static final Path TEMPLATE = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir")));
    private static MotoServer moto;
    private static AwsClients clients;
    private final List<String> progress = new ArrayList<>();

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
        clients = new AwsClients(moto.endpoint(), "eu-west-1");
    }

    @AfterAll
    static void stopMoto() {
        clients.close();
        moto.close();
    }

    @BeforeEach
    void reset() {
        moto.reset();
    }

    private ResolvedTemplate repoTemplate() {
        return TemplateResolver.resolve(TEMPLATE, ResolveOptions.defaults().withEndpoint(moto.endpoint()));
    }

    private StackResources provision(ResolvedTemplate template) {
        return new Provisioner(clients, progress::add).provisionStack(template);
    }

    @Test
    void provisionsTheRepositoryTemplate() {
        StackResources stack = provision(repoTemplate());

        TableDescription table = clients.dynamoDb().describeTable(b -> b.tableName("edge-inventory-dev-inventory"))
                .table();
        assertThat(table.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyTypeAsString())
                .containsExactly("pk:HASH", "sk:RANGE");
        assertThat(table.globalSecondaryIndexes()).extracting(i -> i.indexName())
                .containsExactlyInAnyOrder("byCategory", "byStyle");
        assertThat(table.streamSpecification().streamViewTypeAsString()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(stack.streamArn("InventoryTable")).isEqualTo(table.latestStreamArn());
        assertThat(stack.arn("InventoryTable")).isEqualTo(table.tableArn());
        assertThat(clients.s3().listBuckets().buckets()).extracting(b -> b.name())
                .containsExactly("edge-inventory-dev-uploads-123456789012-eu-west-1");
        String dlq = stack.queueUrl("UploadDeadLetterQueue");
        assertThat(clients.sqs().getQueueAttributes(b -> b.queueUrl(dlq)
                .attributeNames(QueueAttributeName.MESSAGE_RETENTION_PERIOD)).attributesAsStrings())
                .containsEntry("MessageRetentionPeriod", "1209600");
        assertThat(stack.all()).extracting(ProvisionedResource::logicalId)
                .contains("UploadBucket", "InventoryTable", "UploadDeadLetterQueue",
                        "ProductUploadFunctionProductJsonQueue", "StockAdjustmentFunctionStockFileQueue");
        assertThat(stack.get("ProductUploadFunctionProductJsonQueue").physicalId())
                .isEqualTo("edge-inventory-ProductUploadFunction-ProductJson");
    }

    @Test
    void bucketNotificationsReachOnlyTheMatchingQueue() {
        StackResources stack = provision(repoTemplate());
        String bucket = stack.physicalId("UploadBucket");

        var config = clients.s3().getBucketNotificationConfiguration(b -> b.bucket(bucket));
        assertThat(config.queueConfigurations()).extracting(c -> c.id()).containsExactlyInAnyOrder(
                "ProductUploadFunction-ProductJson", "ProductUploadFunction-ImageJpg",
                "ProductUploadFunction-ImageJpeg", "ProductUploadFunction-ImagePng",
                "StockAdjustmentFunction-StockFile");
        String productQueue = stack.queueUrl("ProductUploadFunctionProductJsonQueue");
        drain(productQueue);

        clients.s3().putObject(b -> b.bucket(bucket).key("products/TR-1/product.json"), RequestBody.fromString("{}"));
        clients.s3().putObject(b -> b.bucket(bucket).key("derived/products/TR-1/product.json"),
                RequestBody.fromString("{}"));

        List<Message> messages = drain(productQueue);
        // moto URL-encodes the whole key ("/" too); handlers decode it as they must for real S3.
        assertThat(messages).singleElement().satisfies(m -> assertThat(URLDecoder.decode(m.body(),
                StandardCharsets.UTF_8)).contains("\"key\": \"products/TR-1/product.json\"")
                .contains("ObjectCreated:Put").contains("\"configurationId\": \"ProductUploadFunction-ProductJson\""));
        assertThat(drain(stack.queueUrl("ProductUploadFunctionImageJpgQueue"))).isEmpty();
        assertThat(drain(stack.queueUrl("StockAdjustmentFunctionStockFileQueue"))).isEmpty();
    }

    @Test
    void provisioningTwiceChangesNothing() {
        List<ProvisionedResource> first = new Provisioner(clients, progress::add).provision(repoTemplate());
        List<ProvisionedResource> second = new Provisioner(clients, progress::add).provision(repoTemplate());

        assertThat(second).isEqualTo(first);
        assertThat(progress).contains("table edge-inventory-dev-inventory exists",
                "bucket edge-inventory-dev-uploads-123456789012-eu-west-1 exists");
        assertThat(clients.sqs().listQueues().queueUrls()).hasSize(6);
    }

    @Test
    void lookupFindsWhatProvisionCreated() {
        StackResources provisioned = provision(repoTemplate());

        StackResources found = new Provisioner(clients, progress::add).lookup(repoTemplate());

        assertThat(found.all()).containsExactlyInAnyOrderElementsOf(provisioned.all());
    }

    @Test
    void lookupReportsWhatIsMissing() {
        StackResources found = new Provisioner(clients, progress::add).lookup(repoTemplate());

        assertThat(found.all()).isEmpty();
        assertThat(progress).anySatisfy(line -> assertThat(line).startsWith("not found at ")
                .contains("InventoryTable (edge-inventory-dev-inventory)"));
    }

    @Test
    void ttlKinesisFifoAndParameters() {
        String yaml = """
                Parameters:
                  Stage: {Type: String, Default: dev}
                Resources:
                  Sessions:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      TableName: !Sub "sessions-${Stage}"
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      ProvisionedThroughput: {ReadCapacityUnits: 2, WriteCapacityUnits: 3}
                      TimeToLiveSpecification: {AttributeName: expiresAt, Enabled: true}
                  Events:
                    Type: AWS::Kinesis::Stream
                    Properties:
                      StreamModeDetails: {StreamMode: ON_DEMAND}
                  Jobs:
                    Type: AWS::SQS::Queue
                    Properties:
                      FifoQueue: true
                      ContentBasedDeduplication: true
                      VisibilityTimeout: 45
                """;
        ResolvedTemplate template = TemplateResolver.resolve(CfnYaml.parse(yaml, "inline"), TEMPLATE,
                ResolveOptions.defaults().withStackName("it").withParameterOverrides(Map.of("Stage", "qa"))
                        .withEndpoint(moto.endpoint()));

        StackResources stack = provision(template);
        provision(template);

        assertThat(clients.dynamoDb().describeTimeToLive(b -> b.tableName("sessions-qa")).timeToLiveDescription()
                .timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
        assertThat(clients.dynamoDb().describeTable(b -> b.tableName("sessions-qa")).table().provisionedThroughput()
                .writeCapacityUnits()).isEqualTo(3L);
        assertThat(stack.arn("Events")).isEqualTo("arn:aws:kinesis:eu-west-1:123456789012:stream/it-Events");
        assertThat(clients.kinesis().describeStreamSummary(b -> b.streamName("it-Events")).streamDescriptionSummary()
                .openShardCount()).isEqualTo(1);
        assertThat(stack.physicalId("Jobs")).isEqualTo("it-Jobs.fifo");
        assertThat(clients.sqs().getQueueAttributes(b -> b.queueUrl(stack.queueUrl("Jobs"))
                .attributeNamesWithStrings("All")).attributesAsStrings())
                .containsEntry("FifoQueue", "true").containsEntry("VisibilityTimeout", "45");
    }

    private List<Message> drain(String queueUrl) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> batch = clients.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) {
                return all;
            }
            batch.forEach(m -> clients.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
            all.addAll(batch.stream().filter(m -> !m.body().contains("s3:TestEvent")).toList());
        }
    }
}
