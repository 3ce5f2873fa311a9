package com.edgeinventory.local.iam;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The SAM policy templates the local check expands, exactly as SAM's {@code policy_templates.json} defines them
 * (actions and resource ARNs). A template not listed here fails with its name: the check cannot know what it
 * allows.
 */
public final class SamPolicyTemplates {

    private record Template(List<String> parameters, Function<Context, List<PolicyStatement>> expand) {
    }

    private record Context(String name, Map<?, ?> values, String partition, String region, String account) {
        String param(String key) {
            return values.get(key).toString();
        }

        String arn(String service, String resource) {
            return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
        }

        PolicyStatement allow(List<String> actions, List<String> resources) {
            return PolicyStatement.allow("policy template " + name, actions, resources);
        }
    }

    private static final List<String> DYNAMODB_CRUD = List.of("dynamodb:GetItem", "dynamodb:DeleteItem",
            "dynamodb:PutItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem",
            "dynamodb:BatchGetItem", "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem");
    private static final List<String> DYNAMODB_READ = List.of("dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query",
            "dynamodb:BatchGetItem", "dynamodb:DescribeTable");
    private static final List<String> DYNAMODB_WRITE = List.of("dynamodb:PutItem", "dynamodb:UpdateItem",
            "dynamodb:BatchWriteItem");
    private static final List<String> S3_READ = List.of("s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation",
            "s3:GetObjectVersion", "s3:GetLifecycleConfiguration");
    private static final List<String> S3_WRITE = List.of("s3:PutObject", "s3:PutObjectAcl",
            "s3:PutLifecycleConfiguration");
    private static final List<String> S3_CRUD = List.of("s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation",
            "s3:GetObjectVersion", "s3:PutObject", "s3:PutObjectAcl", "s3:GetLifecycleConfiguration",
            "s3:PutLifecycleConfiguration", "s3:DeleteObject");

    private static final Map<String, Template> TEMPLATES = Map.ofEntries(
            Map.entry("DynamoDBCrudPolicy", table(DYNAMODB_CRUD)),
            Map.entry("DynamoDBReadPolicy", table(DYNAMODB_READ)),
            Map.entry("DynamoDBWritePolicy", table(DYNAMODB_WRITE)),
            Map.entry("DynamoDBStreamReadPolicy", new Template(List.of("TableName", "StreamName"), c -> List.of(
                    c.allow(List.of("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"),
                            List.of(c.arn("dynamodb", "table/" + c.param("TableName") + "/stream/"
                                    + c.param("StreamName")))),
                    c.allow(List.of("dynamodb:ListStreams"),
                            List.of(c.arn("dynamodb", "table/" + c.param("TableName") + "/stream/*")))))),
            Map.entry("S3ReadPolicy", bucket(S3_READ)),
            Map.entry("S3WritePolicy", bucket(S3_WRITE)),
            Map.entry("S3CrudPolicy", bucket(S3_CRUD)),
            Map.entry("SQSSendMessagePolicy", queue(List.of("sqs:SendMessage*"))),
            Map.entry("SQSPollerPolicy", queue(List.of("sqs:ChangeMessageVisibility",
                    "sqs:ChangeMessageVisibilityBatch", "sqs:DeleteMessage", "sqs:DeleteMessageBatch",
                    "sqs:GetQueueAttributes", "sqs:ReceiveMessage"))),
            Map.entry("KinesisCrudPolicy", new Template(List.of("StreamName"), c -> List.of(c.allow(List.of(
                    "kinesis:AddTagsToStream", "kinesis:CreateStream", "kinesis:DecreaseStreamRetentionPeriod",
                    "kinesis:DeleteStream", "kinesis:DescribeStream", "kinesis:DescribeStreamSummary",
                    "kinesis:GetShardIterator", "kinesis:IncreaseStreamRetentionPeriod",
                    "kinesis:ListTagsForStream", "kinesis:MergeShards", "kinesis:PutRecord", "kinesis:PutRecords",
                    "kinesis:SplitShard", "kinesis:RemoveTagsFromStream"),
                    List.of(c.arn("kinesis", "stream/" + c.param("StreamName"))))))),
            Map.entry("KinesisStreamReadPolicy", new Template(List.of("StreamName"), c -> List.of(
                    c.allow(List.of("kinesis:ListStreams", "kinesis:DescribeLimits"),
                            List.of(c.arn("kinesis", "stream/*"))),
                    c.allow(List.of("kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords",
                            "kinesis:GetShardIterator"),
                            List.of(c.arn("kinesis", "stream/" + c.param("StreamName"))))))),
            Map.entry("SNSPublishMessagePolicy", new Template(List.of("TopicName"), c -> List.of(c.allow(
                    List.of("sns:Publish"), List.of(c.arn("sns", c.param("TopicName"))))))));

    private SamPolicyTemplates() {
    }

    /** The names of the templates this class expands. */
    public static Set<String> supported() {
        return new TreeSet<>(TEMPLATES.keySet());
    }

    /**
     * The statements of {@code name} with its (resolved) parameter values.
     *
     * @throws IamPolicyException for a template not supported, or a parameter missing
     */
    public static List<PolicyStatement> expand(String name, Object parameters, String partition, String region,
            String account, String where) {
        Template template = TEMPLATES.get(name);
        if (template == null) {
            throw new IamPolicyException(where + ": SAM policy template " + name
                    + " is not supported by the local IAM check (supported: " + String.join(", ", supported())
                    + "); write its statements inline, or add it to " + SamPolicyTemplates.class.getName());
        }
        Map<?, ?> values = parameters instanceof Map<?, ?> m ? m : Map.of();
        for (String p : template.parameters()) {
            if (!(values.get(p) instanceof String)) {
                throw new IamPolicyException(where + ": policy template " + name + " needs the parameter " + p
                        + " (a string), got " + values.get(p));
            }
        }
        return template.expand().apply(new Context(name, values, partition, region, account));
    }

    private static Template table(List<String> actions) {
        return new Template(List.of("TableName"), c -> List.of(c.allow(actions, List.of(
                c.arn("dynamodb", "table/" + c.param("TableName")),
                c.arn("dynamodb", "table/" + c.param("TableName") + "/index/*")))));
    }

    private static Template bucket(List<String> actions) {
        return new Template(List.of("BucketName"), c -> List.of(c.allow(actions, List.of(
                "arn:" + c.partition() + ":s3:::" + c.param("BucketName"),
                "arn:" + c.partition() + ":s3:::" + c.param("BucketName") + "/*"))));
    }

    private static Template queue(List<String> actions) {
        return new Template(List.of("QueueName"), c -> List.of(c.allow(actions,
                List.of(c.arn("sqs", c.param("QueueName"))))));
    }
}
