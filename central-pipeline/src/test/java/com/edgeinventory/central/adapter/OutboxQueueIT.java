package com.edgeinventory.central.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.central.service.OutboxDrain;
import com.edgeinventory.model.central.OutboxCodec;
import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.LocalAwsExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The outbox adapter against moto's SQS. */
@ExtendWith(LocalAwsExtension.class)
class OutboxQueueIT {

    LocalAws aws;
    SqsClient sqs;
    String url;
    String dlq;
    OutboxQueue outbox;
    List<String> warnings = new ArrayList<>();

    @BeforeEach
    void setUp(LocalAws aws) {
        this.aws = aws;
        aws.reset();
        sqs = aws.sqs();
        url = sqs.createQueue(b -> b.queueName("outbox")).queueUrl();
        dlq = sqs.createQueue(b -> b.queueName("outbox-dlq")).queueUrl();
        outbox = new OutboxQueue(sqs, url, dlq, Duration.ofSeconds(30));
    }

    static OutboxCodec.Entry entry(int i, int bytes) {
        return new OutboxCodec.Entry("eu-west-1#SKU-" + i, new byte[bytes]);
    }

    List<OutboxCodec.Entry> everything() {
        List<OutboxCodec.Entry> all = new ArrayList<>();
        for (List<OutboxDrain.Received> got = outbox.receive(10); !got.isEmpty(); got = outbox.receive(10)) {
            for (OutboxDrain.Received r : got) {
                all.addAll(OutboxCodec.unpack(r.body()));
            }
        }
        return all;
    }

    @Test
    void keepsEveryEntryUnderTheSqsSizeLimitAndGivesThemBack() {
        // 1,500 records of 300 bytes: more than one message's worth
        List<OutboxCodec.Entry> entries = IntStream.range(0, 1500).mapToObj(i -> entry(i, 300)).toList();

        Set<Integer> notKept = outbox.keep(entries, warnings::add);

        assertThat(notKept).isEmpty();
        assertThat(warnings).isEmpty();
        assertThat(messageCount(url)).isGreaterThan(1);
        assertThat(everything()).containsExactlyInAnyOrderElementsOf(entries);
    }

    @Test
    void aReceivedMessageIsHiddenUntilDeletedAndGoneAfter() {
        outbox.keep(List.of(entry(1, 10)), warnings::add);
        List<OutboxDrain.Received> got = outbox.receive(10);
        assertThat(got).hasSize(1);
        assertThat(outbox.receive(10)).isEmpty();
        outbox.delete(got.getFirst());
        assertThat(messageCount(url)).isZero();
    }

    @Test
    void aReleasedMessageIsVisibleAgainAtOnce() {
        outbox.keep(List.of(entry(1, 10)), warnings::add);
        OutboxDrain.Received got = outbox.receive(10).getFirst();
        outbox.release(got);
        assertThat(outbox.receive(10)).extracting(OutboxDrain.Received::messageId).containsExactly(got.messageId());
    }

    @Test
    void aRecordTooLargeForAMessageIsNotKeptAndSaysSo() {
        Set<Integer> notKept = outbox.keep(List.of(entry(1, 10), entry(2, 300_000)), warnings::add);
        assertThat(notKept).containsExactly(1);
        assertThat(warnings).singleElement().asString().contains("eu-west-1#SKU-2").contains("does not fit");
        assertThat(everything()).containsExactly(entry(1, 10));
    }

    @Test
    void whenTheQueueCannotBeWrittenNothingCountsAsKept() {
        OutboxQueue missing = new OutboxQueue(sqs, aws.endpoint() + "/123456789012/missing", dlq, Duration.ofSeconds(30));
        Set<Integer> notKept = missing.keep(List.of(entry(1, 10), entry(2, 10)), warnings::add);
        assertThat(notKept).containsExactly(0, 1);
        assertThat(warnings).singleElement().asString().contains("cannot keep 2 central records");
    }

    @Test
    void deadLetteringMovesTheBodyWithItsReasonAndSource() {
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("garbage"));
        OutboxDrain.Received got = outbox.receive(10).getFirst();

        outbox.deadLetter(got, "outbox message is not JSON");

        assertThat(messageCount(url)).isZero();
        Message moved = sqs.receiveMessage(b -> b.queueUrl(dlq).messageAttributeNames("All")).messages().getFirst();
        assertThat(moved.body()).isEqualTo("garbage");
        assertThat(moved.messageAttributes().get(OutboxQueue.REASON_ATTRIBUTE).stringValue())
                .isEqualTo("outbox message is not JSON");
        assertThat(moved.messageAttributes().get(OutboxQueue.SOURCE_ATTRIBUTE).stringValue()).isEqualTo(url);
    }

    int messageCount(String queue) {
        var a = sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNamesWithStrings("ApproximateNumberOfMessages",
                "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
        return Integer.parseInt(a.get("ApproximateNumberOfMessages"))
                + Integer.parseInt(a.get("ApproximateNumberOfMessagesNotVisible"));
    }
}
