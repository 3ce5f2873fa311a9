package com.edgeinventory.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.edgeinventory.local.iam.RequestActions.Status;

/** Raw requests, as the functions' SDK clients send them to the local endpoint, to what IAM checks. */
class IamRequestActionsTest {

    private static final AwsRequestActions ACTIONS = new AwsRequestActions();
    private static final String DDB = "arn:aws:dynamodb:eu-west-1:123456789012:table/";
    private static final String S3 = "arn:aws:s3:::";
    private static final String SQS = "arn:aws:sqs:eu-west-1:123456789012:";
    private static final String KINESIS = "arn:aws:kinesis:us-east-2:123456789012:stream/";

    private static String authorization(String region, String service) {
        return "AWS4-HMAC-SHA256 Credential=AKIDPRODUCTUPLOAD/20261203/" + region + "/" + service
                + "/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123";
    }

    private static AwsHttpRequest json(String service, String region, String target, String body) {
        return new AwsHttpRequest("POST", "/", "", Map.of("Authorization", List.of(authorization(region, service)),
                "X-Amz-Target", List.of(target), "Content-Type", List.of("application/x-amz-json-1.0")),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static AwsHttpRequest ddb(String op, String body) {
        return json("dynamodb", "eu-west-1", "DynamoDB_20120810." + op, body);
    }

    private static AwsHttpRequest s3(String method, String path, String query, Map<String, String> headers,
            String body) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Authorization", List.of(authorization("eu-west-1", "s3")));
        h.put("Host", List.of("127.0.0.1:4566"));
        headers.forEach((k, v) -> h.put(k, List.of(v)));
        return new AwsHttpRequest(method, path, query, h, body.getBytes(StandardCharsets.UTF_8));
    }

    private static AwsHttpRequest sqsQuery(String form) {
        return new AwsHttpRequest("POST", "/", "", Map.of("authorization", List.of(authorization("eu-west-1", "sqs")),
                "content-type", List.of("application/x-www-form-urlencoded; charset=utf-8")),
                form.getBytes(StandardCharsets.UTF_8));
    }

    private static Arguments row(String name, AwsHttpRequest request, String... pairs) {
        List<ActionCheck> checks = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            checks.add(new ActionCheck(pairs[i], pairs[i + 1]));
        }
        return Arguments.of(name, request, checks);
    }

    static Stream<Arguments> evaluated() {
        String bucket = "edge-inventory-dev-uploads-123456789012-eu-west-1";
        String queueUrl = "http://127.0.0.1:4566/123456789012/edge-inventory-dev-upload-dlq";
        return Stream.of(
                row("GetItem", ddb("GetItem", "{\"TableName\":\"inv\",\"Key\":{}}"), "dynamodb:GetItem", DDB + "inv"),
                row("PutItem", ddb("PutItem", "{\"TableName\":\"inv\",\"Item\":{}}"), "dynamodb:PutItem", DDB + "inv"),
                row("UpdateItem", ddb("UpdateItem", "{\"TableName\":\"inv\"}"), "dynamodb:UpdateItem", DDB + "inv"),
                row("DeleteItem", ddb("DeleteItem", "{\"TableName\":\"inv\"}"), "dynamodb:DeleteItem", DDB + "inv"),
                row("DescribeTable", ddb("DescribeTable", "{\"TableName\":\"inv\"}"), "dynamodb:DescribeTable",
                        DDB + "inv"),
                row("Query", ddb("Query", "{\"TableName\":\"inv\"}"), "dynamodb:Query", DDB + "inv"),
                row("Query on an index", ddb("Query", "{\"TableName\":\"inv\",\"IndexName\":\"byStyle\"}"),
                        "dynamodb:Query", DDB + "inv/index/byStyle"),
                row("Scan on an index", ddb("Scan", "{\"TableName\":\"inv\",\"IndexName\":\"g\"}"), "dynamodb:Scan",
                        DDB + "inv/index/g"),
                row("TableName as ARN", ddb("GetItem", "{\"TableName\":\"" + DDB + "other\"}"), "dynamodb:GetItem",
                        DDB + "other"),
                row("BatchGetItem per table", ddb("BatchGetItem",
                        "{\"RequestItems\":{\"a\":{\"Keys\":[]},\"b\":{\"Keys\":[]}}}"),
                        "dynamodb:BatchGetItem", DDB + "a", "dynamodb:BatchGetItem", DDB + "b"),
                row("BatchWriteItem per table", ddb("BatchWriteItem", "{\"RequestItems\":{\"a\":[]}}"),
                        "dynamodb:BatchWriteItem", DDB + "a"),
                row("TransactWriteItems per item", ddb("TransactWriteItems", "{\"TransactItems\":["
                        + "{\"Put\":{\"TableName\":\"a\"}},{\"Update\":{\"TableName\":\"b\"}},"
                        + "{\"Delete\":{\"TableName\":\"c\"}},{\"ConditionCheck\":{\"TableName\":\"d\"}}]}"),
                        "dynamodb:PutItem", DDB + "a", "dynamodb:UpdateItem", DDB + "b", "dynamodb:DeleteItem",
                        DDB + "c", "dynamodb:ConditionCheckItem", DDB + "d"),
                row("TransactGetItems per item", ddb("TransactGetItems",
                        "{\"TransactItems\":[{\"Get\":{\"TableName\":\"a\"}},{\"Get\":{\"TableName\":\"b\"}}]}"),
                        "dynamodb:GetItem", DDB + "a", "dynamodb:GetItem", DDB + "b"),
                row("ListTables", ddb("ListTables", "{}"), "dynamodb:ListTables", "*"),
                row("Streams DescribeStream", json("dynamodb", "eu-west-1", "DynamoDBStreams_20120810.DescribeStream",
                        "{\"StreamArn\":\"" + DDB + "inv/stream/1970-01-01T00:00:00.000\"}"),
                        "dynamodb:DescribeStream", DDB + "inv/stream/1970-01-01T00:00:00.000"),
                row("Streams GetShardIterator", json("dynamodb", "eu-west-1",
                        "DynamoDBStreams_20120810.GetShardIterator", "{\"StreamArn\":\"" + DDB + "inv/stream/L\","
                                + "\"ShardId\":\"s\",\"ShardIteratorType\":\"TRIM_HORIZON\"}"),
                        "dynamodb:GetShardIterator", DDB + "inv/stream/L"),
                row("Streams GetRecords", json("dynamodb", "eu-west-1", "DynamoDBStreams_20120810.GetRecords",
                        "{\"ShardIterator\":\"" + DDB + "inv/stream/L|1|abc\"}"),
                        "dynamodb:GetRecords", DDB + "inv/stream/L"),
                row("Streams ListStreams", json("dynamodb", "eu-west-1", "DynamoDBStreams_20120810.ListStreams", ""),
                        "dynamodb:ListStreams", "*"),

                row("GetObject", s3("GET", "/" + bucket + "/products/p1/product.json", "", Map.of(), ""),
                        "s3:GetObject", S3 + bucket + "/products/p1/product.json"),
                row("GetObject URL-decoded key", s3("GET", "/" + bucket + "/products/a%20b%2Bc%2Fd+e.jpg", "",
                        Map.of(), ""), "s3:GetObject", S3 + bucket + "/products/a b+c/d+e.jpg"),
                row("HeadObject", s3("HEAD", "/" + bucket + "/k", "", Map.of(), ""), "s3:GetObject", S3 + bucket + "/k"),
                row("PutObject", s3("PUT", "/" + bucket + "/derived/p/128.jpg", "", Map.of(), "x"),
                        "s3:PutObject", S3 + bucket + "/derived/p/128.jpg"),
                row("CopyObject", s3("PUT", "/" + bucket + "/rejected/p.json", "",
                        Map.of("x-amz-copy-source", bucket + "/products/p%20q.json"), ""),
                        "s3:PutObject", S3 + bucket + "/rejected/p.json",
                        "s3:GetObject", S3 + bucket + "/products/p q.json"),
                row("CopyObject of a version", s3("PUT", "/b/t", "",
                        Map.of("x-amz-copy-source", "/src/k?versionId=3"), ""),
                        "s3:PutObject", S3 + "b/t", "s3:GetObjectVersion", S3 + "src/k"),
                row("DeleteObject", s3("DELETE", "/b/products/p.json", "", Map.of(), ""), "s3:DeleteObject",
                        S3 + "b/products/p.json"),
                row("DeleteObjects", s3("POST", "/b", "delete", Map.of(), "<?xml version=\"1.0\"?><Delete "
                        + "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Object><Key>a/1</Key></Object>"
                        + "<Object><Key>a &amp; b</Key></Object><Quiet>true</Quiet></Delete>"),
                        "s3:DeleteObject", S3 + "b/a/1", "s3:DeleteObject", S3 + "b/a & b"),
                row("ListObjectsV2", s3("GET", "/b", "list-type=2&prefix=products%2F", Map.of(), ""),
                        "s3:ListBucket", S3 + "b"),
                row("ListObjectsV2 with a trailing slash", s3("GET", "/b/", "list-type=2", Map.of(), ""),
                        "s3:ListBucket", S3 + "b"),
                row("HeadBucket", s3("HEAD", "/b", "", Map.of(), ""), "s3:ListBucket", S3 + "b"),
                row("CreateMultipartUpload", s3("POST", "/b/big", "uploads", Map.of(), ""), "s3:PutObject",
                        S3 + "b/big"),
                row("UploadPart", s3("PUT", "/b/big", "partNumber=1&uploadId=u", Map.of(), "x"), "s3:PutObject",
                        S3 + "b/big"),
                row("CompleteMultipartUpload", s3("POST", "/b/big", "uploadId=u", Map.of(), "<x/>"), "s3:PutObject",
                        S3 + "b/big"),
                row("AbortMultipartUpload", s3("DELETE", "/b/big", "uploadId=u", Map.of(), ""),
                        "s3:AbortMultipartUpload", S3 + "b/big"),
                row("virtual-host style", s3("GET", "/k/1", "", Map.of("Host", "vb.s3.eu-west-1.amazonaws.com"), ""),
                        "s3:GetObject", S3 + "vb/k/1"),
                row("virtual-host style on localhost", s3("GET", "/", "list-type=2",
                        Map.of("Host", "vb.localhost:4566"), ""), "s3:ListBucket", S3 + "vb"),
                row("ListBuckets", s3("GET", "/", "", Map.of(), ""), "s3:ListAllMyBuckets", "*"),

                row("SQS JSON SendMessage", json("sqs", "eu-west-1", "AmazonSQS.SendMessage",
                        "{\"QueueUrl\":\"" + queueUrl + "\",\"MessageBody\":\"x\"}"),
                        "sqs:SendMessage", SQS + "edge-inventory-dev-upload-dlq"),
                row("SQS JSON SendMessageBatch is sqs:SendMessage", json("sqs", "eu-west-1",
                        "AmazonSQS.SendMessageBatch", "{\"QueueUrl\":\"" + queueUrl + "\",\"Entries\":[]}"),
                        "sqs:SendMessage", SQS + "edge-inventory-dev-upload-dlq"),
                row("SQS JSON ReceiveMessage", json("sqs", "eu-west-1", "AmazonSQS.ReceiveMessage",
                        "{\"QueueUrl\":\"" + queueUrl + "\"}"), "sqs:ReceiveMessage",
                        SQS + "edge-inventory-dev-upload-dlq"),
                row("SQS JSON DeleteMessageBatch", json("sqs", "eu-west-1", "AmazonSQS.DeleteMessageBatch",
                        "{\"QueueUrl\":\"" + queueUrl + "\"}"), "sqs:DeleteMessage",
                        SQS + "edge-inventory-dev-upload-dlq"),
                row("SQS JSON GetQueueUrl", json("sqs", "eu-west-1", "AmazonSQS.GetQueueUrl",
                        "{\"QueueName\":\"q1\"}"), "sqs:GetQueueUrl", SQS + "q1"),
                row("SQS JSON GetQueueUrl of another account", json("sqs", "eu-west-1", "AmazonSQS.GetQueueUrl",
                        "{\"QueueName\":\"q1\",\"QueueOwnerAWSAccountId\":\"210987654321\"}"), "sqs:GetQueueUrl",
                        "arn:aws:sqs:eu-west-1:210987654321:q1"),
                row("SQS query SendMessage", sqsQuery("Action=SendMessage&Version=2012-11-05&QueueUrl="
                        + "http%3A%2F%2Flocalhost%3A4566%2F123456789012%2Fq2&MessageBody=hi"),
                        "sqs:SendMessage", SQS + "q2"),
                row("SQS query GetQueueAttributes", sqsQuery("Action=GetQueueAttributes&QueueUrl="
                        + "http%3A%2F%2Flocalhost%2F123456789012%2Fq3&AttributeName.1=All"),
                        "sqs:GetQueueAttributes", SQS + "q3"),

                row("Kinesis PutRecords by name, cross-region", json("kinesis", "us-east-2",
                        "Kinesis_20131202.PutRecords", "{\"StreamName\":\"central\",\"Records\":[]}"),
                        "kinesis:PutRecords", KINESIS + "central"),
                row("Kinesis PutRecord by ARN", json("kinesis", "us-east-2", "Kinesis_20131202.PutRecord",
                        "{\"StreamARN\":\"" + KINESIS + "s\",\"Data\":\"eA==\",\"PartitionKey\":\"k\"}"),
                        "kinesis:PutRecord", KINESIS + "s"),
                row("Kinesis GetShardIterator", json("kinesis", "us-east-2", "Kinesis_20131202.GetShardIterator",
                        "{\"StreamName\":\"s\",\"ShardId\":\"x\"}"), "kinesis:GetShardIterator", KINESIS + "s"),
                row("Kinesis DescribeStreamSummary", json("kinesis", "us-east-2",
                        "Kinesis_20131202.DescribeStreamSummary", "{\"StreamName\":\"s\"}"),
                        "kinesis:DescribeStreamSummary", KINESIS + "s"),
                row("Kinesis ListShards", json("kinesis", "us-east-2", "Kinesis_20131202.ListShards",
                        "{\"StreamName\":\"s\"}"), "kinesis:ListShards", KINESIS + "s"),
                row("Kinesis DescribeStream", json("kinesis", "us-east-2", "Kinesis_20131202.DescribeStream",
                        "{\"StreamName\":\"s\"}"), "kinesis:DescribeStream", KINESIS + "s"),
                row("Kinesis GetRecords with StreamARN", json("kinesis", "us-east-2", "Kinesis_20131202.GetRecords",
                        "{\"ShardIterator\":\"opaque\",\"StreamARN\":\"" + KINESIS + "s\"}"),
                        "kinesis:GetRecords", KINESIS + "s"),
                row("Kinesis GetRecords with moto's iterator", json("kinesis", "us-east-2",
                        "Kinesis_20131202.GetRecords", "{\"ShardIterator\":\""
                                + java.util.Base64.getEncoder().encodeToString(
                                        "s:shardId-000000000000:0".getBytes(StandardCharsets.UTF_8)) + "\"}"),
                        "kinesis:GetRecords", KINESIS + "s"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("evaluated")
    void requestsToChecks(String name, AwsHttpRequest request, List<ActionCheck> expected) {
        RequestActions actions = ACTIONS.classify(request);

        assertThat(actions.reason()).isEmpty();
        assertThat(actions.status()).isEqualTo(Status.EVALUATED);
        assertThat(actions.checks()).containsExactlyElementsOf(expected);
        assertThat(actions.accessKeyId()).isEqualTo("AKIDPRODUCTUPLOAD");
        assertThat(actions.protocol()).isPresent();
    }

    @Test
    void regionAndProtocolComeFromTheRequest() {
        RequestActions a = ACTIONS.classify(json("kinesis", "us-east-2", "Kinesis_20131202.PutRecords",
                "{\"StreamName\":\"central\"}"));
        assertThat(a.region()).isEqualTo("us-east-2");
        assertThat(a.operation()).isEqualTo("PutRecords");
        assertThat(a.protocol()).contains(AccessDenied.Protocol.KINESIS);
        assertThat(ACTIONS.classify(sqsQuery("Action=ListQueues")).protocol()).contains(AccessDenied.Protocol.SQS_QUERY);
        assertThat(ACTIONS.classify(json("sqs", "eu-west-1", "AmazonSQS.ListQueues", "{}")).protocol())
                .contains(AccessDenied.Protocol.SQS_JSON);
    }

    @Test
    void presignedUrlsCarryTheirScopeInTheQuery() {
        AwsHttpRequest presigned = new AwsHttpRequest("GET", "/b/k", "X-Amz-Algorithm=AWS4-HMAC-SHA256&"
                + "X-Amz-Credential=AKIDX%2F20261203%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Signature=abc",
                Map.of(), new byte[0]);
        RequestActions a = ACTIONS.classify(presigned);
        assertThat(a.checks()).containsExactly(new ActionCheck("s3:GetObject", S3 + "b/k"));
        assertThat(a.accessKeyId()).isEqualTo("AKIDX");
    }

    static Stream<Arguments> notEvaluated() {
        return Stream.of(
                Arguments.of("unsigned", new AwsHttpRequest("GET", "/b/k", "", Map.of(), new byte[0]),
                        Status.NOT_EVALUATED, "unsigned"),
                Arguments.of("another service", json("sts", "eu-west-1", "", ""), Status.NOT_EVALUATED,
                        "service sts is not evaluated"),
                Arguments.of("PartiQL", ddb("ExecuteStatement", "{\"Statement\":\"SELECT\"}"), Status.NOT_EVALUATED,
                        "PartiQL"),
                Arguments.of("unknown SQS op", json("sqs", "eu-west-1", "AmazonSQS.Frobnicate", "{}"),
                        Status.NOT_EVALUATED, "Frobnicate is not evaluated"),
                Arguments.of("DynamoDB body not JSON", ddb("GetItem", "{not json"), Status.UNREADABLE, "not JSON"),
                Arguments.of("DynamoDB body an array", ddb("GetItem", "[1]"), Status.UNREADABLE,
                        "not a JSON object"),
                Arguments.of("GetItem without TableName", ddb("GetItem", "{}"), Status.UNREADABLE,
                        "GetItem without TableName"),
                Arguments.of("BatchWriteItem without RequestItems", ddb("BatchWriteItem", "{}"), Status.UNREADABLE,
                        "without RequestItems"),
                Arguments.of("TransactWriteItems item of no kind", ddb("TransactWriteItems",
                        "{\"TransactItems\":[{\"Frob\":{}}]}"), Status.UNREADABLE, "none of Put"),
                Arguments.of("Kinesis CBOR", new AwsHttpRequest("POST", "/", "", Map.of("Authorization",
                        List.of(authorization("us-east-2", "kinesis")), "X-Amz-Target",
                        List.of("Kinesis_20131202.PutRecords"), "Content-Type", List.of("application/x-amz-cbor-1.1")),
                        new byte[] {(byte) 0xbf, 0x01}), Status.UNREADABLE, "CBOR"),
                Arguments.of("Kinesis without a stream", json("kinesis", "us-east-2", "Kinesis_20131202.PutRecords",
                        "{\"Records\":[]}"), Status.UNREADABLE, "names no stream"),
                Arguments.of("SQS bad QueueUrl", json("sqs", "eu-west-1", "AmazonSQS.SendMessage",
                        "{\"QueueUrl\":\"http://h/q\"}"), Status.UNREADABLE, "is not http://host/ACCOUNT/NAME"),
                Arguments.of("SQS query without Action", sqsQuery("QueueUrl=x"), Status.UNREADABLE,
                        "neither X-Amz-Target"),
                Arguments.of("DeleteObjects not XML", s3("POST", "/b", "delete", Map.of(), "<Delete><Object>"),
                        Status.UNREADABLE, "not XML"),
                Arguments.of("DeleteObjects with a DTD", s3("POST", "/b", "delete", Map.of(),
                        "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                                + "<Delete><Object><Key>&e;</Key></Object></Delete>"), Status.UNREADABLE, "not XML"),
                Arguments.of("copy source without key", s3("PUT", "/b/t", "", Map.of("x-amz-copy-source", "src"),
                        ""), Status.UNREADABLE, "not bucket/key"),
                Arguments.of("garbage Authorization", new AwsHttpRequest("GET", "/b/k", "", Map.of("Authorization",
                        List.of("Bearer x")), new byte[0]), Status.NOT_EVALUATED, "unsigned"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notEvaluated")
    void malformedOrUnknownRequestsAreReportedNeverThrown(String name, AwsHttpRequest request, Status status,
            String reason) {
        RequestActions actions = ACTIONS.classify(request);

        assertThat(actions.status()).isEqualTo(status);
        assertThat(actions.checks()).isEmpty();
        assertThat(actions.reason()).contains(reason);
    }
}
