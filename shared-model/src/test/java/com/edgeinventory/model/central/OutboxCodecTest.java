package com.edgeinventory.model.central;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.edgeinventory.model.central.OutboxCodec.Entry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboxCodecTest {

    static Entry entry(int i, int bytes) {
        byte[] data = new byte[bytes];
        for (int b = 0; b < bytes; b++) {
            data[b] = (byte) (i * 31 + b);
        }
        return new Entry("eu-west-1#SKU-" + i, data);
    }

    @Test
    void roundTripsEveryEntryInOrder() {
        List<Entry> entries = IntStream.range(0, 20).mapToObj(i -> entry(i, 10 + i)).toList();
        OutboxCodec.Packed packed = OutboxCodec.pack(entries);
        assertThat(packed.messages()).hasSize(1);
        assertThat(packed.tooLarge()).isEmpty();
        assertThat(OutboxCodec.unpack(packed.messages().getFirst().body())).containsExactlyElementsOf(entries);
        assertThat(packed.messages().getFirst().entries()).containsExactlyElementsOf(IntStream.range(0, 20).boxed().toList());
    }

    @Test
    void splitsAtTheBudgetAndNoBodyIsOverIt() {
        List<Entry> entries = IntStream.range(0, 3000).mapToObj(i -> entry(i, 300)).toList();
        OutboxCodec.Packed packed = OutboxCodec.pack(entries);
        assertThat(packed.messages().size()).isGreaterThan(1);
        List<Entry> back = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        for (OutboxCodec.Message m : packed.messages()) {
            assertThat(OutboxCodec.bytes(m.body())).isLessThanOrEqualTo(OutboxCodec.MAX_BODY_BYTES);
            back.addAll(OutboxCodec.unpack(m.body()));
            indices.addAll(m.entries());
        }
        assertThat(back).containsExactlyElementsOf(entries);
        assertThat(indices).containsExactlyElementsOf(IntStream.range(0, 3000).boxed().toList());
    }

    @Test
    void anEntryTooLargeForAnyMessageIsSetAsideAndTheRestPacked() {
        List<Entry> entries = List.of(entry(0, 10), entry(1, 200_000), entry(2, 10));
        OutboxCodec.Packed packed = OutboxCodec.pack(entries);
        assertThat(packed.tooLarge()).containsExactly(1);
        assertThat(packed.messages()).singleElement().satisfies(m -> assertThat(m.entries()).containsExactly(0, 2));
    }

    @Test
    void nonAsciiKeysAreCountedAsBytes() {
        Entry e = new Entry("eu-west-1#ÜBER-ß", new byte[]{1, 2, 3});
        OutboxCodec.Packed packed = OutboxCodec.pack(List.of(e), 80);
        assertThat(packed.tooLarge()).isEmpty();
        String body = packed.messages().getFirst().body();
        assertThat(OutboxCodec.bytes(body)).isEqualTo(body.length()).isLessThanOrEqualTo(80);
        assertThat(OutboxCodec.unpack(body)).containsExactly(e);
    }

    @Test
    void nothingToPackIsNoMessage() {
        assertThat(OutboxCodec.pack(List.of()).messages()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "{\"v\":2,\"records\":[]}", "{\"records\":[]}", "{\"v\":1}",
            "{\"v\":1,\"records\":[{\"k\":\"a#b\"}]}", "{\"v\":1,\"records\":[{\"d\":\"AAAA\"}]}",
            "{\"v\":1,\"records\":[{\"k\":\"\",\"d\":\"AAAA\"}]}", "{\"v\":1,\"records\":[{\"k\":\"a#b\",\"d\":\"%%%\"}]}",
            "{\"v\":\"1\",\"records\":[]}"})
    void badBodiesAreRefusedWithAReason(String body) {
        assertThatThrownBy(() -> OutboxCodec.unpack(body)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outbox");
    }

    @Test
    void bodyIsPlainJsonAnOperatorCanRead() {
        String body = OutboxCodec.pack(List.of(new Entry("eu-west-1#A", "hi".getBytes(StandardCharsets.UTF_8))))
                .messages().getFirst().body();
        assertThat(body).isEqualTo("{\"v\":1,\"records\":[{\"k\":\"eu-west-1#A\",\"d\":\"aGk=\"}]}");
    }
}
