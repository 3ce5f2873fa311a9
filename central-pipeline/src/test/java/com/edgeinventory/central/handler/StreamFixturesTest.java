package com.edgeinventory.central.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.edgeinventory.central.service.ChangeRecord;
import com.edgeinventory.central.service.StreamChanges;
import com.edgeinventory.model.central.CentralCodec;
import com.edgeinventory.model.central.LevelChange;
import com.edgeinventory.model.central.SkuDelta;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The DynamoDB stream fixtures in events/ (the inventory item after a checkout, and the purchase it wrote),
 * loaded as Lambda deserializes them, through the forwarder's mapping: one compact delta crosses, with
 * nothing personal or descriptive in its bytes.
 */
class StreamFixturesTest {

    @Test
    void theCheckoutFixturesBecomeOneCompactDeltaWithoutPersonalData() {
        List<ChangeRecord> changes = new ArrayList<>();
        for (String fixture : List.of("dynamodb-inventory-modified.json", "dynamodb-purchase-inserted.json")) {
            DynamodbEvent event = EventLoader.loadDynamoDbEvent(fixture);
            event.getRecords().forEach(r -> changes.add(ChangeRecords.of(r)));
        }

        StreamChanges.Result result = StreamChanges.coalesce("eu-west-1", changes);

        assertThat(result.malformed()).isEmpty();
        assertThat(result.forwards()).hasSize(1);
        StreamChanges.Forward forward = result.forwards().getFirst();
        SkuDelta delta = forward.delta();
        assertThat(delta.partitionKey()).isEqualTo("eu-west-1#TR-RUN-42-BLU");
        LevelChange level = delta.level().orElseThrow();
        assertThat(List.of(level.available(), level.reserved(), level.sold(), level.version()))
                .containsExactly(23L, 0L, 2L, 4L);
        assertThat(delta.sales()).singleElement().satisfies(s -> {
            assertThat(s.purchaseId()).isEqualTo("3850ff65-1eb6-4bc4-8c73-f34b298fff6b");
            assertThat(s.day()).isEqualTo(LocalDate.of(2026, 11, 27));
            assertThat(s.storeId()).isEqualTo("STORE-MUC-01");
            assertThat(s.qty()).isEqualTo(2);
            assertThat(s.amount()).isEqualByComparingTo(new BigDecimal("179.80"));
            assertThat(s.currency()).isEqualTo("EUR");
        });
        assertThat(forward.sourceSequenceNumbers())
                .containsExactlyInAnyOrder("111100000000000000001", "222200000000000000001");

        String bytes = new String(CentralCodec.encode(delta), StandardCharsets.ISO_8859_1);
        assertThat(bytes).doesNotContain("cust-4711", "Trail Runner", "Lightweight", "POS-01", "basket-0001",
                "running-shoes", "WH-MUC-1");
    }

    /**
     * events/kinesis-central-record.json (CentralAggregatorFunction's sample event) carries exactly the record the
     * forwarder makes of the two DynamoDB fixtures, so the three samples tell one story end to end.
     */
    @Test
    void theKinesisFixtureIsTheRecordTheForwarderMakesOfTheCheckoutFixtures() {
        List<ChangeRecord> changes = new ArrayList<>();
        for (String fixture : List.of("dynamodb-inventory-modified.json", "dynamodb-purchase-inserted.json")) {
            EventLoader.loadDynamoDbEvent(fixture).getRecords().forEach(r -> changes.add(ChangeRecords.of(r)));
        }
        SkuDelta forwarded = StreamChanges.coalesce("eu-west-1", changes).forwards().getFirst().delta();

        KinesisEvent event = EventLoader.loadKinesisEvent("kinesis-central-record.json");

        assertThat(event.getRecords()).singleElement().satisfies(r -> {
            assertThat(r.getKinesis().getPartitionKey()).isEqualTo(forwarded.partitionKey());
            java.nio.ByteBuffer data = r.getKinesis().getData().duplicate();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            assertThat(bytes).isEqualTo(CentralCodec.encode(forwarded));
            assertThat(CentralCodec.decode(bytes)).isEqualTo(forwarded);
        });
    }
}
