package com.edgeinventory.inventory.handler;

import com.edgeinventory.inventory.adapter.AwsClients;
import com.edgeinventory.model.Json;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The cold-start work of the handlers' public constructors, run side by side: the S3 client, the DynamoDB
 * client and the project's Jackson mapper (its static initialisation loads a few hundred classes that the
 * first invocation would otherwise load). All three are mostly class loading; on two cores they overlap
 * (benchmarks/coldstart has the figures: about 0.1 s off a fresh JVM's first event, nothing with an AOT cache).
 * Lambda gives a function a full vCPU only from 1769 MB, so at less memory expect less. Everything has finished
 * when the constructor returns, so nothing runs behind Lambda's back and a SnapStart snapshot holds no
 * half-done thread.
 */
final class ParallelInit {

    private ParallelInit() {}

    static AwsClients.S3AndDynamoDb clientsAndJson() {
        FutureTask<Object> json = new FutureTask<>(Json::mapper);
        new Thread(json, "json-init").start();
        AwsClients.S3AndDynamoDb clients = AwsClients.s3AndDynamoDb();
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
        return clients;
    }
}
