package com.edgeinventory.local.trigger.esm;

import com.edgeinventory.local.LocalRuntimeException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.SqsClient;

/** OnFailure destinations that are SQS queues, addressed by ARN ({@code arn:aws:sqs:region:account:name}). */
public final class SqsFailureDestination implements StreamPoller.FailureDestination {

    private final Function<String, SqsClient> sqsByRegion;
    private final Map<String, String> urls = new ConcurrentHashMap<>();

    /** @param sqsByRegion the SQS client of a region */
    public SqsFailureDestination(Function<String, SqsClient> sqsByRegion) {
        this.sqsByRegion = Objects.requireNonNull(sqsByRegion);
    }

    @Override
    public void send(String destinationArn, String recordJson) {
        String[] parts = destinationArn.split(":");
        if (parts.length != 6 || !parts[2].equals("sqs")) {
            throw new LocalRuntimeException("OnFailure destination " + destinationArn
                    + " is not an SQS queue ARN; only SQS destinations are emulated");
        }
        SqsClient sqs = sqsByRegion.apply(parts[3]);
        String url = urls.computeIfAbsent(destinationArn,
                arn -> sqs.getQueueUrl(b -> b.queueName(parts[5]).queueOwnerAWSAccountId(parts[4])).queueUrl());
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(recordJson));
    }
}
