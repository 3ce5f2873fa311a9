package com.edgeinventory.local.trigger.esm;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.invoke.InvokeOutcome;
import com.edgeinventory.local.invoke.InvokeResult;
import com.edgeinventory.local.template.FunctionDef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The event source mapping semantics, on a scripted shard and a scripted function. */
class StreamPollerTest {

    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final ObjectMapper JSON = new ObjectMapper();
    static final FunctionDef FUNCTION = new FunctionDef("Fn", "edge-dev-fn", "a.B::handle", "java25",
            Path.of("/code/fn.jar"), 512, 30, Map.of(), List.of(), Map.of(), "/aws/lambda/edge-dev-fn",
            FunctionDef.Logging.TEXT, "arn:aws:lambda:eu-west-1:123456789012:function:edge-dev-fn");
    static final String DLQ = "arn:aws:sqs:eu-west-1:123456789012:dlq";

    /** One shard of records with sequence numbers 100, 200, 300, ... */
    static final class FakeShard implements ShardReader {
        final List<PolledRecord> records = new ArrayList<>();

        FakeShard(int count, Instant arrival) {
            for (int i = 1; i <= count; i++) {
                ObjectNode json = JsonNodeFactory.instance.objectNode();
                json.putObject("dynamodb").put("SequenceNumber", seq(i));
                records.add(new PolledRecord(seq(i), arrival, json));
            }
        }

        @Override
        public List<String> shards() {
            return List.of("shard-1");
        }

        @Override
        public String iterator(String shardId, Optional<String> afterSequence, boolean trimHorizon) {
            int index = 0;
            if (afterSequence.isPresent()) {
                while (index < records.size() && !records.get(index).sequenceNumber().equals(afterSequence.get())) {
                    index++;
                }
                index++;
            }
            return Integer.toString(index);
        }

        @Override
        public Page read(String shardId, String iterator, int limit) {
            int from = Integer.parseInt(iterator);
            int to = Math.min(records.size(), from + limit);
            return new Page(records.subList(from, to), Integer.toString(to));
        }
    }

    static String seq(int i) {
        return Integer.toString(i * 100);
    }

    /** Records each delivered batch (as sequence numbers) and answers with {@code behaviour}. */
    static final class FakeFunction implements StreamPoller.Invoker {
        final List<List<String>> batches = new ArrayList<>();
        final Function<List<String>, InvokeOutcome> behaviour;

        FakeFunction(Function<List<String>, InvokeOutcome> behaviour) {
            this.behaviour = behaviour;
        }

        @Override
        public InvokeResult invoke(StreamMapping mapping, String eventJson) {
            List<String> seqs = new ArrayList<>();
            try {
                for (JsonNode r : JSON.readTree(eventJson).get("Records")) {
                    seqs.add(r.get("dynamodb").get("SequenceNumber").asText());
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            batches.add(seqs);
            return new InvokeResult("req-" + batches.size(), behaviour.apply(seqs), Duration.ofMillis(3));
        }
    }

    static InvokeOutcome ok() {
        return new InvokeOutcome.Success("{\"batchItemFailures\":[]}");
    }

    static InvokeOutcome failing(String... ids) {
        StringBuilder b = new StringBuilder("{\"batchItemFailures\":[");
        for (int i = 0; i < ids.length; i++) {
            b.append(i == 0 ? "" : ",").append("{\"itemIdentifier\":\"").append(ids[i]).append("\"}");
        }
        return new InvokeOutcome.Success(b.append("]}").toString());
    }

    static InvokeOutcome error() {
        return new InvokeOutcome.Failed("invoke", "IllegalStateException", "poison", "{}");
    }

    static StreamMapping mapping(int batchSize, boolean report, boolean bisect, int retries, Integer maxAgeSeconds) {
        return new StreamMapping(FUNCTION, "Changes", StreamMapping.Kind.DYNAMODB,
                "arn:aws:dynamodb:eu-west-1:123456789012:table/t/stream/2026", true, batchSize, Duration.ZERO,
                report, bisect, retries,
                maxAgeSeconds == null ? Optional.empty() : Optional.of(Duration.ofSeconds(maxAgeSeconds)),
                Optional.of(DLQ));
    }

    final List<String> sent = new ArrayList<>();
    final List<String> log = new ArrayList<>();

    StreamPoller poller(StreamMapping mapping, ShardReader shard, StreamPoller.Invoker function,
                        Map<String, String> checkpoints) {
        return new StreamPoller(mapping, shard, function, (arn, json) -> sent.add(arn + " " + json), checkpoints,
                CLOCK, log::add, attempt -> { });
    }

    JsonNode sentRecord(int i) throws Exception {
        String line = sent.get(i);
        return JSON.readTree(line.substring(line.indexOf(' ') + 1));
    }

    @Test
    void deliversEachShardInOrderInBatchesOfBatchSizeAndCheckpointsTheLastRecord() {
        FakeFunction fn = new FakeFunction(s -> ok());
        StreamPoller poller = poller(mapping(2, true, true, 5, null), new FakeShard(5, NOW), fn, Map.of());

        assertThat(poller.drain()).isEqualTo(5);

        assertThat(fn.batches).containsExactly(List.of("100", "200"), List.of("300", "400"), List.of("500"));
        assertThat(poller.checkpoints()).containsEntry("shard-1", "500");
        assertThat(sent).isEmpty();
        assertThat(log).hasSize(3).allMatch(l -> l.startsWith("Fn/Changes shard-1 ") && l.endsWith(" ok"));
    }

    @Test
    void aReportedFailureResumesFromTheLowestFailedSequenceNumber() {
        List<Integer> calls = new ArrayList<>();
        FakeFunction fn = new FakeFunction(s -> {
            calls.add(1);
            return calls.size() == 1 ? failing("400", "300") : ok();
        });
        StreamPoller poller = poller(mapping(4, true, true, 5, null), new FakeShard(4, NOW), fn, Map.of());

        poller.drain();

        assertThat(fn.batches).containsExactly(List.of("100", "200", "300", "400"), List.of("300", "400"));
        assertThat(poller.checkpoints()).containsEntry("shard-1", "400");
        assertThat(sent).isEmpty();
    }

    @Test
    void anIdentifierNotInTheBatchFailsTheWholeBatch() {
        List<Integer> calls = new ArrayList<>();
        FakeFunction fn = new FakeFunction(s -> {
            calls.add(1);
            return calls.size() == 1 ? failing("999") : ok();
        });
        StreamPoller poller = poller(mapping(3, true, false, 5, null), new FakeShard(3, NOW), fn, Map.of());

        poller.drain();

        assertThat(fn.batches).containsExactly(List.of("100", "200", "300"), List.of("100", "200", "300"));
    }

    @Test
    void withoutReportBatchItemFailuresTheListInTheResponseIsIgnored() {
        FakeFunction fn = new FakeFunction(s -> failing("200"));
        StreamPoller poller = poller(mapping(3, false, false, 5, null), new FakeShard(3, NOW), fn, Map.of());

        poller.drain();

        assertThat(fn.batches).containsExactly(List.of("100", "200", "300"));
        assertThat(poller.checkpoints()).containsEntry("shard-1", "300");
    }

    @Test
    void bisectingIsolatesAPoisonRecordWhichEndsInTheOnFailureDestinationAlone() throws Exception {
        FakeFunction fn = new FakeFunction(s -> s.contains("300") ? error() : ok());
        StreamPoller poller = poller(mapping(4, true, true, 2, null), new FakeShard(4, NOW), fn, Map.of());

        poller.drain();

        // [1..4] fails → [1,2] ok, [3,4] fails → [3] fails 3 times (1 + 2 retries), [4] ok
        assertThat(fn.batches).containsExactly(List.of("100", "200", "300", "400"), List.of("100", "200"),
                List.of("300", "400"), List.of("300"), List.of("300"), List.of("300"), List.of("400"));
        assertThat(sent).hasSize(1);
        JsonNode record = sentRecord(0);
        assertThat(sent.getFirst()).startsWith(DLQ + " ");
        assertThat(record.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(record.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(3);
        assertThat(record.at("/requestContext/functionArn").asText()).isEqualTo(FUNCTION.arn());
        assertThat(record.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
        assertThat(record.at("/DDBStreamBatchInfo/startSequenceNumber").asText()).isEqualTo("300");
        assertThat(record.at("/DDBStreamBatchInfo/endSequenceNumber").asText()).isEqualTo("300");
        assertThat(record.at("/DDBStreamBatchInfo/batchSize").asInt()).isEqualTo(1);
        assertThat(record.at("/DDBStreamBatchInfo/shardId").asText()).isEqualTo("shard-1");
        assertThat(record.at("/reason").asText()).isEqualTo("IllegalStateException: poison");
        assertThat(poller.checkpoints()).containsEntry("shard-1", "400");
    }

    @Test
    void withoutBisectTheWholeBatchIsRetriedThenSkippedToOnFailure() throws Exception {
        FakeFunction fn = new FakeFunction(s -> s.contains("200") ? error() : ok());
        StreamPoller poller = poller(mapping(2, true, false, 1, null), new FakeShard(3, NOW), fn, Map.of());

        poller.drain();

        assertThat(fn.batches).containsExactly(List.of("100", "200"), List.of("100", "200"), List.of("300"));
        assertThat(sentRecord(0).at("/DDBStreamBatchInfo/batchSize").asInt()).isEqualTo(2);
        assertThat(poller.checkpoints()).containsEntry("shard-1", "300");
    }

    @Test
    void aRecordStillFailingAfterTheRetriesOfAPartialFailureGoesToOnFailureWithTheRestOfItsBatch() throws Exception {
        FakeFunction fn = new FakeFunction(s -> s.contains("200") ? failing("200") : ok());
        StreamPoller poller = poller(mapping(3, true, true, 1, null), new FakeShard(3, NOW), fn, Map.of());

        poller.drain();

        assertThat(fn.batches).containsExactly(List.of("100", "200", "300"), List.of("200", "300"));
        JsonNode record = sentRecord(0);
        assertThat(record.at("/DDBStreamBatchInfo/startSequenceNumber").asText()).isEqualTo("200");
        assertThat(record.at("/DDBStreamBatchInfo/endSequenceNumber").asText()).isEqualTo("300");
        assertThat(record.at("/responseContext/functionError").isMissingNode()).isTrue();
    }

    @Test
    void recordsOlderThanTheMaximumAgeAreSkippedToOnFailureWithoutAnInvocation() throws Exception {
        FakeShard shard = new FakeShard(2, NOW.minusSeconds(120));
        FakeFunction fn = new FakeFunction(s -> ok());
        StreamPoller poller = poller(mapping(10, true, true, 5, 60), shard, fn, Map.of());

        poller.drain();

        assertThat(fn.batches).isEmpty();
        assertThat(sentRecord(0).at("/requestContext/condition").asText()).isEqualTo("RecordAgeExceeded");
        assertThat(sentRecord(0).at("/DDBStreamBatchInfo/batchSize").asInt()).isEqualTo(2);
        assertThat(poller.checkpoints()).containsEntry("shard-1", "200");
    }

    @Test
    void aPollerStartedFromACheckpointResumesAfterIt() {
        FakeFunction fn = new FakeFunction(s -> ok());
        StreamPoller poller = poller(mapping(10, true, true, 5, null), new FakeShard(4, NOW), fn,
                new LinkedHashMap<>(Map.of("shard-1", "200")));

        poller.drain();

        assertThat(fn.batches).containsExactly(List.of("300", "400"));
    }

    @Test
    void mappingsAreReadFromTheTemplatesEventsWithLambdasDefaults() {
        var event = new com.edgeinventory.local.template.EventSource.Generic("Changes", "DynamoDB", Map.of(
                "Stream", "arn:aws:dynamodb:eu-west-1:123456789012:table/t/stream/x",
                "StartingPosition", "TRIM_HORIZON", "BatchSize", 500, "MaximumBatchingWindowInSeconds", 1,
                "FunctionResponseTypes", List.of("ReportBatchItemFailures"), "BisectBatchOnFunctionError", true,
                "MaximumRetryAttempts", 5, "MaximumRecordAgeInSeconds", 3600,
                "DestinationConfig", Map.of("OnFailure", Map.of("Type", "SQS", "Destination", DLQ))));
        var bare = new com.edgeinventory.local.template.EventSource.Generic("Bare", "Kinesis", Map.of(
                "Stream", "arn:aws:kinesis:us-east-2:123456789012:stream/s", "StartingPosition", "LATEST"));
        FunctionDef function = new FunctionDef("Fn", "fn", "a.B::h", "java25", Path.of("x.jar"), 512, 30, Map.of(),
                List.of(event, bare), Map.of(), "/aws/lambda/fn", FunctionDef.Logging.TEXT, FUNCTION.arn());

        List<StreamMapping> mappings = StreamMapping.of(function);

        assertThat(mappings.get(0)).isEqualTo(new StreamMapping(function, "Changes", StreamMapping.Kind.DYNAMODB,
                "arn:aws:dynamodb:eu-west-1:123456789012:table/t/stream/x", true, 500, Duration.ofSeconds(1), true,
                true, 5, Optional.of(Duration.ofHours(1)), Optional.of(DLQ)));
        assertThat(mappings.get(1)).isEqualTo(new StreamMapping(function, "Bare", StreamMapping.Kind.KINESIS,
                "arn:aws:kinesis:us-east-2:123456789012:stream/s", false, 100, Duration.ZERO, false, false, -1,
                Optional.empty(), Optional.empty()));
        assertThat(Set.of(mappings.get(1).kind().eventSource())).containsExactly("aws:kinesis");
    }

    @Test
    void aBatchSmallerThanBatchSizeWaitsForTheBatchingWindowAndAFullOneDoesNot() {
        Instant[] now = {NOW};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        FakeFunction fn = new FakeFunction(s -> ok());
        StreamMapping windowed = new StreamMapping(FUNCTION, "Changes", StreamMapping.Kind.DYNAMODB,
                "arn:aws:dynamodb:eu-west-1:123456789012:table/t/stream/2026", true, 3, Duration.ofSeconds(1),
                true, true, 5, Optional.empty(), Optional.of(DLQ));
        StreamPoller poller = new StreamPoller(windowed, new FakeShard(5, NOW), fn, (arn, json) -> sent.add(json),
                Map.of(), clock, log::add, attempt -> { });

        poller.poll();                      // 3 of 5 read: a full batch goes at once
        poller.poll();                      // 2 left: gathering
        now[0] = NOW.plusMillis(999);
        poller.poll();                      // still inside the window
        assertThat(fn.batches).containsExactly(List.of("100", "200", "300"));
        assertThat(poller.buffered()).isEqualTo(2);

        now[0] = NOW.plusMillis(1000);
        poller.poll();

        assertThat(fn.batches).containsExactly(List.of("100", "200", "300"), List.of("400", "500"));
        assertThat(poller.buffered()).isZero();
    }
}
