package com.edgeinventory.local.meter;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.provision.LocalStack;
import com.edgeinventory.local.template.ResolveOptions;
import com.edgeinventory.local.template.TemplateResolver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** What a run left stored, surveyed from moto: items sized by DynamoDB's rules plus its overhead, objects' bytes. */
class StorageSurveyIT {

    @Test
    void everyTableAndBucketOfTheStackIsSurveyedWithItsBilledBytes() {
        Path template = TemplateResolver.findTemplate(Path.of("").toAbsolutePath());
        try (LocalStack stack = LocalStack.open(template, ResolveOptions.defaults().withRegion("eu-west-1"),
                Optional.empty(), true, line -> { })) {
            String purchases = stack.resources().physicalId("PurchasesTable");
            // purchaseId (10) + "p-1" (3) = 13; total (5) + "12.50" (5) = 10; lines (5) + a list (3) of one
            // element (1) that is a map (3) of one element (1): sku (3) + "A" (1), so 5 + 3 + 1 + 3 + 1 + 4 = 17.
            // 13 + 10 + 17 = 40 bytes.
            stack.clients().dynamoDb().putItem(b -> b.tableName(purchases).item(Map.of(
                    "purchaseId", AttributeValue.fromS("p-1"),
                    "total", AttributeValue.fromS("12.50"),
                    "lines", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of("sku", AttributeValue.fromS("A"))))))));
            String bucket = stack.resources().physicalId("UploadBucket");
            stack.clients().s3().putObject(b -> b.bucket(bucket).key("products/A/images/front.jpg"),
                    RequestBody.fromBytes(new byte[1234]));

            List<StorageSurvey.Stored> stored = StorageSurvey.of(Map.of("eu-west-1", stack));

            assertThat(stored).contains(new StorageSurvey.Stored("eu-west-1", "PurchasesTable", "dynamodb", 1,
                    40 + StorageSurvey.DYNAMODB_ITEM_OVERHEAD));
            assertThat(stored).contains(new StorageSurvey.Stored("eu-west-1", "UploadBucket", "s3", 1, 1234));
            assertThat(stored).contains(new StorageSurvey.Stored("eu-west-1", "IdempotencyTable", "dynamodb", 0, 0));
            assertThat(StorageSurvey.toJson(stored).toString()).contains(
                    "{\"region\":\"eu-west-1\",\"resource\":\"UploadBucket\",\"service\":\"s3\",\"items\":1,\"bytes\":1234}");
        }
    }
}
