package com.edgeinventory.local.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.invoke.FunctionIdentities;
import com.edgeinventory.local.invoke.LambdaCredentials;
import com.edgeinventory.local.moto.MotoServer;
import com.edgeinventory.local.provision.Provisioner;
import com.edgeinventory.local.template.FunctionDef;
import com.edgeinventory.local.template.ResolveOptions;
import com.edgeinventory.local.template.ResolvedTemplate;
import com.edgeinventory.local.template.TemplateResolver;

import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * IAM enforced between the functions and moto as AWS enforces it, with real SDK clients signing as a function's
 * own identity: the template's role allows its traffic, another table or bucket prefix is denied with AWS's error
 * naming the action and the ARN, before moto sees the request, and the denial is logged naming the function.
 */
class IamEnforcementIT {

    private static final String REGION = "eu-west-1";
    private static MotoServer moto;
    private static FunctionIdentities identities;
    private static FaultProxy proxy;
    private static ResolvedTemplate edge;
    private static final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        moto = MotoServer.start();
        Path template = TemplateResolver.findTemplate(Path.of("").toAbsolutePath());
        edge = TemplateResolver.resolve(template, ResolveOptions.defaults().withRegion(REGION)
                .withEndpoint(moto.endpoint()));
        try (AwsClients clients = new AwsClients(moto.endpoint(), REGION)) {
            new Provisioner(clients, line -> { }).provision(edge);
        }
        identities = new FunctionIdentities();
        proxy = FaultProxy.start(moto.endpoint(), DynamoDbFaults.NONE, log::add);
        proxy.enforce(new IamGate(identities, Map.of(REGION, edge), log::add));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        identities.close();
        moto.close();
    }

    private static StaticCredentialsProvider as(String logicalId) {
        FunctionDef function = edge.function(logicalId);
        LambdaCredentials.AccessKeys keys = identities.identity(REGION, function).keys();
        return StaticCredentialsProvider.create(AwsSessionCredentials.create(keys.accessKeyId(),
                keys.secretAccessKey(), keys.sessionToken()));
    }

    private static DynamoDbClient dynamo(String logicalId) {
        return DynamoDbClient.builder().endpointOverride(proxy.uri()).region(Region.of(REGION))
                .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(as(logicalId)).build();
    }

    private static S3Client s3(String logicalId) {
        return S3Client.builder().endpointOverride(proxy.uri()).region(Region.of(REGION)).forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(as(logicalId)).build();
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
    }

    @Test
    void aFunctionsOwnTrafficPassesAndAnotherTableIsDeniedWithAwsError() {
        String inventory = edge.resource("InventoryTable").physicalId();
        String devices = edge.resource("DevicesTable").physicalId();
        try (DynamoDbClient stock = dynamo("StockFunction")) {
            assertThat(stock.getItem(b -> b.tableName(inventory).key(key("SKU#X", "PRODUCT"))).hasItem()).isFalse();

            assertThatThrownBy(() -> stock.getItem(b -> b.tableName(devices)
                    .key(Map.of("deviceId", AttributeValue.fromS("POS-01")))))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorMessage())
                                .contains("is not authorized to perform: dynamodb:GetItem")
                                .contains("arn:aws:dynamodb:eu-west-1:123456789012:table/" + devices)
                                .contains("/edge-inventory-dev-stock");
                    });
        }
        assertThat(log).anyMatch(l -> l.startsWith("IAM denied StockFunction (eu-west-1): dynamodb:GetItem on "
                + "arn:aws:dynamodb:eu-west-1:123456789012:table/" + devices));
    }

    @Test
    void aWriteTheRoleOnlyMayReadIsDeniedAndNeverReachesTheTable() {
        String inventory = edge.resource("InventoryTable").physicalId();
        try (DynamoDbClient stock = dynamo("StockFunction")) {
            assertThatThrownBy(() -> stock.putItem(b -> b.tableName(inventory).item(Map.of(
                    "pk", AttributeValue.fromS("SKU#INJECTED"), "sk", AttributeValue.fromS("PRODUCT")))))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.awsErrorDetails()
                            .errorMessage()).contains("dynamodb:PutItem"));
        }
        try (AwsClients direct = new AwsClients(moto.endpoint(), REGION)) {
            assertThat(direct.dynamoDb().getItem(b -> b.tableName(inventory).key(key("SKU#INJECTED", "PRODUCT")))
                    .hasItem()).as("the denied write never reached moto").isFalse();
        }
    }

    @Test
    void s3IsCheckedOnTheObjectArn() {
        String bucket = edge.resource("UploadBucket").physicalId();
        try (AwsClients direct = new AwsClients(moto.endpoint(), REGION)) {
            direct.s3().putObject(b -> b.bucket(bucket).key("stock/WH-1/b1.jsonl"), RequestBody.fromString("{}"));
            direct.s3().putObject(b -> b.bucket(bucket).key("products/X/product.json"), RequestBody.fromString("{}"));
        }
        try (S3Client stock = s3("StockAdjustmentFunction")) {
            assertThat(stock.getObjectAsBytes(b -> b.bucket(bucket).key("stock/WH-1/b1.jsonl")).asUtf8String())
                    .isEqualTo("{}");
            assertThatThrownBy(() -> stock.getObjectAsBytes(b -> b.bucket(bucket).key("stock/WH-1/missing.jsonl")))
                    .as("allowed, so moto answers").isInstanceOf(NoSuchKeyException.class);
            assertThatThrownBy(() -> stock.getObjectAsBytes(b -> b.bucket(bucket).key("products/X/product.json")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                        assertThat(e.awsErrorDetails().errorMessage()).contains("s3:GetObject")
                                .contains("arn:aws:s3:::" + bucket + "/products/X/product.json");
                    });
        }
    }

    @Test
    void aKeyNoFunctionWasGivenIsRefused() {
        try (DynamoDbClient stranger = DynamoDbClient.builder().endpointOverride(proxy.uri())
                .region(Region.of(REGION)).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create("ASIASTRANGER",
                        "secret", "token"))).build()) {
            assertThatThrownBy(() -> stranger.listTables()).isInstanceOf(DynamoDbException.class);
            assertThatThrownBy(() -> stranger.getItem(b -> b.tableName(edge.resource("InventoryTable")
                    .physicalId()).key(key("SKU#X", "PRODUCT")))).isInstanceOfSatisfying(DynamoDbException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
        }
    }
}
