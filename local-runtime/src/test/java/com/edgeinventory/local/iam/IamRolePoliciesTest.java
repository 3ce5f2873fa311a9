package com.edgeinventory.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.edgeinventory.local.template.CfnYaml;
import com.edgeinventory.local.template.ResolveOptions;
import com.edgeinventory.local.template.ResolvedTemplate;
import com.edgeinventory.local.template.TemplateResolver;

/** Each function's policy as read from the repository's template.yaml, edge and central. */
class IamRolePoliciesTest {

    private static final Path TEMPLATE = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir")));
    private static final String CENTRAL_STREAM = "arn:aws:kinesis:us-east-2:123456789012:stream/edge-inventory-dev-central";

    private static ResolvedTemplate edge() {
        return TemplateResolver.resolve(TEMPLATE, ResolveOptions.defaults().withParameterOverrides(
                Map.of("DeploymentRole", "edge", "CentralStreamArn", CENTRAL_STREAM)));
    }

    private static ResolvedTemplate central() {
        return TemplateResolver.resolve(TEMPLATE, ResolveOptions.defaults().withRegion("us-east-2")
                .withParameterOverrides(Map.of("DeploymentRole", "central")));
    }

    private static String table(String region, String name) {
        return "arn:aws:dynamodb:" + region + ":123456789012:table/" + name;
    }

    private final Map<String, FunctionPolicy> edge = RolePolicies.of(edge());
    private final Map<String, FunctionPolicy> central = RolePolicies.of(central());

    private boolean allows(Map<String, FunctionPolicy> role, String function, String action, String resource) {
        return role.get(function).evaluate(action, resource).allowed();
    }

    @Test
    void everyFunctionHasARoleAndEveryPolicyIsKnown() {
        assertThat(edge).containsKeys("ProductUploadFunction", "StockAdjustmentFunction", "TransactionFunction",
                "CustomerFunction", "StockFunction", "DeviceAuthorizerFunction", "TransactionSweeperFunction",
                "InventoryStreamForwarder");
        assertThat(central).containsOnlyKeys("CentralAggregatorFunction", "AnalyticsQueryFunction");
        assertThat(edge.values()).allSatisfy(p -> {
            assertThat(p.notEvaluable()).isEmpty();
            assertThat(p.managedPolicyArns()).startsWith(
                    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                    "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess");
        });
        FunctionPolicy tx = edge.get("TransactionFunction");
        assertThat(tx.roleName()).isEqualTo("edge-inventory-TransactionFunctionRole");
        assertThat(tx.principalArn()).isEqualTo(
                "arn:aws:sts::123456789012:assumed-role/edge-inventory-TransactionFunctionRole/edge-inventory-dev-transaction");
    }

    @Test
    void transactionFunctionUpdatesInventoryButNotDevices() {
        String inventory = table("eu-west-1", "edge-inventory-dev-inventory");
        assertThat(allows(edge, "TransactionFunction", "dynamodb:UpdateItem", inventory)).isTrue();
        assertThat(allows(edge, "TransactionFunction", "dynamodb:Query", inventory + "/index/byStyle")).isTrue();
        assertThat(allows(edge, "TransactionFunction", "dynamodb:Query", inventory + "/index/other")).isFalse();
        assertThat(allows(edge, "TransactionFunction", "dynamodb:UpdateItem",
                table("eu-west-1", "edge-inventory-dev-devices"))).isFalse();
        assertThat(allows(edge, "TransactionFunction", "dynamodb:DeleteItem", inventory)).isFalse();
        assertThat(allows(edge, "TransactionFunction", "dynamodb:PutItem",
                table("eu-west-1", "edge-inventory-dev-purchases"))).isTrue();
        assertThat(edge.get("TransactionFunction").evaluate("dynamodb:UpdateItem", inventory).reason())
                .contains("ReserveAndSellStock");
    }

    @Test
    void withoutItsStatementStockFunctionMayNotReadInventory(@TempDir Path dir) throws IOException {
        String readStock = """
                            - Sid: ReadStock
                              Effect: Allow
                              # Query: a hot sku's stock is in shard items under its key, summed on read
                              Action: [dynamodb:GetItem, dynamodb:Query]
                              Resource: !GetAtt InventoryTable.Arn
                """;
        String yaml = Files.readString(TEMPLATE);
        assertThat(yaml).contains(readStock);
        Path copy = dir.resolve("template.yaml");
        Files.writeString(copy, yaml.replace(readStock, "            - Sid: Nothing\n"
                + "              Effect: Allow\n              Action: [dynamodb:GetItem]\n"
                + "              Resource: arn:aws:dynamodb:eu-west-1:123456789012:table/elsewhere\n"));

        FunctionPolicy stock = RolePolicies.of(TemplateResolver.resolve(copy, ResolveOptions.defaults()))
                .get("StockFunction");

        PolicyEvaluator.Decision d = stock.evaluate("dynamodb:GetItem",
                table("eu-west-1", "edge-inventory-dev-inventory"));
        assertThat(d.outcome()).isEqualTo(PolicyEvaluator.Outcome.IMPLICIT_DENY);
    }

    @Test
    void stockFunctionReadsInventoryOnly() {
        String inventory = table("eu-west-1", "edge-inventory-dev-inventory");
        assertThat(allows(edge, "StockFunction", "dynamodb:GetItem", inventory)).isTrue();
        assertThat(allows(edge, "StockFunction", "dynamodb:getitem", inventory)).isTrue();
        assertThat(allows(edge, "StockFunction", "dynamodb:PutItem", inventory)).isFalse();
        assertThat(allows(edge, "StockFunction", "dynamodb:Query", inventory)).as("a hot sku's shard items").isTrue();
        assertThat(allows(edge, "StockFunction", "dynamodb:Query", inventory + "/index/byStyle")).isFalse();
        assertThat(allows(edge, "StockFunction", "dynamodb:UpdateItem", inventory)).isFalse();
    }

    @Test
    void noFunctionTouchesAnotherRegionsOrStagesTables() {
        for (var role : List.of(edge, central)) {
            for (FunctionPolicy p : role.values()) {
                for (String name : List.of("inventory", "devices", "customers", "purchases", "retail-state",
                        "idempotency", "central-levels", "central-sales", "central-sales-dedup")) {
                    for (String action : List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                            "dynamodb:Query")) {
                        assertThat(p.evaluate(action, table("ap-south-1", "edge-inventory-dev-" + name))
                                .allowed()).as(p.functionLogicalId() + " " + action + " ap-south-1 " + name)
                                .isFalse();
                        assertThat(p.evaluate(action, table("eu-west-1", "edge-inventory-prod-" + name))
                                .allowed()).as(p.functionLogicalId() + " " + action + " prod " + name).isFalse();
                    }
                }
            }
        }
    }

    @Test
    void uploadsBucketByPrefix() {
        String bucket = "arn:aws:s3:::edge-inventory-dev-uploads-123456789012-eu-west-1";
        assertThat(allows(edge, "ProductUploadFunction", "s3:GetObject", bucket + "/products/p1/product.json"))
                .isTrue();
        assertThat(allows(edge, "ProductUploadFunction", "s3:GetObject", bucket + "/stock/x.csv")).isFalse();
        assertThat(allows(edge, "ProductUploadFunction", "s3:PutObject", bucket + "/derived/p1/128.jpg")).isTrue();
        assertThat(allows(edge, "ProductUploadFunction", "s3:PutObject", bucket + "/products/p1/a.jpg")).isFalse();
        assertThat(allows(edge, "ProductUploadFunction", "s3:ListBucket", bucket)).isFalse();
        assertThat(allows(edge, "StockAdjustmentFunction", "s3:GetObject", bucket + "/stock/x.csv")).isTrue();
    }

    @Test
    void samAddedPolicies() {
        String dlq = "arn:aws:sqs:eu-west-1:123456789012:edge-inventory-dev-upload-dlq";
        // EventInvokeConfig OnFailure -> sqs:SendMessage on the DLQ only
        assertThat(allows(edge, "ProductUploadFunction", "sqs:SendMessage", dlq)).isTrue();
        assertThat(allows(edge, "StockAdjustmentFunction", "sqs:SendMessage", dlq)).isTrue();
        assertThat(allows(edge, "ProductUploadFunction", "sqs:ReceiveMessage", dlq)).isFalse();
        assertThat(allows(edge, "TransactionFunction", "sqs:SendMessage", dlq)).isFalse();
        // DynamoDB stream event source -> AWSLambdaDynamoDBExecutionRole, DestinationConfig -> its DLQ
        FunctionPolicy forwarder = edge.get("InventoryStreamForwarder");
        assertThat(forwarder.managedPolicyArns())
                .contains("arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole");
        assertThat(forwarder.evaluate("dynamodb:GetRecords",
                table("eu-west-1", "edge-inventory-dev-inventory") + "/stream/x").allowed()).isTrue();
        assertThat(forwarder.evaluate("sqs:SendMessage",
                "arn:aws:sqs:eu-west-1:123456789012:edge-inventory-dev-forwarder-dlq").allowed()).isTrue();
        assertThat(forwarder.evaluate("kinesis:PutRecords", CENTRAL_STREAM).allowed()).isTrue();
        assertThat(forwarder.evaluate("kinesis:PutRecord", CENTRAL_STREAM).allowed()).isFalse();
        // It reads a hot sku's shards (GetItem + Query) on the inventory table, and writes no table.
        assertThat(forwarder.evaluate("dynamodb:Query", table("eu-west-1", "edge-inventory-dev-inventory"))
                .allowed()).isTrue();
        assertThat(forwarder.evaluate("dynamodb:UpdateItem", table("eu-west-1", "edge-inventory-dev-inventory"))
                .allowed()).isFalse();
        assertThat(forwarder.evaluate("dynamodb:GetItem", table("eu-west-1", "edge-inventory-dev-customers"))
                .allowed()).isFalse();
        // Kinesis event source -> AWSLambdaKinesisExecutionRole
        FunctionPolicy aggregator = central.get("CentralAggregatorFunction");
        String stream = "arn:aws:kinesis:us-east-2:123456789012:stream/edge-inventory-dev-central";
        assertThat(aggregator.evaluate("kinesis:GetRecords", stream).allowed()).isTrue();
        assertThat(aggregator.evaluate("kinesis:PutRecords", stream).allowed()).isFalse();
        assertThat(aggregator.evaluate("sqs:SendMessage",
                "arn:aws:sqs:us-east-2:123456789012:edge-inventory-dev-central-aggregator-dlq").allowed()).isTrue();
        // logs and X-Ray for everyone
        assertThat(aggregator.evaluate("logs:PutLogEvents", "arn:aws:logs:us-east-2:123456789012:log-group:x")
                .allowed()).isTrue();
        assertThat(aggregator.evaluate("xray:PutTraceSegments", "*").allowed()).isTrue();
    }
}
