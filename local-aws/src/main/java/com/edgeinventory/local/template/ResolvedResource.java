package com.edgeinventory.local.template;

import java.util.Map;

/**
 * A resource that exists under the resolved conditions, with every intrinsic in its properties resolved.
 *
 * @param logicalId  the key under {@code Resources}
 * @param type       e.g. {@code AWS::DynamoDB::Table}
 * @param physicalId the explicit name property, or {@code {StackName}-{LogicalId}}
 * @param properties resolved properties (Globals merged for functions); {@code AWS::NoValue} keys removed
 */
public record ResolvedResource(String logicalId, String type, String physicalId, Map<String, Object> properties) {

    public static final String TABLE = "AWS::DynamoDB::Table";
    public static final String BUCKET = "AWS::S3::Bucket";
    public static final String QUEUE = "AWS::SQS::Queue";
    public static final String KINESIS_STREAM = "AWS::Kinesis::Stream";
    public static final String SERVERLESS_FUNCTION = "AWS::Serverless::Function";
    public static final String LAMBDA_FUNCTION = "AWS::Lambda::Function";
    public static final String LOG_GROUP = "AWS::Logs::LogGroup";

    public ResolvedResource {
        properties = Yamls.immutableCopy(properties);
    }
}
