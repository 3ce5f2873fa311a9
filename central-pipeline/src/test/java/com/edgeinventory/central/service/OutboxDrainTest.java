package com.edgeinventory.central.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.model.central.OutboxCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OutboxDrainTest {

    /** An outbox in memory: receive hands out what is left, in order. */
    static final class Box implements OutboxDrain.Source {
        final Deque<OutboxDrain.Received> visible = new ArrayDeque<>();
        final List<String> deleted = new ArrayList<>();
        final List<String> deadLettered = new ArrayList<>();
        final List<String> released = new ArrayList<>();
        int receives;

        void add(String id, String body) {
            visible.add(new OutboxDrain.Received(id, "rh-" + id, body));
        }

        @Override
        public List<OutboxDrain.Received> receive(int max) {
            receives++;
            List<OutboxDrain.Received> out = new ArrayList<>();
            while (out.size() < max && !visible.isEmpty()) {
                out.add(visible.poll());
            }
            return out;
        }

        @Override
        public void delete(OutboxDrain.Received m) {
            deleted.add(m.messageId());
        }

        @Override
        public void release(OutboxDrain.Received m) {
            released.add(m.messageId());
        }

        @Override
        public void deadLetter(OutboxDrain.Received m, String reason) {
            deadLettered.add(m.messageId() + ": " + reason);
        }
    }

    static String body(String... keys) {
        return OutboxCodec.pack(java.util.Arrays.stream(keys).map(k -> new OutboxCodec.Entry(k, new byte[]{1}))
                .toList()).messages().getFirst().body();
    }

    final Box box = new Box();
    final List<String> put = new ArrayList<>();
    final List<String> log = new ArrayList<>();

    OutboxDrain.Sink accepting() {
        return entries -> {
            entries.forEach(e -> put.add(e.partitionKey()));
            return Set.of();
        };
    }

    @Test
    void deliversEveryMessageAndDeletesEachOnceAllItsRecordsAreIn() {
        IntStream.range(0, 25).forEach(i -> box.add("m" + i, body("r#" + i, "r#" + i + "b")));

        OutboxDrain.Report report = new OutboxDrain(box, accepting()).run(() -> true, log::add);

        assertThat(report).isEqualTo(new OutboxDrain.Report(25, 50, 0, 0, false));
        assertThat(box.deleted).hasSize(25);
        assertThat(put).hasSize(50).startsWith("r#0", "r#0b");
        assertThat(log).isEmpty();
    }

    @Test
    void anUnreadableMessageGoesToTheDeadLetterQueueWithItsReasonAndTheRestIsDelivered() {
        box.add("good1", body("a#1"));
        box.add("bad", "{\"v\":9,\"records\":[]}");
        box.add("good2", body("a#2"));

        OutboxDrain.Report report = new OutboxDrain(box, accepting()).run(() -> true, log::add);

        assertThat(report).isEqualTo(new OutboxDrain.Report(2, 2, 1, 0, false));
        assertThat(box.deadLettered).singleElement().asString().startsWith("bad: outbox message version 9");
        assertThat(box.deleted).containsExactly("good1", "good2");
    }

    @Test
    void whenCentralRefusesARecordTheMessageStaysAndTheRunStops() {
        box.add("m1", body("a#1"));
        box.add("m2", body("a#2", "a#3"));
        box.add("m3", body("a#4"));
        OutboxDrain.Sink refusesA3 = entries -> {
            Set<Integer> failed = new TreeSet<>();
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).partitionKey().equals("a#3")) {
                    failed.add(i);
                }
            }
            return failed;
        };

        OutboxDrain.Report report = new OutboxDrain(box, refusesA3).run(() -> true, log::add);

        assertThat(report).isEqualTo(new OutboxDrain.Report(1, 1, 0, 2, true));
        assertThat(box.deleted).containsExactly("m1");
        assertThat(box.released).as("visible again for the next run").containsExactly("m2", "m3");
        assertThat(box.deadLettered).isEmpty();
        assertThat(box.receives).isEqualTo(1);
        assertThat(log).singleElement().asString().contains("m2").contains("refused 1 of 2");
        assertThat(report.summary()).contains("central refused");
    }

    @Test
    void stopsWhenNoTimeIsLeft() {
        box.add("m1", body("a#1"));
        OutboxDrain.Report report = new OutboxDrain(box, accepting()).run(() -> false, log::add);
        assertThat(report).isEqualTo(new OutboxDrain.Report(0, 0, 0, 0, false));
        assertThat(box.receives).isZero();
    }

    @Test
    void anEmptyOutboxIsOneReceive() {
        OutboxDrain.Report report = new OutboxDrain(box, accepting()).run(() -> true, log::add);
        assertThat(report.summary()).isEqualTo("outbox: 0 messages (0 records) delivered, 0 unreadable to the"
                + " dead-letter queue, 0 left");
        assertThat(box.receives).isEqualTo(1);
    }
}
