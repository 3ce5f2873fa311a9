package com.edgeinventory.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.edgeinventory.local.iam.FunctionPolicy;
import com.edgeinventory.local.iam.ManagedPolicies;
import com.edgeinventory.local.iam.PolicyEvaluator;
import com.edgeinventory.local.iam.PolicyStatement;
import com.edgeinventory.local.iam.RolePolicies;
import com.edgeinventory.local.iam.SamPolicyTemplates;
import com.edgeinventory.local.template.ResolveOptions;
import com.edgeinventory.local.template.ResolvedResource;
import com.edgeinventory.local.template.ResolvedTemplate;
import com.edgeinventory.local.template.TemplateResolver;
import com.edgeinventory.testing.SamTranslator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The local IAM check's reading of each function's role ({@link RolePolicies}) against SAM's own: template.yaml is
 * translated by SAM's translator, the generated {@code AWS::IAM::Role}s (inline {@code Policies} and
 * {@code ManagedPolicyArns}) are resolved with the project's {@link TemplateResolver} under the same parameters, and
 * both must decide every (action, resource) probe the same way. The probes are the actions the local check
 * classifies, on every table, index, stream, bucket prefix, queue and Kinesis stream of the template, plus the
 * same names in another region and another stage.
 */
class RolePoliciesIT {

    private static final Path TEMPLATE = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir")));
    private static final String REGION = "eu-west-1";
    private static final String CENTRAL_STREAM =
            "arn:aws:kinesis:us-east-2:123456789012:stream/edge-inventory-dev-central";
    private static final Set<String> KEPT_TYPES = Set.of("AWS::IAM::Role", ResolvedResource.TABLE,
            ResolvedResource.BUCKET, ResolvedResource.QUEUE, ResolvedResource.KINESIS_STREAM,
            ResolvedResource.LOG_GROUP, "AWS::SNS::Topic");
    private static final Set<String> NAME_PROPERTIES = Set.of("TableName", "StreamSpecification",
            "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "BucketName", "QueueName", "Name", "LogGroupName",
            "TopicName");
    private static final List<String> ACTIONS = List.of(
            "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query",
            "dynamodb:Scan", "dynamodb:DescribeTable", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem",
            "dynamodb:ConditionCheckItem", "dynamodb:DescribeStream", "dynamodb:GetShardIterator",
            "dynamodb:GetRecords", "dynamodb:ListStreams",
            "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetObjectVersion",
            "s3:AbortMultipartUpload",
            "sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
            "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
            "kinesis:PutRecord", "kinesis:PutRecords", "kinesis:GetRecords", "kinesis:GetShardIterator",
            "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:ListShards",
            "kinesis:SubscribeToShard", "kinesis:ListStreams",
            "sns:Publish", "lambda:InvokeFunction", "logs:PutLogEvents", "xray:PutTraceSegments");

    static Stream<Arguments> roles() {
        return Stream.of(
                Arguments.of("edge", Map.of("DeploymentRole", "edge", "CentralStreamArn", CENTRAL_STREAM)),
                Arguments.of("central", Map.of("DeploymentRole", "central")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roles")
    void ourRolePoliciesDecideAsSamsRoles(String role, Map<String, String> parameters) {
        ResolvedTemplate ours = resolve(TEMPLATE, parameters);
        Map<String, FunctionPolicy> policies = RolePolicies.of(ours);
        Map<String, List<PolicyStatement>> sams = samRoles(TEMPLATE, parameters);

        assertThat(policies).isNotEmpty();
        assertThat(sams.keySet()).containsExactlyInAnyOrderElementsOf(
                policies.keySet().stream().map(id -> id + "Role").toList());
        List<String> probes = probes(ours);
        assertThat(probes).hasSizeGreaterThan(20);

        List<String> mismatches = mismatches(policies, sams, probes);

        assertThat(mismatches).as(role + ": (action, resource) decided differently by RolePolicies and by SAM's "
                + "role").isEmpty();
        // the matrix is not vacuous: it holds allowed and denied probes for every function
        policies.values().forEach(p -> {
            long allowed = probes.stream().flatMap(r -> ACTIONS.stream().map(a -> p.evaluate(a, r).allowed()))
                    .filter(b -> b).count();
            assertThat(allowed).as(p.functionLogicalId() + " allowed probes").isPositive()
                    .isLessThan((long) probes.size() * ACTIONS.size());
        });
    }

    /**
     * The comparison can fail: with one statement of the template removed on our side only (a temp copy of
     * template.yaml), the probes tell the two apart, naming the permission that went missing.
     */
    @Test
    void aStatementMissingOnOneSideIsCaught(@TempDir Path dir) throws IOException {
        Map<String, String> parameters = Map.of("DeploymentRole", "edge", "CentralStreamArn", CENTRAL_STREAM);
        String yaml = Files.readString(TEMPLATE);
        String recordPurchases = """
                            - Sid: RecordPurchases
                              Effect: Allow
                              # GetItem: a purchase is its request's idempotency record, read back to replay a retried request
                              Action: [dynamodb:GetItem, dynamodb:PutItem]
                              Resource: !GetAtt PurchasesTable.Arn
                """;
        assertThat(yaml).contains(recordPurchases);
        Path copy = dir.resolve("template.yaml");
        Files.writeString(copy, yaml.replace(recordPurchases, ""));

        ResolvedTemplate without = resolve(copy, parameters);
        List<String> mismatches = mismatches(RolePolicies.of(without), samRoles(TEMPLATE, parameters),
                probes(without));

        assertThat(mismatches).containsExactly("TransactionFunction dynamodb:GetItem on "
                + "arn:aws:dynamodb:eu-west-1:123456789012:table/edge-inventory-dev-purchases: ours IMPLICIT_DENY, "
                + "SAM's ALLOWED", "TransactionFunction dynamodb:PutItem on "
                + "arn:aws:dynamodb:eu-west-1:123456789012:table/edge-inventory-dev-purchases: ours IMPLICIT_DENY, "
                + "SAM's ALLOWED");
    }

    /**
     * Every SAM policy template the local check expands, a managed policy by name, and SAM's additions for a
     * dead-letter queue, EventInvokeConfig destinations and DynamoDB / SQS / Kinesis event sources, on a small
     * template, against SAM's translation of it.
     */
    @Test
    void policyTemplatesAndSamAdditionsAsSamExpandsThem(@TempDir Path dir) throws IOException {
        String topic = "arn:aws:sns:eu-west-1:123456789012:topic1";
        Path template = dir.resolve("template.yaml");
        Files.writeString(template, """
                AWSTemplateFormatVersion: "2010-09-09"
                Transform: AWS::Serverless-2016-10-31
                Resources:
                  Table:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      TableName: t1
                      BillingMode: PAY_PER_REQUEST
                      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
                      KeySchema: [{AttributeName: pk, KeyType: HASH}]
                      StreamSpecification: {StreamViewType: NEW_IMAGE}
                  Queue:
                    Type: AWS::SQS::Queue
                    Properties:
                      QueueName: q1
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      FunctionName: fn
                      Handler: a.B::handle
                      Runtime: java25
                      CodeUri: x.jar
                      Tracing: Active
                      Policies:
                        - DynamoDBCrudPolicy: {TableName: !Ref Table}
                        - DynamoDBReadPolicy: {TableName: t-read}
                        - DynamoDBWritePolicy: {TableName: t-write}
                        - DynamoDBStreamReadPolicy: {TableName: t-read, StreamName: "2026-01-01T00:00:00.000"}
                        - S3ReadPolicy: {BucketName: b-read}
                        - S3WritePolicy: {BucketName: b-write}
                        - S3CrudPolicy: {BucketName: b-crud}
                        - SQSSendMessagePolicy: {QueueName: !GetAtt Queue.QueueName}
                        - SQSPollerPolicy: {QueueName: q-poll}
                        - KinesisCrudPolicy: {StreamName: s-crud}
                        - KinesisStreamReadPolicy: {StreamName: s-read}
                        - SNSPublishMessagePolicy: {TopicName: topic-pub}
                        - AWSLambdaSQSQueueExecutionRole
                        - Statement:
                            - Sid: NoDeletes
                              Effect: Deny
                              Action: [dynamodb:DeleteItem, s3:Delete*]
                              NotResource: arn:aws:s3:::b-crud/scratch/*
                      DeadLetterQueue: {Type: SNS, TargetArn: TOPIC}
                      EventInvokeConfig:
                        DestinationConfig:
                          OnSuccess: {Type: SNS, Destination: TOPIC}
                          OnFailure: {Type: SQS, Destination: !GetAtt Queue.Arn}
                      Events:
                        Changes:
                          Type: DynamoDB
                          Properties:
                            Stream: !GetAtt Table.StreamArn
                            StartingPosition: LATEST
                            DestinationConfig:
                              OnFailure: {Type: SNS, Destination: TOPIC}
                        Poll:
                          Type: SQS
                          Properties:
                            Queue: arn:aws:sqs:eu-west-1:123456789012:q-poll
                        Read:
                          Type: Kinesis
                          Properties:
                            Stream: arn:aws:kinesis:eu-west-1:123456789012:stream/s-read
                            StartingPosition: LATEST
                """.replace("TOPIC", topic));
        assertThat(Files.readString(template)).contains(SamPolicyTemplates.supported().stream()
                .map(name -> "- " + name + ":").toList());

        ResolvedTemplate ours = resolve(template, Map.of());
        Map<String, FunctionPolicy> policies = RolePolicies.of(ours);
        assertThat(policies.get("Fn").notEvaluable()).isEmpty();
        List<String> probes = new ArrayList<>(probes(ours));
        for (String table : List.of("t-read", "t-write")) {
            String arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/" + table;
            probes.addAll(List.of(arn, arn + "/index/i", arn + "/stream/2026-01-01T00:00:00.000", arn + "/stream/x"));
        }
        for (String bucket : List.of("b-read", "b-write", "b-crud")) {
            probes.addAll(List.of("arn:aws:s3:::" + bucket, "arn:aws:s3:::" + bucket + "/k",
                    "arn:aws:s3:::" + bucket + "/scratch/k"));
        }
        probes.addAll(List.of("arn:aws:sqs:eu-west-1:123456789012:q-poll", topic,
                "arn:aws:sns:eu-west-1:123456789012:topic-pub",
                "arn:aws:kinesis:eu-west-1:123456789012:stream/s-crud",
                "arn:aws:kinesis:eu-west-1:123456789012:stream/s-read"));

        assertThat(mismatches(policies, samRoles(template, Map.of()), probes)).isEmpty();
        assertThat(policies.get("Fn").evaluate("s3:DeleteObject", "arn:aws:s3:::b-crud/k").outcome())
                .isEqualTo(PolicyEvaluator.Outcome.EXPLICIT_DENY);
        assertThat(policies.get("Fn").evaluate("kinesis:SplitShard",
                "arn:aws:kinesis:eu-west-1:123456789012:stream/s-crud").allowed()).isTrue();
    }

    private static ResolvedTemplate resolve(Path template, Map<String, String> parameters) {
        return TemplateResolver.resolve(template, ResolveOptions.defaults().withRegion(REGION)
                .withParameterOverrides(parameters));
    }

    /** SAM's roles, by logical id, as statements: the translated template resolved under the same parameters. */
    @SuppressWarnings("unchecked")
    private static Map<String, List<PolicyStatement>> samRoles(Path template, Map<String, String> parameters) {
        JsonNode translated = SamTranslator.translate(template, REGION, parameters);
        Map<String, Object> cfn = new ObjectMapper().convertValue(translated, Map.class);
        Map<String, Object> resources = new LinkedHashMap<>();
        ((Map<String, Object>) cfn.get("Resources")).forEach((id, r) -> {
            Map<String, Object> resource = new LinkedHashMap<>((Map<String, Object>) r);
            if (!KEPT_TYPES.contains(resource.get("Type"))) {
                return;
            }
            if (!"AWS::IAM::Role".equals(resource.get("Type")) && resource.get("Properties") instanceof Map<?, ?> p) {
                // names and what the ARNs derive from only: the rest may refer to resources left out (functions)
                Map<String, Object> kept = new LinkedHashMap<>((Map<String, Object>) p);
                kept.keySet().retainAll(NAME_PROPERTIES);
                resource.put("Properties", kept);
            }
            resource.remove("DependsOn");
            resources.put(id, resource);
        });
        Map<String, Object> reduced = new LinkedHashMap<>();
        for (String section : List.of("Parameters", "Conditions")) {
            if (cfn.get(section) != null) {
                reduced.put(section, cfn.get(section));
            }
        }
        reduced.put("Resources", resources);
        ResolvedTemplate resolved = TemplateResolver.resolve(reduced, template, ResolveOptions.defaults()
                .withRegion(REGION).withParameterOverrides(parameters));

        Map<String, List<PolicyStatement>> roles = new LinkedHashMap<>();
        for (ResolvedResource role : resolved.resourcesOfType("AWS::IAM::Role")) {
            List<PolicyStatement> statements = new ArrayList<>();
            Object managed = role.properties().get("ManagedPolicyArns");
            for (Object arn : managed instanceof List<?> l ? l : List.of()) {
                statements.addAll(ManagedPolicies.statements(arn.toString()).orElseThrow(() -> new AssertionError(
                        role.logicalId() + ": SAM attaches " + arn + ", which ManagedPolicies does not know")));
            }
            Object inline = role.properties().get("Policies");
            for (Object policy : inline instanceof List<?> l ? l : List.of()) {
                Map<String, Object> p = (Map<String, Object>) policy;
                statements.addAll(PolicyStatement.parseDocument(p.get("PolicyDocument"),
                        role.logicalId() + "." + p.get("PolicyName")));
            }
            roles.put(role.logicalId(), statements);
        }
        return roles;
    }

    /** Every ARN of the template's tables, indexes, streams, bucket prefixes, queues and Kinesis streams. */
    private static List<String> probes(ResolvedTemplate t) {
        Set<String> arns = new LinkedHashSet<>();
        String prefix = "arn:aws:dynamodb:" + REGION + ":" + ResolveOptions.ACCOUNT_ID + ":table/";
        for (ResolvedResource table : t.tables()) {
            String arn = prefix + table.physicalId();
            arns.add(arn);
            arns.add(arn + "/stream/1970-01-01T00:00:00.000");
            for (String key : List.of("GlobalSecondaryIndexes", "LocalSecondaryIndexes")) {
                if (table.properties().get(key) instanceof List<?> indexes) {
                    indexes.forEach(i -> arns.add(arn + "/index/" + ((Map<?, ?>) i).get("IndexName")));
                }
            }
            arns.add(arn + "/index/notAnIndex");
        }
        for (ResolvedResource bucket : t.buckets()) {
            String arn = "arn:aws:s3:::" + bucket.physicalId();
            arns.add(arn);
            for (String p : List.of("products/p1/product.json", "products/p1/a.jpg", "derived/p1/128.jpg",
                    "rejected/p1.json", "stock/2026-12-03.csv", "reports/2026-12-03.json", "other/x")) {
                arns.add(arn + "/" + p);
            }
        }
        for (ResolvedResource queue : t.queues()) {
            arns.add("arn:aws:sqs:" + REGION + ":" + ResolveOptions.ACCOUNT_ID + ":" + queue.physicalId());
        }
        for (ResolvedResource stream : t.kinesisStreams()) {
            arns.add("arn:aws:kinesis:" + REGION + ":" + ResolveOptions.ACCOUNT_ID + ":stream/" + stream.physicalId());
        }
        Object central = t.parameters().get("CentralStreamArn");
        if (central instanceof String s && !s.isEmpty()) {
            arns.add(s);
        }
        arns.add("arn:aws:sns:" + REGION + ":" + ResolveOptions.ACCOUNT_ID + ":some-topic");
        arns.add("arn:aws:logs:" + REGION + ":" + ResolveOptions.ACCOUNT_ID + ":log-group:/aws/lambda/x:*");
        arns.add("*");
        Set<String> all = new LinkedHashSet<>(arns);
        for (String arn : arns) {
            all.add(arn.replace(":" + REGION + ":", ":ap-south-1:"));
            all.add(arn.replace("-dev-", "-prod-"));
        }
        return new ArrayList<>(all);
    }

    private static List<String> mismatches(Map<String, FunctionPolicy> ours, Map<String, List<PolicyStatement>> sams,
            List<String> probes) {
        Set<String> out = new TreeSet<>();
        ours.forEach((id, policy) -> {
            List<PolicyStatement> sam = sams.get(id + "Role");
            if (sam == null) {
                out.add(id + ": SAM generates no role " + id + "Role");
                return;
            }
            Set<String> actions = new LinkedHashSet<>(ACTIONS);
            Stream.concat(policy.statements().stream(), sam.stream()).flatMap(st -> st.actions().stream())
                    .map(a -> a.replace("*", "")).filter(a -> a.contains(":") && !a.endsWith(":"))
                    .forEach(actions::add);
            for (String resource : probes) {
                for (String action : actions) {
                    PolicyEvaluator.Outcome mine = policy.evaluate(action, resource).outcome();
                    PolicyEvaluator.Outcome theirs = PolicyEvaluator.evaluate(sam, action, resource).outcome();
                    if (mine != theirs) {
                        out.add(id + " " + action + " on " + resource + ": ours " + mine + ", SAM's " + theirs);
                    }
                }
            }
        });
        return new ArrayList<>(out);
    }
}
