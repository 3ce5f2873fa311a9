package com.edgeinventory.local.redrive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatchPointerTest {

    static final String ARN = "arn:aws:kinesis:us-east-2:123456789012:stream/edge-inventory-dev-central";

    /** As Lambda (and the local stream poller) writes it to an OnFailure destination. */
    static String record(String start, String end) {
        return """
                {"requestContext":{"requestId":"r","functionArn":"arn:aws:lambda:us-east-2:123456789012:function:f",
                 "condition":"RetryAttemptsExhausted","approximateInvokeCount":6},
                 "responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},
                 "version":"1.0","timestamp":"2026-12-03T09:00:00Z",
                 "KinesisBatchInfo":{"shardId":"shardId-000000000001","startSequenceNumber":"%s",
                  "endSequenceNumber":"%s","approximateArrivalOfFirstRecord":"2026-12-03T08:59:00Z",
                  "approximateArrivalOfLastRecord":"2026-12-03T08:59:01Z","batchSize":3,"streamArn":"%s"},
                 "reason":"injected"}
                """.formatted(start, end, ARN);
    }

    @Test
    void readsLambdasKinesisBatchInfo() {
        BatchPointer p = BatchPointer.parse(record("49590338271490256608559692538361571095921575989136588898",
                "49590338271490256608559692540925702759324208523137515618"));
        assertThat(p.streamName()).isEqualTo("edge-inventory-dev-central");
        assertThat(p.region()).isEqualTo("us-east-2");
        assertThat(p.shardId()).isEqualTo("shardId-000000000001");
        assertThat(p.batchSize()).isEqualTo(3);
        assertThat(p.condition()).isEqualTo("RetryAttemptsExhausted");
    }

    @ParameterizedTest
    @CsvSource({"99,true,false", "100,true,false", "150,true,false", "200,true,false", "201,false,true",
            "1000,false,true"})
    void rangeIsInclusiveAndComparedAsNumbers(String seq, boolean inside, boolean after) {
        BatchPointer p = BatchPointer.parse(record("99", "200"));
        assertThat(p.contains(seq)).isEqualTo(inside);
        assertThat(p.isAfter(seq)).isEqualTo(after);
    }

    @Test
    void aShorterSequenceNumberIsNotLexicallyLarger() {
        BatchPointer p = BatchPointer.parse(record("9", "10"));
        assertThat(p.contains("10")).isTrue();
        assertThat(p.isAfter("9")).isFalse();
        assertThat(p.isAfter("11")).isTrue();
    }

    @Test
    void refusesWhatIsNotAKinesisPointerWithAReason() {
        assertThatThrownBy(() -> BatchPointer.parse("nope")).hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> BatchPointer.parse("[]")).hasMessage("not a JSON object");
        assertThatThrownBy(() -> BatchPointer.parse("{\"DDBStreamBatchInfo\":{}}"))
                .hasMessageContaining("no KinesisBatchInfo");
        assertThatThrownBy(() -> BatchPointer.parse(record("1", "2").replace(ARN, "arn:aws:sqs:us-east-2:1:q")))
                .hasMessageContaining("not a Kinesis stream ARN");
        assertThatThrownBy(() -> BatchPointer.parse(record("x1", "2"))).hasMessageContaining("not a sequence number");
        assertThatThrownBy(() -> BatchPointer.parse(record("5", "2"))).hasMessageContaining("starts after it ends");
        assertThatThrownBy(() -> BatchPointer.parse(record("1", "2").replace("\"shardId\":\"shardId-000000000001\",",
                ""))).hasMessageContaining("shardId is missing");
    }
}
