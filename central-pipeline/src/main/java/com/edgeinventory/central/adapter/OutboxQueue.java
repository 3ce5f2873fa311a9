package com.edgeinventory.central.adapter;

import com.edgeinventory.central.service.CentralOutbox;
import com.edgeinventory.central.service.OutboxDrain;
import com.edgeinventory.model.central.OutboxCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The edge outbox, an SQS standard queue, and the one owner of its message layout: each message body is an
 * {@link OutboxCodec} body of at most {@link OutboxCodec#MAX_BODY_BYTES}. A message that cannot be read goes to
 * the dead-letter queue with a {@code reason} attribute and is deleted from the outbox, so it is never retried
 * forever; everything else stays until it is delivered (or the queue's retention, 14 days, ends).
 */
public final class OutboxQueue implements CentralOutbox, OutboxDrain.Source {

    public static final String REASON_ATTRIBUTE = "reason";
    public static final String SOURCE_ATTRIBUTE = "source";

    private final SqsClient sqs;
    private final String queueUrl;
    private final String deadLetterQueueUrl;
    private final Duration visibility;

    /**
     * @param deadLetterQueueUrl where unreadable outbox messages go
     * @param visibility         how long a received message stays hidden (longer than a drain run)
     */
    public OutboxQueue(SqsClient sqs, String queueUrl, String deadLetterQueueUrl, Duration visibility) {
        this.sqs = Objects.requireNonNull(sqs);
        this.queueUrl = Objects.requireNonNull(queueUrl);
        this.deadLetterQueueUrl = Objects.requireNonNull(deadLetterQueueUrl);
        this.visibility = Objects.requireNonNull(visibility);
    }

    public String queueUrl() {
        return queueUrl;
    }

    @Override
    public Set<Integer> keep(List<OutboxCodec.Entry> entries, Consumer<String> warnings) {
        Set<Integer> notKept = new TreeSet<>();
        OutboxCodec.Packed packed = OutboxCodec.pack(entries);
        for (int i : packed.tooLarge()) {
            warnings.accept("central record " + entries.get(i).partitionKey() + " of " + entries.get(i).data().length
                    + " bytes does not fit an outbox message: not kept");
            notKept.add(i);
        }
        for (OutboxCodec.Message message : packed.messages()) {
            try {
                sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(message.body()));
            } catch (SdkException e) {
                warnings.accept("cannot keep " + message.entries().size() + " central records in the outbox "
                        + queueUrl + ": " + e.getMessage());
                notKept.addAll(message.entries());
            }
        }
        return notKept;
    }

    @Override
    public List<OutboxDrain.Received> receive(int max) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(Math.min(10, max)).waitTimeSeconds(0)
                        .visibilityTimeout((int) visibility.toSeconds())
                        .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP))
                .messages().stream()
                .map(m -> new OutboxDrain.Received(m.messageId(), m.receiptHandle(), m.body()))
                .toList();
    }

    @Override
    public void delete(OutboxDrain.Received message) {
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
    }

    @Override
    public void release(OutboxDrain.Received message) {
        sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle())
                .visibilityTimeout(0));
    }

    @Override
    public void deadLetter(OutboxDrain.Received message, String reason) {
        sqs.sendMessage(b -> b.queueUrl(deadLetterQueueUrl).messageBody(message.body()).messageAttributes(Map.of(
                REASON_ATTRIBUTE, MessageAttributeValue.builder().dataType("String").stringValue(reason).build(),
                SOURCE_ATTRIBUTE, MessageAttributeValue.builder().dataType("String").stringValue(queueUrl).build())));
        delete(message);
    }
}
