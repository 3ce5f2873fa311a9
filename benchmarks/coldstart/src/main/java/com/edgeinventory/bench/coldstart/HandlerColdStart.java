package com.edgeinventory.bench.coldstart;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.RequestParametersEntity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.ResponseElementsEntity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3BucketEntity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3Entity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.UserIdentityEntity;
import com.edgeinventory.inventory.handler.ProductUploadHandler;
import com.edgeinventory.inventory.handler.UploadReport;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A fresh JVM until {@link ProductUploadHandler} has processed one product.json event: the constructor Lambda
 * calls, then one {@code handleRequest}. Run it with the shaded function jar on the classpath, as Lambda
 * loads it:
 *
 * <pre>java -cp coldstart-bench.jar:inventory-functions.jar com.edgeinventory.bench.coldstart.HandlerColdStart BUCKET SEQUENCER</pre>
 *
 * <p>The event is the record of {@code events/s3-product-created.json}, built with the aws-lambda-java-events
 * constructors (no test library, no JSON), with the given bucket and sequencer: a fresh, growing sequencer
 * per run keeps every run on the same path (GetObject, parse, conditional UpdateItem that succeeds). Exits 1
 * unless the record was APPLIED. Prints {@code done_epoch_ms} (wall clock when handleRequest has returned) for
 * run.sh, and the split in Lambda's order: init_ms (the constructor: Lambda's init phase), event_ms (building the
 * S3Event, which loads joda-time for eventTime: Lambda's runtime deserialises one too), invoke_ms (handleRequest).
 */
public final class HandlerColdStart {

    private static final String KEY = "products/TR-RUN-42-BLU/product.json";

    private HandlerColdStart() {}

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        String bucket = args[0];
        String sequencer = args[1];
        // Lambda's order: the init phase constructs the handler; then the runtime deserialises the event.
        ProductUploadHandler handler = new ProductUploadHandler();
        long t1 = System.nanoTime();
        S3Event event = new S3Event(List.of(new S3EventNotificationRecord(
                "eu-west-1", "ObjectCreated:Put", "aws:s3", "2026-11-27T08:00:00.000Z", "2.1",
                new RequestParametersEntity("203.0.113.10"),
                new ResponseElementsEntity("FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD", "C3D13FE58DE4C810"),
                new S3Entity("ProductUploadFunction-Event",
                        new S3BucketEntity(bucket, new UserIdentityEntity("A3NL1KOZZKExample"), "arn:aws:s3:::" + bucket),
                        new S3ObjectEntity(KEY, 318L, "d41d8cd98f00b204e9800998ecf8427e", null, sequencer),
                        "1.0"),
                new UserIdentityEntity("AWS:AIDAWAREHOUSEUPLOADER"))));
        long t2 = System.nanoTime();
        UploadReport report = handler.handleRequest(event, new MinimalContext());
        long t3 = System.nanoTime();
        long done = System.currentTimeMillis();

        UploadReport.Result result = report.results().getFirst();
        System.out.println("outcome=" + result.outcome() + " done_epoch_ms=" + done + " init_ms=" + (t1 - t0) / 1_000_000
                + " event_ms=" + (t2 - t1) / 1_000_000 + " invoke_ms=" + (t3 - t2) / 1_000_000 + " detail=" + result.detail());
        System.exit("APPLIED".equals(result.outcome()) ? 0 : 1);
    }

    /** The least a Context can be: a logger to stdout and fixed identifiers. */
    private static final class MinimalContext implements Context, LambdaLogger {
        @Override public String getAwsRequestId() { return "00000000-0000-0000-0000-000000000000"; }
        @Override public String getLogGroupName() { return "/aws/lambda/ProductUploadFunction"; }
        @Override public String getLogStreamName() { return "coldstart"; }
        @Override public String getFunctionName() { return "ProductUploadFunction"; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:eu-west-1:123456789012:function:ProductUploadFunction"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return 60_000; }
        @Override public int getMemoryLimitInMB() { return 1024; }
        @Override public LambdaLogger getLogger() { return this; }
        @Override public void log(String message) { System.out.println(message); }
        @Override public void log(byte[] message) { System.out.println(new String(message, StandardCharsets.UTF_8)); }
    }
}
