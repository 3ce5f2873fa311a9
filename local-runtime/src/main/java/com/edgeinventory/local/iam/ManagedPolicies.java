package com.edgeinventory.local.iam;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The statements of the AWS managed policies SAM attaches to function roles, as AWS publishes them (the
 * {@code logs}/{@code xray}/{@code ec2} statements are listed for completeness; the local check only sees the
 * services of {@link AwsRequestActions}). A managed policy not listed here is not evaluable: a function that
 * has one gets {@link FunctionPolicy#notEvaluable()} entries, because what it allows is unknown.
 */
public final class ManagedPolicies {

    private static final String PREFIX = ":iam::aws:policy/";
    private static final List<String> LOGS = List.of("logs:CreateLogGroup", "logs:CreateLogStream",
            "logs:PutLogEvents");

    private static final Map<String, List<String>> ALLOWED_ON_EVERY_RESOURCE = Map.of(
            "service-role/AWSLambdaBasicExecutionRole", LOGS,
            "AWSXrayWriteOnlyAccess", List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords",
                    "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"),
            "service-role/AWSLambdaDynamoDBExecutionRole", concat(List.of("dynamodb:DescribeStream",
                    "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"), LOGS),
            "service-role/AWSLambdaKinesisExecutionRole", concat(List.of("kinesis:DescribeStream",
                    "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator",
                    "kinesis:ListShards", "kinesis:ListStreams", "kinesis:SubscribeToShard"), LOGS),
            "service-role/AWSLambdaSQSQueueExecutionRole", concat(List.of("sqs:ReceiveMessage", "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes"), LOGS),
            "service-role/AWSLambdaVPCAccessExecutionRole", concat(List.of("ec2:CreateNetworkInterface",
                    "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface",
                    "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"), LOGS));

    private ManagedPolicies() {
    }

    /** The ARN of an AWS managed policy, e.g. {@code service-role/AWSLambdaBasicExecutionRole}. */
    public static String arn(String partition, String path) {
        return "arn:" + partition + PREFIX + path;
    }

    /**
     * The statements of a managed policy given by ARN, or by bare name as SAM accepts it in {@code Policies}
     * ({@code AWSLambdaBasicExecutionRole}); empty when the policy is not one this class knows.
     */
    public static Optional<List<PolicyStatement>> statements(String arnOrName) {
        String path;
        int at = arnOrName.indexOf(PREFIX);
        if (arnOrName.startsWith("arn:") && at > 0) {
            path = arnOrName.substring(at + PREFIX.length());
        } else if (!arnOrName.contains(":")) {
            path = ALLOWED_ON_EVERY_RESOURCE.keySet().stream()
                    .filter(k -> k.equals(arnOrName) || k.endsWith("/" + arnOrName))
                    .findFirst().orElse(arnOrName);
        } else {
            return Optional.empty();
        }
        List<String> actions = ALLOWED_ON_EVERY_RESOURCE.get(path);
        if (actions == null) {
            return Optional.empty();
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        return Optional.of(List.of(PolicyStatement.allow("managed policy " + name, actions, List.of("*"))));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
