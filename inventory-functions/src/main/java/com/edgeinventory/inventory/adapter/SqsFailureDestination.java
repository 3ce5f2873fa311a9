package com.edgeinventory.inventory.adapter;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

import com.edgeinventory.inventory.service.FailureDestination;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@link FailureDestination} on the upload dead-letter queue ({@code UPLOAD_DLQ_URL}): one message per refused
 * event, shaped like Lambda's asynchronous-invocation failure record with {@code condition: "Refused"}, the
 * request payload and {@code responsePayload {errorType, errorMessage}}. The SQS client is built on first use, so
 * a function that never refuses an event never pays for it.
 */
public final class SqsFailureDestination implements FailureDestination {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<SqsClient> sqs;
    private final String queueUrl;
    private final String functionArn;
    private SqsClient client;

    public SqsFailureDestination(Supplier<SqsClient> sqs, String queueUrl, String functionArn) {
        this.sqs = Objects.requireNonNull(sqs);
        this.queueUrl = Objects.requireNonNull(queueUrl);
        this.functionArn = functionArn == null ? "" : functionArn;
    }

    @Override
    public synchronized void refuse(String requestPayloadJson, String errorType, String errorMessage) {
        if (client == null) {
            client = sqs.get();
        }
        String body;
        try {
            ObjectNode record = JSON.createObjectNode();
            record.put("version", "1.0");
            record.put("timestamp", Instant.now().toString());
            ObjectNode context = record.putObject("requestContext");
            context.put("requestId", UUID.randomUUID().toString());
            context.put("functionArn", functionArn);
            context.put("condition", "Refused");
            context.put("approximateInvokeCount", 1);
            record.set("requestPayload", JSON.readTree(requestPayloadJson));
            record.putObject("responseContext").put("statusCode", 200).put("functionError", "Refused");
            record.putObject("responsePayload").put("errorType", errorType).put("errorMessage", errorMessage);
            body = JSON.writeValueAsString(record);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the refused event is not JSON: " + e.getOriginalMessage(), e);
        }
        client.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
    }
}
