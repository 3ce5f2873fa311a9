package com.edgeinventory.local.iam;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import com.edgeinventory.local.template.ResolveOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * From a raw request to the local AWS endpoint, the (IAM action, resource ARN) pairs IAM would authorize, for the
 * services the functions use: DynamoDB and DynamoDB Streams (JSON 1.0), S3 (REST, path-style or virtual-host
 * style), SQS (JSON and query protocols) and Kinesis (JSON). The region and the calling access key come from the
 * SigV4 credential scope ({@code Authorization: AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request}
 * or a presigned URL's {@code X-Amz-Credential}); the signature itself is not verified.
 *
 * <p>Never throws for a request: anything it does not model is {@link RequestActions.Status#NOT_EVALUATED}, a
 * modelled request it cannot read is {@link RequestActions.Status#UNREADABLE}, each with a reason.
 */
public final class AwsRequestActions {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request");
    private static final Pattern VIRTUAL_HOST = Pattern.compile("^(.+?)\\.(?:s3[.-].*|localhost)$");

    private final String account;

    /** For the local account, {@link ResolveOptions#ACCOUNT_ID}. */
    public AwsRequestActions() {
        this(ResolveOptions.ACCOUNT_ID);
    }

    public AwsRequestActions(String account) {
        this.account = account;
    }

    private record Scope(String accessKeyId, String region, String service) {
    }

    /** What IAM checks for {@code request}. */
    public RequestActions classify(AwsHttpRequest request) {
        Optional<Scope> scope = scope(request);
        if (scope.isEmpty()) {
            return new RequestActions(RequestActions.Status.NOT_EVALUATED, Optional.empty(), "", "", "", List.of(),
                    "no SigV4 credential scope (unsigned request)");
        }
        Scope s = scope.get();
        try {
            return switch (s.service()) {
                case "dynamodb" -> dynamodb(request, s);
                case "s3" -> s3(request, s);
                case "sqs" -> sqs(request, s);
                case "kinesis" -> kinesis(request, s);
                default -> notEvaluated(s, null, "", "service " + s.service() + " is not evaluated");
            };
        } catch (NotModelled e) {
            return new RequestActions(RequestActions.Status.NOT_EVALUATED, Optional.ofNullable(e.protocol),
                    s.accessKeyId(), s.region(), e.operation, List.of(), e.getMessage());
        } catch (Unreadable e) {
            return new RequestActions(RequestActions.Status.UNREADABLE, Optional.ofNullable(e.protocol),
                    s.accessKeyId(), s.region(), e.operation, List.of(), e.getMessage());
        } catch (RuntimeException e) {
            return new RequestActions(RequestActions.Status.UNREADABLE, Optional.empty(), s.accessKeyId(),
                    s.region(), "", List.of(), s.service() + " request not readable: " + e);
        }
    }

    // ------------------------------------------------------------------ DynamoDB

    private static final Set<String> DYNAMODB_WILDCARD_OPS = Set.of("ListTables", "DescribeLimits",
            "DescribeEndpoints", "ListBackups", "ListGlobalTables", "ListExports", "ListImports");

    private RequestActions dynamodb(AwsHttpRequest r, Scope s) {
        String target = r.header("X-Amz-Target").orElse("");
        if (target.startsWith("DynamoDBStreams_20120810.")) {
            return dynamodbStreams(r, s, target.substring(target.indexOf('.') + 1));
        }
        if (!target.startsWith("DynamoDB_20120810.")) {
            return notEvaluated(s, AccessDenied.Protocol.DYNAMODB, "",
                    "DynamoDB request without a DynamoDB_20120810 X-Amz-Target: " + target);
        }
        String op = target.substring(target.indexOf('.') + 1);
        AccessDenied.Protocol p = AccessDenied.Protocol.DYNAMODB;
        JsonNode body = json(r, p, op);
        List<ActionCheck> checks = new ArrayList<>();
        switch (op) {
            case "BatchGetItem", "BatchWriteItem" -> {
                JsonNode items = body.path("RequestItems");
                if (!items.isObject() || items.isEmpty()) {
                    throw new Unreadable(p, op, op + " without RequestItems");
                }
                items.fieldNames().forEachRemaining(t -> checks.add(new ActionCheck("dynamodb:" + op, table(s, t))));
            }
            case "TransactWriteItems" -> {
                for (JsonNode item : array(body, "TransactItems", p, op)) {
                    boolean found = false;
                    for (String kind : List.of("Put", "Update", "Delete", "ConditionCheck")) {
                        if (item.has(kind)) {
                            String action = kind.equals("ConditionCheck") ? "ConditionCheckItem" : kind + "Item";
                            checks.add(new ActionCheck("dynamodb:" + action,
                                    table(s, text(item.get(kind), "TableName", p, op))));
                            found = true;
                        }
                    }
                    if (!found) {
                        throw new Unreadable(p, op, op + ": an item has none of Put, Update, Delete, ConditionCheck");
                    }
                }
            }
            case "TransactGetItems" -> {
                for (JsonNode item : array(body, "TransactItems", p, op)) {
                    checks.add(new ActionCheck("dynamodb:GetItem", table(s, text(item.path("Get"), "TableName", p,
                            op))));
                }
            }
            case "Query", "Scan" -> {
                String table = table(s, text(body, "TableName", p, op));
                String index = body.path("IndexName").asText("");
                checks.add(new ActionCheck("dynamodb:" + op, index.isEmpty() ? table : table + "/index/" + index));
            }
            case "GetItem", "PutItem", "UpdateItem", "DeleteItem", "DescribeTable", "CreateTable", "DeleteTable",
                    "UpdateTable", "DescribeTimeToLive", "UpdateTimeToLive", "DescribeContinuousBackups" ->
                    checks.add(new ActionCheck("dynamodb:" + op, table(s, text(body, "TableName", p, op))));
            case "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction" ->
                    throw new NotModelled(p, op, "PartiQL (" + op + ") is not evaluated");
            default -> {
                if (DYNAMODB_WILDCARD_OPS.contains(op)) {
                    checks.add(new ActionCheck("dynamodb:" + op, "*"));
                } else if (body.has("TableName")) {
                    checks.add(new ActionCheck("dynamodb:" + op, table(s, text(body, "TableName", p, op))));
                } else if (body.has("ResourceArn")) {
                    checks.add(new ActionCheck("dynamodb:" + op, text(body, "ResourceArn", p, op)));
                } else {
                    throw new NotModelled(p, op, "DynamoDB operation " + op + " is not evaluated");
                }
            }
        }
        return evaluated(s, p, op, checks);
    }

    private RequestActions dynamodbStreams(AwsHttpRequest r, Scope s, String op) {
        AccessDenied.Protocol p = AccessDenied.Protocol.DYNAMODB;
        JsonNode body = json(r, p, op);
        String resource = switch (op) {
            case "ListStreams" -> "*";
            case "DescribeStream", "GetShardIterator" -> text(body, "StreamArn", p, op);
            case "GetRecords" -> {
                // DynamoDB Streams' (and moto's) shard iterators start with the stream ARN: ARN|1|...
                String iterator = text(body, "ShardIterator", p, op);
                int bar = iterator.indexOf('|');
                if (!iterator.startsWith("arn:") || bar < 0) {
                    throw new Unreadable(p, op, "GetRecords: the shard iterator does not name its stream");
                }
                yield iterator.substring(0, bar);
            }
            default -> throw new NotModelled(p, op, "DynamoDB Streams operation " + op + " is not evaluated");
        };
        return evaluated(s, p, op, List.of(new ActionCheck("dynamodb:" + op, resource)));
    }

    private String table(Scope s, String nameOrArn) {
        return nameOrArn.startsWith("arn:") ? nameOrArn
                : arn(s, "dynamodb", "table/" + nameOrArn);
    }

    // ------------------------------------------------------------------ S3

    private static final Map<String, String> S3_BUCKET_GET = Map.ofEntries(
            Map.entry("uploads", "ListBucketMultipartUploads"), Map.entry("location", "GetBucketLocation"),
            Map.entry("versions", "ListBucketVersions"), Map.entry("policy", "GetBucketPolicy"),
            Map.entry("acl", "GetBucketAcl"), Map.entry("tagging", "GetBucketTagging"),
            Map.entry("notification", "GetBucketNotification"), Map.entry("versioning", "GetBucketVersioning"),
            Map.entry("cors", "GetBucketCORS"), Map.entry("lifecycle", "GetLifecycleConfiguration"),
            Map.entry("encryption", "GetEncryptionConfiguration"));
    private static final Map<String, String> S3_BUCKET_PUT = Map.ofEntries(
            Map.entry("policy", "PutBucketPolicy"), Map.entry("acl", "PutBucketAcl"),
            Map.entry("tagging", "PutBucketTagging"), Map.entry("notification", "PutBucketNotification"),
            Map.entry("versioning", "PutBucketVersioning"), Map.entry("cors", "PutBucketCORS"),
            Map.entry("lifecycle", "PutLifecycleConfiguration"), Map.entry("encryption", "PutEncryptionConfiguration"));
    private static final Map<String, String> S3_BUCKET_DELETE = Map.of(
            "policy", "DeleteBucketPolicy", "tagging", "PutBucketTagging", "cors", "PutBucketCORS",
            "lifecycle", "PutLifecycleConfiguration", "encryption", "PutEncryptionConfiguration");

    private RequestActions s3(AwsHttpRequest r, Scope s) {
        AccessDenied.Protocol p = AccessDenied.Protocol.S3;
        Map<String, String> query = query(r.rawQuery());
        String path = r.rawPath();
        String bucket;
        String rawKey;
        String host = r.header("Host").orElse("").replaceFirst(":\\d+$", "");
        Matcher vh = VIRTUAL_HOST.matcher(host);
        if (vh.matches() && !vh.group(1).equals("s3")) {
            bucket = vh.group(1);
            rawKey = path.length() > 1 ? path.substring(1) : "";
        } else {
            String rest = path.substring(1);
            int slash = rest.indexOf('/');
            bucket = decodePath(slash < 0 ? rest : rest.substring(0, slash));
            rawKey = slash < 0 ? "" : rest.substring(slash + 1);
        }
        String method = r.method().toUpperCase(Locale.ROOT);
        if (bucket.isEmpty()) {
            if (method.equals("GET")) {
                return evaluated(s, p, "ListBuckets", List.of(new ActionCheck("s3:ListAllMyBuckets", "*")));
            }
            throw new NotModelled(p, "", "S3 " + method + " / is not evaluated");
        }
        String bucketArn = "arn:" + RolePolicies.partition(s.region()) + ":s3:::" + bucket;
        if (rawKey.isEmpty()) {
            return s3Bucket(r, s, method, query, bucket, bucketArn);
        }
        String key = decodePath(rawKey);
        String object = bucketArn + "/" + key;
        List<ActionCheck> checks = new ArrayList<>();
        String op;
        switch (method) {
            case "GET", "HEAD" -> {
                op = method.equals("GET") ? "GetObject" : "HeadObject";
                String action = query.containsKey("uploadId") ? "ListMultipartUploadParts"
                        : query.containsKey("acl") ? "GetObjectAcl"
                        : query.containsKey("tagging") ? "GetObjectTagging"
                        : query.containsKey("versionId") ? "GetObjectVersion" : "GetObject";
                checks.add(new ActionCheck("s3:" + action, object));
            }
            case "PUT" -> {
                op = query.containsKey("uploadId") ? "UploadPart" : "PutObject";
                String action = query.containsKey("tagging") ? "PutObjectTagging"
                        : query.containsKey("acl") ? "PutObjectAcl" : "PutObject";
                checks.add(new ActionCheck("s3:" + action, object));
                Optional<String> copySource = r.header("x-amz-copy-source");
                if (copySource.isPresent()) {
                    op = op.equals("UploadPart") ? "UploadPartCopy" : "CopyObject";
                    checks.add(copySource(s, copySource.get(), p, op));
                }
            }
            case "POST" -> {
                if (query.containsKey("uploads")) {
                    op = "CreateMultipartUpload";
                } else if (query.containsKey("uploadId")) {
                    op = "CompleteMultipartUpload";
                } else {
                    throw new NotModelled(p, "", "S3 POST on an object without uploads/uploadId is not evaluated");
                }
                checks.add(new ActionCheck("s3:PutObject", object));
            }
            case "DELETE" -> {
                op = query.containsKey("uploadId") ? "AbortMultipartUpload" : "DeleteObject";
                String action = query.containsKey("uploadId") ? "AbortMultipartUpload"
                        : query.containsKey("tagging") ? "DeleteObjectTagging"
                        : query.containsKey("versionId") ? "DeleteObjectVersion" : "DeleteObject";
                checks.add(new ActionCheck("s3:" + action, object));
            }
            default -> throw new NotModelled(p, "", "S3 " + method + " on an object is not evaluated");
        }
        return evaluated(s, p, op, checks);
    }

    private RequestActions s3Bucket(AwsHttpRequest r, Scope s, String method, Map<String, String> query,
            String bucket, String bucketArn) {
        AccessDenied.Protocol p = AccessDenied.Protocol.S3;
        switch (method) {
            case "GET" -> {
                for (Map.Entry<String, String> e : S3_BUCKET_GET.entrySet()) {
                    if (query.containsKey(e.getKey())) {
                        return evaluated(s, p, e.getValue(), List.of(new ActionCheck("s3:" + e.getValue(),
                                bucketArn)));
                    }
                }
                String op = "2".equals(query.get("list-type")) ? "ListObjectsV2" : "ListObjects";
                return evaluated(s, p, op, List.of(new ActionCheck("s3:ListBucket", bucketArn)));
            }
            case "HEAD" -> {
                return evaluated(s, p, "HeadBucket", List.of(new ActionCheck("s3:ListBucket", bucketArn)));
            }
            case "PUT" -> {
                for (Map.Entry<String, String> e : S3_BUCKET_PUT.entrySet()) {
                    if (query.containsKey(e.getKey())) {
                        return evaluated(s, p, e.getValue(), List.of(new ActionCheck("s3:" + e.getValue(),
                                bucketArn)));
                    }
                }
                return evaluated(s, p, "CreateBucket", List.of(new ActionCheck("s3:CreateBucket", bucketArn)));
            }
            case "DELETE" -> {
                for (Map.Entry<String, String> e : S3_BUCKET_DELETE.entrySet()) {
                    if (query.containsKey(e.getKey())) {
                        return evaluated(s, p, e.getValue(), List.of(new ActionCheck("s3:" + e.getValue(),
                                bucketArn)));
                    }
                }
                return evaluated(s, p, "DeleteBucket", List.of(new ActionCheck("s3:DeleteBucket", bucketArn)));
            }
            case "POST" -> {
                if (!query.containsKey("delete")) {
                    throw new NotModelled(p, "", "S3 POST on a bucket without ?delete is not evaluated");
                }
                List<ActionCheck> checks = new ArrayList<>();
                for (String[] keyAndVersion : deleteKeys(r.body())) {
                    checks.add(new ActionCheck(keyAndVersion[1] == null ? "s3:DeleteObject" : "s3:DeleteObjectVersion",
                            bucketArn + "/" + keyAndVersion[0]));
                }
                if (checks.isEmpty()) {
                    throw new Unreadable(p, "DeleteObjects", "DeleteObjects without any Object/Key in its body");
                }
                return evaluated(s, p, "DeleteObjects", checks);
            }
            default -> throw new NotModelled(p, "", "S3 " + method + " on bucket " + bucket + " is not evaluated");
        }
    }

    private ActionCheck copySource(Scope s, String header, AccessDenied.Protocol p, String op) {
        String source = header;
        String version = null;
        int q = source.indexOf('?');
        if (q >= 0) {
            version = query(source.substring(q + 1)).get("versionId");
            source = source.substring(0, q);
        }
        source = decodePath(source.startsWith("/") ? source.substring(1) : source);
        if (source.startsWith("arn:")) {
            return new ActionCheck(version == null ? "s3:GetObject" : "s3:GetObjectVersion", source);
        }
        if (!source.contains("/") || source.endsWith("/")) {
            throw new Unreadable(p, op, "x-amz-copy-source is not bucket/key: " + header);
        }
        return new ActionCheck(version == null ? "s3:GetObject" : "s3:GetObjectVersion",
                "arn:" + RolePolicies.partition(s.region()) + ":s3:::" + source);
    }

    private static List<String[]> deleteKeys(byte[] body) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(true);
            Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(body));
            NodeList objects = doc.getElementsByTagNameNS("*", "Object");
            List<String[]> out = new ArrayList<>();
            for (int i = 0; i < objects.getLength(); i++) {
                Element o = (Element) objects.item(i);
                NodeList key = o.getElementsByTagNameNS("*", "Key");
                NodeList version = o.getElementsByTagNameNS("*", "VersionId");
                if (key.getLength() == 0) {
                    throw new Unreadable(AccessDenied.Protocol.S3, "DeleteObjects", "an Object without a Key");
                }
                out.add(new String[] {key.item(0).getTextContent(),
                        version.getLength() == 0 ? null : version.item(0).getTextContent()});
            }
            return out;
        } catch (Unreadable e) {
            throw e;
        } catch (Exception e) {
            throw new Unreadable(AccessDenied.Protocol.S3, "DeleteObjects", "DeleteObjects body is not XML: " + e);
        }
    }

    // ------------------------------------------------------------------ SQS

    private static final Map<String, String> SQS_ACTIONS = Map.ofEntries(
            Map.entry("SendMessageBatch", "SendMessage"), Map.entry("DeleteMessageBatch", "DeleteMessage"),
            Map.entry("ChangeMessageVisibilityBatch", "ChangeMessageVisibility"));
    private static final Set<String> SQS_QUEUE_OPS = Set.of("SendMessage", "SendMessageBatch", "ReceiveMessage",
            "DeleteMessage", "DeleteMessageBatch", "ChangeMessageVisibility", "ChangeMessageVisibilityBatch",
            "GetQueueAttributes", "SetQueueAttributes", "PurgeQueue", "DeleteQueue", "ListQueueTags", "TagQueue",
            "UntagQueue", "ListDeadLetterSourceQueues", "AddPermission", "RemovePermission");

    private RequestActions sqs(AwsHttpRequest r, Scope s) {
        String target = r.header("X-Amz-Target").orElse("");
        AccessDenied.Protocol p;
        String op;
        Map<String, String> params = new LinkedHashMap<>();
        if (target.startsWith("AmazonSQS.")) {
            p = AccessDenied.Protocol.SQS_JSON;
            op = target.substring(target.indexOf('.') + 1);
            JsonNode body = json(r, p, op);
            for (String field : List.of("QueueUrl", "QueueName", "QueueOwnerAWSAccountId")) {
                if (body.hasNonNull(field)) {
                    params.put(field, body.get(field).asText());
                }
            }
        } else {
            p = AccessDenied.Protocol.SQS_QUERY;
            params.putAll(query(r.rawQuery()));
            String contentType = r.header("Content-Type").orElse("");
            if (contentType.startsWith("application/x-www-form-urlencoded")) {
                params.putAll(query(new String(r.body(), StandardCharsets.UTF_8)));
            }
            op = params.getOrDefault("Action", "");
            if (op.isEmpty()) {
                throw new Unreadable(p, "", "SQS request with neither X-Amz-Target: AmazonSQS.* nor Action=");
            }
            if (!params.containsKey("QueueUrl") && r.rawPath().matches("/\\d{12}/[^/]+")) {
                params.put("QueueUrl", r.rawPath());
            }
        }
        String resource;
        if (SQS_QUEUE_OPS.contains(op)) {
            String url = params.get("QueueUrl");
            if (url == null || url.isBlank()) {
                throw new Unreadable(p, op, op + " without QueueUrl");
            }
            resource = queueArn(s, url, p, op);
        } else if (op.equals("GetQueueUrl") || op.equals("CreateQueue")) {
            String name = params.get("QueueName");
            if (name == null || name.isBlank()) {
                throw new Unreadable(p, op, op + " without QueueName");
            }
            resource = arn(s, "sqs", name).replace(":" + account + ":",
                    ":" + params.getOrDefault("QueueOwnerAWSAccountId", account) + ":");
        } else if (op.equals("ListQueues")) {
            resource = "*";
        } else {
            throw new NotModelled(p, op, "SQS operation " + op + " is not evaluated");
        }
        return evaluated(s, p, op, List.of(new ActionCheck("sqs:" + SQS_ACTIONS.getOrDefault(op, op), resource)));
    }

    private String queueArn(Scope s, String url, AccessDenied.Protocol p, String op) {
        String path;
        try {
            path = url.startsWith("/") ? url : URI.create(url).getRawPath();
        } catch (IllegalArgumentException e) {
            throw new Unreadable(p, op, "QueueUrl is not a URL: " + url);
        }
        String[] parts = path == null ? new String[0] : path.split("/");
        if (parts.length != 3 || !parts[1].matches("\\d{12}") || parts[2].isEmpty()) {
            throw new Unreadable(p, op, "QueueUrl is not http://host/ACCOUNT/NAME: " + url);
        }
        return "arn:" + RolePolicies.partition(s.region()) + ":sqs:" + s.region() + ":" + parts[1] + ":"
                + decodePath(parts[2]);
    }

    // ------------------------------------------------------------------ Kinesis

    private static final Set<String> KINESIS_STREAM_OPS = Set.of("PutRecord", "PutRecords", "GetShardIterator",
            "DescribeStream", "DescribeStreamSummary", "ListShards", "AddTagsToStream", "ListTagsForStream",
            "RemoveTagsFromStream", "MergeShards", "SplitShard", "IncreaseStreamRetentionPeriod",
            "DecreaseStreamRetentionPeriod", "DeleteStream", "CreateStream", "UpdateShardCount",
            "DescribeStreamConsumer", "RegisterStreamConsumer", "ListStreamConsumers");

    private RequestActions kinesis(AwsHttpRequest r, Scope s) {
        AccessDenied.Protocol p = AccessDenied.Protocol.KINESIS;
        String target = r.header("X-Amz-Target").orElse("");
        if (!target.startsWith("Kinesis_20131202.")) {
            return notEvaluated(s, p, "", "Kinesis request without a Kinesis_20131202 X-Amz-Target: " + target);
        }
        String op = target.substring(target.indexOf('.') + 1);
        String contentType = r.header("Content-Type").orElse("");
        if (contentType.contains("cbor")) {
            throw new Unreadable(p, op, "Kinesis CBOR bodies are not read by the local IAM check: the clients must "
                    + "disable CBOR (-Daws.cborEnabled=false; the stream forwarder's CBOR_ENABLED=false) so they send JSON");
        }
        JsonNode body = json(r, p, op);
        String resource;
        if (op.equals("ListStreams") || op.equals("DescribeLimits")) {
            resource = "*";
        } else if (op.equals("GetRecords")) {
            resource = body.hasNonNull("StreamARN") ? body.get("StreamARN").asText()
                    : arn(s, "kinesis", "stream/" + streamOfIterator(text(body, "ShardIterator", p, op), p, op));
        } else if (KINESIS_STREAM_OPS.contains(op)) {
            if (body.hasNonNull("StreamARN")) {
                resource = body.get("StreamARN").asText();
            } else if (body.hasNonNull("StreamName")) {
                resource = arn(s, "kinesis", "stream/" + body.get("StreamName").asText());
            } else {
                throw new Unreadable(p, op, op + " names no stream (StreamName or StreamARN)"
                        + (op.equals("ListShards") ? "; a ListShards NextToken alone is not read" : ""));
            }
        } else {
            throw new NotModelled(p, op, "Kinesis operation " + op + " is not evaluated");
        }
        return evaluated(s, p, op, List.of(new ActionCheck("kinesis:" + op, resource)));
    }

    /** moto's shard iterators are base64 of {@code stream:shard:sequence}; real ones are opaque. */
    private static String streamOfIterator(String iterator, AccessDenied.Protocol p, String op) {
        try {
            String decoded = new String(Base64.getDecoder().decode(iterator), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                return decoded.substring(0, colon);
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw new Unreadable(p, op, "GetRecords without StreamARN and with a shard iterator that does not name "
                + "its stream");
    }

    // ------------------------------------------------------------------ helpers

    private String arn(Scope s, String service, String resource) {
        return "arn:" + RolePolicies.partition(s.region()) + ":" + service + ":" + s.region() + ":" + account + ":"
                + resource;
    }

    private static RequestActions evaluated(Scope s, AccessDenied.Protocol p, String op, List<ActionCheck> checks) {
        return new RequestActions(RequestActions.Status.EVALUATED, Optional.of(p), s.accessKeyId(), s.region(), op,
                checks, "");
    }

    private static RequestActions notEvaluated(Scope s, AccessDenied.Protocol p, String op, String reason) {
        return new RequestActions(RequestActions.Status.NOT_EVALUATED, Optional.ofNullable(p), s.accessKeyId(),
                s.region(), op, List.of(), reason);
    }

    private static Optional<Scope> scope(AwsHttpRequest r) {
        String credential = r.header("Authorization").orElse(null);
        if (credential == null) {
            credential = query(r.rawQuery()).get("X-Amz-Credential");
            credential = credential == null ? null : "Credential=" + credential;
        }
        if (credential == null) {
            return Optional.empty();
        }
        Matcher m = CREDENTIAL.matcher(credential);
        return m.find() ? Optional.of(new Scope(m.group(1), m.group(3), m.group(4))) : Optional.empty();
    }

    private static JsonNode json(AwsHttpRequest r, AccessDenied.Protocol p, String op) {
        try {
            JsonNode node = JSON.readTree(r.body().length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : r.body());
            if (node == null || !node.isObject()) {
                throw new Unreadable(p, op, op + ": the body is not a JSON object");
            }
            return node;
        } catch (java.io.IOException e) {
            throw new Unreadable(p, op, op + ": the body is not JSON: " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String field, AccessDenied.Protocol p, String op) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new Unreadable(p, op, op + " without " + field);
        }
        return v.asText();
    }

    private static Iterable<JsonNode> array(JsonNode node, String field, AccessDenied.Protocol p, String op) {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray() || v.isEmpty()) {
            throw new Unreadable(p, op, op + " without " + field);
        }
        return v;
    }

    /** Query-string parameters, decoded; a parameter without {@code =} maps to "". First value wins. */
    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    /** Percent-decoding of a path: unlike a form, {@code +} stays a plus. */
    static String decodePath(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** A request of a modelled service that could not be read. */
    private static class Unreadable extends RuntimeException {
        final AccessDenied.Protocol protocol;
        final String operation;

        Unreadable(AccessDenied.Protocol protocol, String operation, String message) {
            super(message, null, false, false);
            this.protocol = protocol;
            this.operation = operation;
        }
    }

    /** An operation of a modelled service that this check does not model. */
    private static final class NotModelled extends Unreadable {
        NotModelled(AccessDenied.Protocol protocol, String operation, String message) {
            super(protocol, operation, message);
        }
    }
}
