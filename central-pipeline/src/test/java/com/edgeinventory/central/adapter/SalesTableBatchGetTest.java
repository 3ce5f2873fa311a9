package com.edgeinventory.central.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.edgeinventory.central.service.AnalyticsStore;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/** BatchGetItem chunking and the bounded retry of unprocessed keys, against a scripted client. */
class SalesTableBatchGetTest {

    static final String TABLE = "sales";
    static final String SKU = "TR-RUN-42-BLU";
    static final LocalDate TO = LocalDate.parse("2026-11-27");

    /**
     * Answers every key it is asked for with qty = the day of month, but leaves the last {@code leaveOut} keys of
     * each request unprocessed for the first {@code stingyCalls} calls.
     */
    static final class ScriptedDynamo implements DynamoDbClient {
        final List<BatchGetItemRequest> requests = new ArrayList<>();
        final int stingyCalls;
        final int leaveOut;

        ScriptedDynamo(int stingyCalls, int leaveOut) {
            this.stingyCalls = stingyCalls;
            this.leaveOut = leaveOut;
        }

        @Override
        public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
            requests.add(request);
            KeysAndAttributes asked = request.requestItems().get(TABLE);
            List<Map<String, AttributeValue>> keys = asked.keys();
            int answered = requests.size() <= stingyCalls ? Math.max(0, keys.size() - leaveOut) : keys.size();
            List<Map<String, AttributeValue>> items = keys.subList(0, answered).stream()
                    .map(k -> Map.of("pk", k.get("pk"), "qty", AttributeValue.fromN(
                            Integer.toString(LocalDate.parse(k.get("pk").s().substring(k.get("pk").s().length() - 10))
                                    .getDayOfMonth()))))
                    .toList();
            BatchGetItemResponse.Builder response = BatchGetItemResponse.builder()
                    .responses(Map.of(TABLE, items));
            if (answered < keys.size()) {
                response.unprocessedKeys(Map.of(TABLE, KeysAndAttributes.builder()
                        .keys(keys.subList(answered, keys.size())).build()));
            }
            return response.build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }

    final List<Long> sleeps = new ArrayList<>();

    SalesTable table(DynamoDbClient dynamo) {
        return new SalesTable(dynamo, TABLE, null, Clock.systemUTC(), sleeps::add);
    }

    static List<LocalDate> days(int n) {
        return IntStream.range(0, n).mapToObj(i -> TO.minusDays(i)).toList();
    }

    @Test
    void keysAreSentAtMostAHundredPerRequestWithTheQtyProjection() {
        ScriptedDynamo dynamo = new ScriptedDynamo(0, 0);

        Map<AnalyticsStore.RegionDay, Long> units = table(dynamo).unitsSold(SKU, List.of("eu-west-1", "us-east-2"),
                days(120));

        assertThat(dynamo.requests).extracting(r -> r.requestItems().get(TABLE).keys().size())
                .containsExactly(100, 100, 40);
        assertThat(dynamo.requests.getFirst().requestItems().get(TABLE).projectionExpression()).isEqualTo("#pk, #q");
        assertThat(units).hasSize(240)
                .containsEntry(new AnalyticsStore.RegionDay("us-east-2", TO), 27L)
                .containsEntry(new AnalyticsStore.RegionDay("eu-west-1", TO.minusDays(1)), 26L);
        assertThat(dynamo.requests.getFirst().requestItems().get(TABLE).keys().getFirst())
                .isEqualTo(Map.of("pk", AttributeValue.fromS("SALES#eu-west-1#2026-11-27"), "sk", AttributeValue.fromS(SKU)));
        assertThat(sleeps).isEmpty();
    }

    @Test
    void unprocessedKeysAreSentAgainAfterABackoffWithTheSameProjection() {
        ScriptedDynamo dynamo = new ScriptedDynamo(3, 4);

        Map<AnalyticsStore.RegionDay, Long> units = table(dynamo).unitsSold(SKU, List.of("eu-west-1"), days(10));

        assertThat(units).hasSize(10);
        assertThat(dynamo.requests).extracting(r -> r.requestItems().get(TABLE).keys().size())
                .containsExactly(10, 4, 4, 4);
        assertThat(dynamo.requests.getLast().requestItems().get(TABLE).projectionExpression()).isEqualTo("#pk, #q");
        assertThat(sleeps).hasSize(3);
        for (int i = 0; i < sleeps.size(); i++) {
            long ceiling = Math.min(SalesTable.BACKOFF_CAP_MILLIS, SalesTable.BACKOFF_BASE_MILLIS << i);
            assertThat(sleeps.get(i)).isBetween(ceiling / 2, ceiling);
        }
    }

    @Test
    void keysStillUnprocessedAfterTheLastAttemptMakeTheStoreUnavailable() {
        ScriptedDynamo dynamo = new ScriptedDynamo(Integer.MAX_VALUE, 1);

        assertThatThrownBy(() -> table(dynamo).unitsSold(SKU, List.of("eu-west-1"), days(3)))
                .isInstanceOf(AnalyticsStore.Unavailable.class)
                .hasMessageContaining("1 sales counters still unprocessed");
        assertThat(dynamo.requests).hasSize(SalesTable.MAX_BATCH_GET_ATTEMPTS);
        assertThat(sleeps).hasSize(SalesTable.MAX_BATCH_GET_ATTEMPTS - 1)
                .allSatisfy(ms -> assertThat(ms).isLessThanOrEqualTo(SalesTable.BACKOFF_CAP_MILLIS));
        assertThat(sleeps.stream().mapToLong(Long::longValue).sum()).isLessThanOrEqualTo(2_300);
    }

    @Test
    void aReaderRefusesToCount() {
        assertThatThrownBy(() -> SalesTable.reader(new ScriptedDynamo(0, 0), TABLE).count(null))
                .isInstanceOf(IllegalStateException.class);
    }
}
