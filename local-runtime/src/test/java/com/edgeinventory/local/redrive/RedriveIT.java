package com.edgeinventory.local.redrive;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.moto.MotoServer;
import com.edgeinventory.model.central.CentralCodec;
import com.edgeinventory.model.central.LevelChange;
import com.edgeinventory.model.central.OutboxCodec;
import com.edgeinventory.model.central.SkuDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Redrive against moto: both sources, what it puts on the stream, and what it leaves with which reason. */
class RedriveIT {

    static final String REGION = "us-east-2";
    static final String STREAM = "central";
    static MotoServer moto;
    static AwsClients aws;

    @BeforeAll
    static void start() {
        moto = MotoServer.start();
        aws = new AwsClients(moto.endpoint(), REGION);
    }

    @AfterAll
    static void stop() {
        aws.close();
        moto.close();
    }

    static byte[] level(String sku, long version) {
        return CentralCodec.encode(new SkuDelta("eu-west-1", sku, Optional.of(new LevelChange(sku, 10, 0, 1, version,
                1_795_766_400_000L, false)), List.of()));
    }

    static String arn() {
        return "arn:aws:kinesis:" + REGION + ":123456789012:stream/" + STREAM;
    }

    static String pointer(String start, String end, int size) {
        return """
                {"requestContext":{"condition":"RetryAttemptsExhausted","approximateInvokeCount":6},"version":"1.0",
                 "KinesisBatchInfo":{"shardId":"shardId-000000000000","startSequenceNumber":"%s",
                 "endSequenceNumber":"%s","batchSize":%d,"streamArn":"%s"},"reason":"test"}
                """.formatted(start, end, size, arn());
    }

    List<Record> streamRecords(KinesisClient kinesis) {
        String it = kinesis.getShardIterator(b -> b.streamName(STREAM).shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        return kinesis.getRecords(b -> b.shardIterator(it).limit(1000)).records();
    }

    @Test
    void redrivesBothSourcesAndLeavesWhatItCannotHandleWithTheReason() throws Exception {
        KinesisClient kinesis = aws.kinesis();
        SqsClient sqs = aws.sqs();
        kinesis.createStream(b -> b.streamName(STREAM).shardCount(1));
        for (int i = 0; i < 50 && kinesis.describeStreamSummary(b -> b.streamName(STREAM)).streamDescriptionSummary()
                .streamStatus() != StreamStatus.ACTIVE; i++) {
            Thread.sleep(100);
        }
        List<String> seq = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] data = i == 2 ? new byte[]{(byte) 0xff, 0x00} : level("SKU-" + i, i + 1);
            String key = "eu-west-1#SKU-" + i;
            seq.add(kinesis.putRecord(b -> b.streamName(STREAM).partitionKey(key)
                    .data(SdkBytes.fromByteArray(data))).sequenceNumber());
        }
        String dlq = sqs.createQueue(b -> b.queueName("aggregator-dlq")).queueUrl();
        String outbox = sqs.createQueue(b -> b.queueName("outbox")).queueUrl();
        // records 1..3 failed in the aggregator (record 2 does not decode); a range past the stream's end (expired);
        // a DynamoDB pointer that does not belong here
        sqs.sendMessage(b -> b.queueUrl(dlq).messageBody(pointer(seq.get(1), seq.get(3), 3)));
        String far = new java.math.BigInteger(seq.get(4)).add(java.math.BigInteger.valueOf(1_000_000)).toString();
        sqs.sendMessage(b -> b.queueUrl(dlq).messageBody(pointer(far, far, 1)));
        sqs.sendMessage(b -> b.queueUrl(dlq).messageBody("{\"DDBStreamBatchInfo\":{}}"));
        OutboxCodec.pack(List.of(new OutboxCodec.Entry("eu-west-1#SKU-7", level("SKU-7", 3)),
                new OutboxCodec.Entry("eu-west-1#SKU-8", level("SKU-8", 4)))).messages()
                .forEach(m -> sqs.sendMessage(b -> b.queueUrl(outbox).messageBody(m.body())));
        sqs.sendMessage(b -> b.queueUrl(outbox).messageBody("{\"v\":7}"));
        List<String> progress = new ArrayList<>();
        Redrive redrive = new Redrive(progress::add);

        RedriveReport fromOutbox = redrive.outbox("outbox eu-west-1", sqs, outbox, kinesis, STREAM);
        RedriveReport fromDlq = redrive.aggregatorDeadLetters("aggregator-dlq", sqs, dlq, kinesis);

        assertThat(fromOutbox.messagesDone()).isEqualTo(1);
        assertThat(fromOutbox.recordsPut()).isEqualTo(2);
        assertThat(fromOutbox.messagesLeft()).isEqualTo(1);
        assertThat(fromOutbox.reasons()).singleElement().asString().contains("outbox message version 7 is not 1");
        assertThat(fromDlq.messagesDone()).isEqualTo(1);
        assertThat(fromDlq.recordsPut()).isEqualTo(2);
        assertThat(fromDlq.skipped()).isEqualTo(1);
        assertThat(fromDlq.messagesLeft()).isEqualTo(2);
        assertThat(fromDlq.reasons()).hasSize(3)
                .anySatisfy(r -> assertThat(r).contains("record " + seq.get(2)).contains("does not decode"))
                .anySatisfy(r -> assertThat(r).contains("expired from the stream"))
                .anySatisfy(r -> assertThat(r).contains("no KinesisBatchInfo"));

        List<Record> after = streamRecords(kinesis);
        assertThat(after).extracting(Record::partitionKey).containsExactly("eu-west-1#SKU-0", "eu-west-1#SKU-1",
                "eu-west-1#SKU-2", "eu-west-1#SKU-3", "eu-west-1#SKU-4", "eu-west-1#SKU-7", "eu-west-1#SKU-8",
                "eu-west-1#SKU-1", "eu-west-1#SKU-3");
        assertThat(after.get(7).data().asByteArray()).isEqualTo(level("SKU-1", 2));
        // what was left is visible again at once, for the drainer or the next run
        assertThat(sqs.receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10)).messages()).hasSize(2);
        assertThat(sqs.receiveMessage(b -> b.queueUrl(outbox).maxNumberOfMessages(10)).messages()).hasSize(1);
    }
}
