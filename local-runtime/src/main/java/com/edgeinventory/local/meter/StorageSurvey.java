package com.edgeinventory.local.meter;

import com.edgeinventory.local.provision.ProvisionedResource;
import com.edgeinventory.local.aws.DynamoWire;
import com.edgeinventory.local.provision.LocalStack;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What a run left stored, as AWS bills storage: every DynamoDB table's items (each item's size by DynamoDB's rules
 * plus the 100 bytes of per-item overhead it bills) and every S3 bucket's objects, per region and resource. Read at
 * the end of a run from moto directly (not a function's call, so not metered).
 */
public final class StorageSurvey {

    /** One table or bucket: its items or objects and their billed bytes. */
    public record Stored(String region, String logicalId, String service, long items, long bytes) {}

    /** DynamoDB bills each item's size plus 100 bytes of indexing overhead. */
    public static final long DYNAMODB_ITEM_OVERHEAD = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private StorageSurvey() {
    }

    /** @param stacks region -> its stack */
    public static List<Stored> of(Map<String, LocalStack> stacks) {
        List<Stored> out = new ArrayList<>();
        for (Map.Entry<String, LocalStack> region : stacks.entrySet()) {
            var clients = region.getValue().clients();
            for (ProvisionedResource r : region.getValue().resources().all()) {
                switch (r.type()) {
                    case "AWS::DynamoDB::Table" -> {
                        long items = 0;
                        long bytes = 0;
                        Map<String, AttributeValue> start = null;
                        do {
                            final Map<String, AttributeValue> from = start;
                            ScanResponse page = clients.dynamoDb().scan(b -> b.tableName(r.physicalId())
                                    .exclusiveStartKey(from));
                            for (Map<String, AttributeValue> item : page.items()) {
                                items++;
                                bytes += CapacityUnits.itemSize(DynamoWire.item(item)) + DYNAMODB_ITEM_OVERHEAD;
                            }
                            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                                    ? page.lastEvaluatedKey() : null;
                        } while (start != null);
                        out.add(new Stored(region.getKey(), r.logicalId(), "dynamodb", items, bytes));
                    }
                    case "AWS::S3::Bucket" -> {
                        long objects = 0;
                        long bytes = 0;
                        for (S3Object o : clients.s3().listObjectsV2Paginator(b -> b.bucket(r.physicalId()))
                                .contents()) {
                            objects++;
                            bytes += o.size();
                        }
                        out.add(new Stored(region.getKey(), r.logicalId(), "s3", objects, bytes));
                    }
                    default -> {
                        // nothing stored that is billed by size (queues and streams keep 1-4 days, included)
                    }
                }
            }
        }
        return out;
    }

    public static ArrayNode toJson(List<Stored> stored) {
        ArrayNode array = JSON.createArrayNode();
        stored.forEach(s -> array.addObject().put("region", s.region()).put("resource", s.logicalId())
                .put("service", s.service()).put("items", s.items()).put("bytes", s.bytes()));
        return array;
    }
}
