package com.edgeinventory.local.provision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import com.edgeinventory.local.LocalRuntimeException;
import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.template.EventSource;
import com.edgeinventory.local.template.FunctionDef;
import com.edgeinventory.local.template.ResolvedResource;
import com.edgeinventory.local.template.ResolvedTemplate;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NotificationConfigurationFilter;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.S3KeyFilter;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

/**
 * Creates the template's DynamoDB tables, S3 buckets, SQS queues and Kinesis streams at a local endpoint, and
 * stands in SQS queues for the Lambda targets of S3 notifications. Idempotent: existing resources are kept,
 * TTL and notifications are re-applied.
 */
public final class Provisioner {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> QUEUE_ATTRIBUTES = List.of("DelaySeconds", "MaximumMessageSize",
            "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds", "VisibilityTimeout", "FifoQueue",
            "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit", "RedrivePolicy",
            "RedriveAllowPolicy");

    private final AwsClients clients;
    private final Consumer<String> progress;

    /**
     * @param clients  clients of the target endpoint
     * @param progress receives one human-readable line per step (the CLI prints them to stderr)
     */
    public Provisioner(AwsClients clients, Consumer<String> progress) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Provisions and returns the lookup. */
    public StackResources provisionStack(ResolvedTemplate template) {
        return new StackResources(provision(template));
    }

    /**
     * Creates (or keeps) every table, queue, stream and bucket of the template, then the S3 notification
     * queues and each bucket's notification configuration.
     *
     * @return template resources in template order, then the notification queues
     */
    public List<ProvisionedResource> provision(ResolvedTemplate template) {
        try {
            List<ProvisionedResource> result = new ArrayList<>();
            java.util.Map<String, Integer> skipped = new java.util.TreeMap<>();
            for (ResolvedResource resource : template.resources().values()) {
                switch (resource.type()) {
                    case ResolvedResource.TABLE -> result.add(table(resource));
                    case ResolvedResource.QUEUE -> result.add(queue(resource.logicalId(), resource.physicalId(),
                            queueAttributes(resource)));
                    case ResolvedResource.KINESIS_STREAM -> result.add(stream(resource));
                    case ResolvedResource.BUCKET -> result.add(bucket(resource, template.region()));
                    default -> skipped.merge(resource.type(), 1, Integer::sum);
                }
            }
            if (!skipped.isEmpty()) {
                // Functions, APIs and schedules are run by up, not created here; the rest has no local emulation.
                List<String> kinds = new ArrayList<>();
                skipped.forEach((type, n) -> kinds.add(n + " " + type));
                progress.accept("not created here: " + String.join(", ", kinds));
            }
            result.addAll(notifications(template));
            return result;
        } catch (SdkClientException e) {
            throw unreachable(e);
        } catch (SdkServiceException e) {
            throw new LocalRuntimeException("Provisioning at " + clients.endpoint() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Read-only: finds the template's resources (and notification queues) that already exist at the endpoint.
     * Missing ones are reported to the progress consumer and left out.
     */
    public StackResources lookup(ResolvedTemplate template) {
        try {
            List<ProvisionedResource> found = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (ResolvedResource r : template.resources().values()) {
                String id = r.logicalId();
                String name = r.physicalId();
                try {
                    switch (r.type()) {
                        case ResolvedResource.TABLE -> found.add(describedTable(id, name,
                                clients.dynamoDb().describeTable(b -> b.tableName(name)).table()));
                        case ResolvedResource.QUEUE -> found.add(existingQueue(id, name));
                        case ResolvedResource.KINESIS_STREAM -> found.add(describedStream(id, name,
                                clients.kinesis().describeStreamSummary(b -> b.streamName(name))
                                        .streamDescriptionSummary()));
                        case ResolvedResource.BUCKET -> {
                            clients.s3().headBucket(b -> b.bucket(name));
                            found.add(bucketResource(id, name));
                        }
                        default -> {
                            // Not emulated locally: nothing to look up.
                        }
                    }
                } catch (ResourceNotFoundException | QueueDoesNotExistException | NoSuchBucketException
                         | software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException e) {
                    missing.add(id + " (" + name + ")");
                } catch (S3Exception e) {
                    if (e.statusCode() != 404) {
                        throw e;
                    }
                    missing.add(id + " (" + name + ")");
                }
            }
            for (FunctionDef function : template.functions()) {
                for (EventSource.S3 event : function.s3Events()) {
                    String id = NotificationQueues.logicalId(function, event);
                    String name = NotificationQueues.queueName(template.stackName(), function, event);
                    try {
                        found.add(existingQueue(id, name));
                    } catch (QueueDoesNotExistException e) {
                        missing.add(id + " (" + name + ")");
                    }
                }
            }
            if (!missing.isEmpty()) {
                progress.accept("not found at " + clients.endpoint() + " (run provision first?): "
                        + String.join(", ", missing));
            }
            return new StackResources(found);
        } catch (SdkClientException e) {
            throw unreachable(e);
        }
    }

    private LocalRuntimeException unreachable(SdkClientException e) {
        return new LocalRuntimeException("Cannot reach the AWS endpoint " + clients.endpoint() + ": "
                + e.getMessage(), e);
    }

    // ------------------------------------------------------------------ DynamoDB

    private ProvisionedResource table(ResolvedResource r) {
        Map<String, Object> p = r.properties();
        String where = r.logicalId();
        String name = r.physicalId();
        boolean payPerRequest = "PAY_PER_REQUEST".equals(p.get("BillingMode"));
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(name)
                .attributeDefinitions(maps(p, "AttributeDefinitions", where).stream()
                        .map(a -> AttributeDefinition.builder()
                                .attributeName(string(a, "AttributeName", where))
                                .attributeType(string(a, "AttributeType", where)).build())
                        .toList())
                .keySchema(keySchema(p.get("KeySchema"), where + ".KeySchema"))
                .billingMode(payPerRequest ? BillingMode.PAY_PER_REQUEST : BillingMode.PROVISIONED);
        if (!payPerRequest) {
            request.provisionedThroughput(throughput(p.get("ProvisionedThroughput")));
        }
        if (p.get("GlobalSecondaryIndexes") != null) {
            request.globalSecondaryIndexes(maps(p, "GlobalSecondaryIndexes", where).stream().map(g -> {
                GlobalSecondaryIndex.Builder index = GlobalSecondaryIndex.builder()
                        .indexName(string(g, "IndexName", where))
                        .keySchema(keySchema(g.get("KeySchema"), where + ".GlobalSecondaryIndexes.KeySchema"))
                        .projection(projection(g.get("Projection")));
                if (!payPerRequest) {
                    index.provisionedThroughput(throughput(g.get("ProvisionedThroughput")));
                }
                return index.build();
            }).toList());
        }
        if (p.get("LocalSecondaryIndexes") != null) {
            request.localSecondaryIndexes(maps(p, "LocalSecondaryIndexes", where).stream()
                    .map(l -> LocalSecondaryIndex.builder()
                            .indexName(string(l, "IndexName", where))
                            .keySchema(keySchema(l.get("KeySchema"), where + ".LocalSecondaryIndexes.KeySchema"))
                            .projection(projection(l.get("Projection")))
                            .build())
                    .toList());
        }
        if (p.get("StreamSpecification") instanceof Map<?, ?> stream && stream.get("StreamViewType") != null) {
            request.streamSpecification(StreamSpecification.builder().streamEnabled(true)
                    .streamViewType(String.valueOf(stream.get("StreamViewType"))).build());
        }
        try {
            clients.dynamoDb().createTable(request.build());
            progress.accept("created table " + name);
        } catch (ResourceInUseException e) {
            progress.accept("table " + name + " exists");
        }
        clients.dynamoDb().waiter().waitUntilTableExists(b -> b.tableName(name));
        if (p.get("TimeToLiveSpecification") instanceof Map<?, ?> ttl) {
            applyTimeToLive(name, ttl, where);
        }
        TableDescription table = clients.dynamoDb().describeTable(b -> b.tableName(name)).table();
        return describedTable(r.logicalId(), name, table);
    }

    private static ProvisionedResource describedTable(String id, String name, TableDescription table) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("Arn", table.tableArn());
        if (table.latestStreamArn() != null) {
            attributes.put("StreamArn", table.latestStreamArn());
        }
        return new ProvisionedResource(id, ResolvedResource.TABLE, name, attributes);
    }

    private void applyTimeToLive(String table, Map<?, ?> ttl, String where) {
        boolean enabled = Boolean.parseBoolean(String.valueOf(ttl.get("Enabled")));
        Object attribute = ttl.get("AttributeName");
        TimeToLiveDescription current = clients.dynamoDb().describeTimeToLive(b -> b.tableName(table))
                .timeToLiveDescription();
        boolean currentlyEnabled = current != null && current.timeToLiveStatus() == TimeToLiveStatus.ENABLED;
        if (enabled == currentlyEnabled
                && (!enabled || Objects.equals(String.valueOf(attribute), current.attributeName()))) {
            return;
        }
        if (attribute == null) {
            throw new LocalRuntimeException(where + ".TimeToLiveSpecification.AttributeName is required");
        }
        clients.dynamoDb().updateTimeToLive(b -> b.tableName(table)
                .timeToLiveSpecification(s -> s.attributeName(String.valueOf(attribute)).enabled(enabled)));
        progress.accept("time to live on " + table + "." + attribute + ": " + (enabled ? "enabled" : "disabled"));
    }

    private static List<KeySchemaElement> keySchema(Object raw, String where) {
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            throw new LocalRuntimeException(where + " must list the key attributes");
        }
        List<KeySchemaElement> keys = new ArrayList<>();
        for (Object o : list) {
            Map<String, Object> k = asMap(o, where);
            keys.add(KeySchemaElement.builder().attributeName(string(k, "AttributeName", where))
                    .keyType(string(k, "KeyType", where)).build());
        }
        return keys;
    }

    private static Projection projection(Object raw) {
        Projection.Builder projection = Projection.builder().projectionType("ALL");
        if (raw instanceof Map<?, ?> p) {
            if (p.get("ProjectionType") != null) {
                projection.projectionType(String.valueOf(p.get("ProjectionType")));
            }
            if (p.get("NonKeyAttributes") instanceof List<?> attributes) {
                projection.nonKeyAttributes(attributes.stream().map(String::valueOf).toList());
            }
        }
        return projection.build();
    }

    private static ProvisionedThroughput throughput(Object raw) {
        long read = 5;
        long write = 5;
        if (raw instanceof Map<?, ?> t) {
            if (t.get("ReadCapacityUnits") != null) {
                read = Long.parseLong(String.valueOf(t.get("ReadCapacityUnits")));
            }
            if (t.get("WriteCapacityUnits") != null) {
                write = Long.parseLong(String.valueOf(t.get("WriteCapacityUnits")));
            }
        }
        return ProvisionedThroughput.builder().readCapacityUnits(read).writeCapacityUnits(write).build();
    }

    // ----------------------------------------------------------------------- SQS

    private Map<QueueAttributeName, String> queueAttributes(ResolvedResource r) {
        Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
        for (String key : QUEUE_ATTRIBUTES) {
            Object value = r.properties().get(key);
            if (value == null) {
                continue;
            }
            String text;
            if (value instanceof Map<?, ?> map) {
                try {
                    text = JSON.writeValueAsString(map);
                } catch (JsonProcessingException e) {
                    throw new LocalRuntimeException(r.logicalId() + "." + key + " cannot be written as JSON", e);
                }
            } else {
                text = String.valueOf(value).toLowerCase(Locale.ROOT).equals("true")
                        || String.valueOf(value).equalsIgnoreCase("false")
                        ? String.valueOf(value).toLowerCase(Locale.ROOT) : String.valueOf(value);
            }
            attributes.put(QueueAttributeName.fromValue(key), text);
        }
        return attributes;
    }

    private ProvisionedResource queue(String logicalId, String name, Map<QueueAttributeName, String> attributes) {
        String url;
        try {
            url = clients.sqs().createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
            progress.accept("queue " + name + " ready");
        } catch (QueueNameExistsException e) {
            url = clients.sqs().getQueueUrl(b -> b.queueName(name)).queueUrl();
            Map<QueueAttributeName, String> mutable = new LinkedHashMap<>(attributes);
            mutable.remove(QueueAttributeName.FIFO_QUEUE);
            if (!mutable.isEmpty()) {
                String existing = url;
                clients.sqs().setQueueAttributes(b -> b.queueUrl(existing).attributes(mutable));
            }
            progress.accept("queue " + name + " exists, attributes updated");
        }
        return queueResource(logicalId, name, url);
    }

    private ProvisionedResource existingQueue(String logicalId, String name) {
        return queueResource(logicalId, name, clients.sqs().getQueueUrl(b -> b.queueName(name)).queueUrl());
    }

    private ProvisionedResource queueResource(String logicalId, String name, String url) {
        String arn = clients.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("Arn", arn);
        attributes.put("QueueName", name);
        attributes.put("QueueUrl", url);
        return new ProvisionedResource(logicalId, ResolvedResource.QUEUE, name, attributes);
    }

    // ------------------------------------------------------------------- Kinesis

    private ProvisionedResource stream(ResolvedResource r) {
        String name = r.physicalId();
        int shards = 1;
        boolean onDemand = r.properties().get("StreamModeDetails") instanceof Map<?, ?> mode
                && "ON_DEMAND".equals(mode.get("StreamMode"));
        if (!onDemand && r.properties().get("ShardCount") != null) {
            shards = Integer.parseInt(String.valueOf(r.properties().get("ShardCount")));
        }
        int shardCount = shards;
        try {
            clients.kinesis().createStream(b -> b.streamName(name).shardCount(shardCount));
            progress.accept("created stream " + name + " (" + shardCount + " shard" + (shardCount == 1 ? "" : "s")
                    + (onDemand ? ", on-demand emulated" : "") + ")");
        } catch (software.amazon.awssdk.services.kinesis.model.ResourceInUseException e) {
            progress.accept("stream " + name + " exists");
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            StreamDescriptionSummary summary = clients.kinesis().describeStreamSummary(b -> b.streamName(name))
                    .streamDescriptionSummary();
            if (summary.streamStatus() == StreamStatus.ACTIVE) {
                return describedStream(r.logicalId(), name, summary);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new LocalRuntimeException("Kinesis stream " + name + " is still " + summary.streamStatus()
                        + " after 30 seconds");
            }
            sleep(Duration.ofMillis(200));
        }
    }

    private static ProvisionedResource describedStream(String id, String name, StreamDescriptionSummary summary) {
        return new ProvisionedResource(id, ResolvedResource.KINESIS_STREAM, name,
                Map.of("Arn", summary.streamARN()));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalRuntimeException("Interrupted while waiting for a Kinesis stream", e);
        }
    }

    // ------------------------------------------------------------------------ S3

    private ProvisionedResource bucket(ResolvedResource r, String region) {
        String name = r.physicalId();
        CreateBucketRequest.Builder request = CreateBucketRequest.builder().bucket(name);
        if (!region.equals("us-east-1")) {
            request.createBucketConfiguration(c -> c.locationConstraint(region));
        }
        try {
            clients.s3().createBucket(request.build());
            progress.accept("created bucket " + name);
        } catch (BucketAlreadyOwnedByYouException e) {
            progress.accept("bucket " + name + " exists");
        } catch (S3Exception e) {
            if (!"BucketAlreadyOwnedByYou".equals(e.awsErrorDetails().errorCode())) {
                throw new LocalRuntimeException("Cannot create bucket " + name + ": "
                        + e.awsErrorDetails().errorMessage(), e);
            }
            progress.accept("bucket " + name + " exists");
        }
        return bucketResource(r.logicalId(), name);
    }

    private static ProvisionedResource bucketResource(String id, String name) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("Arn", "arn:aws:s3:::" + name);
        attributes.put("DomainName", name + ".s3.amazonaws.com");
        return new ProvisionedResource(id, ResolvedResource.BUCKET, name, attributes);
    }

    /*
     * Filter rule names are sent lowercase ("prefix"/"suffix"), as CloudFormation templates write them: S3 accepts
     * them and moto accepts only them (the SDK enum's "Prefix" is rejected by moto).
     */

    /**
     * One queue per (function, S3 event), then one notification configuration per bucket holding the template's
     * own QueueConfigurations plus one per function event.
     */
    private List<ProvisionedResource> notifications(ResolvedTemplate template) {
        List<ProvisionedResource> queues = new ArrayList<>();
        Map<String, List<QueueConfiguration>> byBucket = new LinkedHashMap<>();
        for (ResolvedResource bucket : template.buckets()) {
            List<QueueConfiguration> configurations = new ArrayList<>();
            if (bucket.properties().get("NotificationConfiguration") instanceof Map<?, ?> n) {
                if (n.get("QueueConfigurations") instanceof List<?> list) {
                    for (Object o : list) {
                        configurations.add(templateQueueConfiguration(asMap(o, bucket.logicalId()), bucket));
                    }
                }
                if (n.get("LambdaConfigurations") != null || n.get("TopicConfigurations") != null) {
                    progress.accept(bucket.logicalId() + ": Lambda/SNS notification configurations are not "
                            + "emulated locally; only queue configurations and function S3 events are");
                }
            }
            byBucket.put(bucket.logicalId(), configurations);
        }
        for (FunctionDef function : template.functions()) {
            for (EventSource.S3 event : function.s3Events()) {
                ResolvedResource bucket = template.resource(event.bucketLogicalId());
                String name = NotificationQueues.queueName(template.stackName(), function, event);
                ProvisionedResource queue = queue(NotificationQueues.logicalId(function, event), name,
                        Map.of(QueueAttributeName.POLICY, s3SendPolicy(bucket.physicalId(), name, template)));
                queues.add(queue);
                byBucket.get(bucket.logicalId()).add(QueueConfiguration.builder()
                        .id(NotificationQueues.configurationId(function, event))
                        .queueArn(queue.attributes().get("Arn"))
                        .eventsWithStrings(event.events())
                        .filter(filter(event.filterRules().stream()
                                .map(rule -> FilterRule.builder().name(rule.name())
                                        .value(rule.value()).build())
                                .toList()))
                        .build());
            }
        }
        for (Map.Entry<String, List<QueueConfiguration>> entry : byBucket.entrySet()) {
            if (entry.getValue().isEmpty()) {
                continue;
            }
            String bucket = template.resource(entry.getKey()).physicalId();
            clients.s3().putBucketNotificationConfiguration(b -> b.bucket(bucket)
                    .notificationConfiguration(c -> c.queueConfigurations(entry.getValue())));
            progress.accept("notifications on " + bucket + ": " + entry.getValue().stream()
                    .map(QueueConfiguration::id).toList());
        }
        return queues;
    }

    private static NotificationConfigurationFilter filter(List<FilterRule> rules) {
        return rules.isEmpty() ? null
                : NotificationConfigurationFilter.builder().key(S3KeyFilter.builder().filterRules(rules).build())
                        .build();
    }

    private static QueueConfiguration templateQueueConfiguration(Map<String, Object> c, ResolvedResource bucket) {
        String where = bucket.logicalId() + ".NotificationConfiguration.QueueConfigurations";
        List<FilterRule> rules = new ArrayList<>();
        if (c.get("Filter") instanceof Map<?, ?> f && f.get("S3Key") instanceof Map<?, ?> k
                && k.get("Rules") instanceof List<?> list) {
            for (Object o : list) {
                Map<String, Object> rule = asMap(o, where);
                rules.add(FilterRule.builder()
                        .name(string(rule, "Name", where).toLowerCase(Locale.ROOT))
                        .value(string(rule, "Value", where)).build());
            }
        }
        return QueueConfiguration.builder()
                .queueArn(string(c, "Queue", where))
                .events(Event.fromValue(string(c, "Event", where)))
                .filter(filter(rules))
                .build();
    }

    private static String s3SendPolicy(String bucket, String queueName, ResolvedTemplate template) {
        String queueArn = "arn:aws:sqs:" + template.region() + ":" + template.accountId() + ":" + queueName;
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Sid", "AllowS3Notifications");
        statement.put("Effect", "Allow");
        statement.put("Principal", Map.of("Service", "s3.amazonaws.com"));
        statement.put("Action", "sqs:SendMessage");
        statement.put("Resource", queueArn);
        statement.put("Condition", Map.of("ArnLike", Map.of("aws:SourceArn", "arn:aws:s3:::" + bucket)));
        try {
            return JSON.writeValueAsString(Map.of("Version", "2012-10-17", "Statement", List.of(statement)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------- helpers

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value, String where) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new LocalRuntimeException(where + ": expected a mapping, got " + value);
        }
        return (Map<String, Object>) map;
    }

    private static List<Map<String, Object>> maps(Map<String, Object> props, String key, String where) {
        if (!(props.get(key) instanceof List<?> list)) {
            throw new LocalRuntimeException(where + "." + key + " must be a list");
        }
        return list.stream().map(o -> asMap(o, where + "." + key)).toList();
    }

    private static String string(Map<?, ?> map, String key, String where) {
        Object value = map.get(key);
        if (value == null) {
            throw new LocalRuntimeException(where + ": " + key + " is required");
        }
        return String.valueOf(value);
    }
}
