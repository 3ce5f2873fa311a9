package com.edgeinventory.local.provision;

import com.edgeinventory.local.template.EventSource;
import com.edgeinventory.local.template.FunctionDef;

/**
 * Naming of the SQS queues that stand in for Lambda as S3 notification targets locally: one per
 * (function, S3 event).
 */
public final class NotificationQueues {

    private NotificationQueues() {
    }

    /** {@code {FunctionLogicalId}{EventName}Queue}. */
    public static String logicalId(FunctionDef function, EventSource.S3 event) {
        return function.logicalId() + event.name() + "Queue";
    }

    /** {@code {StackName}-{FunctionLogicalId}-{EventName}}. */
    public static String queueName(String stackName, FunctionDef function, EventSource.S3 event) {
        return stackName + "-" + function.logicalId() + "-" + event.name();
    }

    /** The notification configuration Id: {@code {FunctionLogicalId}-{EventName}}. */
    public static String configurationId(FunctionDef function, EventSource.S3 event) {
        return function.logicalId() + "-" + event.name();
    }
}
