package com.edgeinventory.inventory.handler;

import com.edgeinventory.inventory.adapter.AwsClients;
import com.edgeinventory.inventory.store.InventoryTable;
import com.edgeinventory.inventory.adapter.S3UploadBucket;
import com.edgeinventory.model.Json;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The cold-start work of the handlers' public constructors, run side by side: the S3 client and one S3
 * request, the DynamoDB client and one DynamoDB request, and the project's Jackson mapper. All of it is
 * mostly class loading, which overlaps on two cores, and the priming requests move the first-request cost
 * (the SDK's request pipelines) out of the first invocation. With SnapStart the same work lands in the
 * snapshot. benchmarks/coldstart has the figures. Lambda gives a function a full vCPU only from 1769 MB, so
 * at less memory expect less overlap. Everything has finished when the constructor returns, so nothing runs
 * behind Lambda's back and a snapshot holds no half-done thread.
 */
final class ParallelInit {

    /** The handlers' adapters, ready and warmed up. */
    record Adapters(S3UploadBucket uploads, InventoryTable inventory) {}

    private ParallelInit() {}

    /** @param primeKey a key under the prefix the function may read, e.g. {@code products/.prime} */
    static Adapters adapters(FunctionConfig config, String primeKey) {
        FutureTask<Object> json = new FutureTask<>(Json::mapper);
        new Thread(json, "json-init").start();
        AwsClients.S3AndDynamoDb clients = AwsClients.s3AndDynamoDb(
                s3 -> config.uploadBucket().ifPresent(bucket -> new S3UploadBucket(s3).prime(bucket, primeKey)),
                dynamoDb -> new InventoryTable(dynamoDb, config.inventoryTable()).prime());
        try {
            json.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("initialising the JSON mapper", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while initialising the JSON mapper", e);
        }
        return new Adapters(new S3UploadBucket(clients.s3()),
                new InventoryTable(clients.dynamoDb(), config.inventoryTable()));
    }
}
