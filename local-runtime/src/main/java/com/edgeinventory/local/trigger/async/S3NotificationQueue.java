package com.edgeinventory.local.trigger.async;

import java.util.ArrayList;
import java.util.List;

import com.edgeinventory.local.provision.LocalStack;
import com.edgeinventory.local.provision.NotificationQueues;
import com.edgeinventory.local.template.EventSource;
import com.edgeinventory.local.template.FunctionDef;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * One function's S3 notification queue: moto sends a bucket's notifications to SQS (provisioning puts one queue
 * between each S3 event of the template and its function), and this reads them as Lambda's asynchronous
 * invocation would receive them. The one reading of those queues, for {@code up} (each notification handed to an
 * {@link AsyncInvoker}) and for {@code upload-sample} (delivered one by one in upload order).
 */
public record S3NotificationQueue(FunctionDef function, String url) {

    /** One received notification; delete it once the invocation is finished with it. */
    public record Notification(S3NotificationQueue queue, Message message) {

        /** The event the function gets: the S3 notification, with a sequencer where moto sends none. */
        public String event() {
            return S3Sequencers.fillMissing(message.body());
        }

        /** The URL-decoded object key; null for a message that is not about an object (s3:TestEvent). */
        public String objectKey() {
            return S3Notifications.objectKey(message.body());
        }

        /** {@code s3://bucket/key}; null for a message that is not about an object. */
        public String objectUri() {
            return S3Notifications.objectUri(message.body());
        }
    }

    /** The notification queue of every S3 event of every function of the stack's template. */
    public static List<S3NotificationQueue> of(LocalStack stack) {
        List<S3NotificationQueue> queues = new ArrayList<>();
        for (FunctionDef function : stack.template().functions()) {
            for (EventSource.S3 event : function.s3Events()) {
                queues.add(new S3NotificationQueue(function,
                        stack.resources().queueUrl(NotificationQueues.logicalId(function, event))));
            }
        }
        return queues;
    }

    /** Up to 10 notifications, hidden from other receivers for {@code visibilitySeconds}; no waiting. */
    public List<Notification> receive(SqsClient sqs, int visibilitySeconds) {
        return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)
                        .visibilityTimeout(visibilitySeconds)).messages().stream()
                .map(m -> new Notification(this, m)).toList();
    }

    /** Deletes a notification this queue gave: its invocation is finished with it. */
    public void delete(SqsClient sqs, Notification notification) {
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(notification.message().receiptHandle()));
    }
}
