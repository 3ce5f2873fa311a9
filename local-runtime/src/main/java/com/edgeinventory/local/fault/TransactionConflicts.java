package com.edgeinventory.local.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * DynamoDB's transaction conflicts, which the local moto never has (it runs one request at a time). DynamoDB
 * cancels a {@code TransactWriteItems} whose items overlap a transaction still in flight, with the cancellation
 * reason {@code TransactionConflict} on each overlapping item, and refuses a {@code PutItem}, {@code UpdateItem} or
 * {@code DeleteItem} of an item a transaction holds with {@code TransactionConflictException}
 * (<a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-conflict-handling">
 * transaction conflict handling</a>).
 *
 * <p>Here a transaction is in flight from the moment the proxy admits it until moto's answer has gone back, so two
 * requests conflict exactly when they overlap in time on one item, as concurrent clients make them. The newcomer
 * is the one cancelled. The window is the local round trip (including moto's queue under load), not DynamoDB's,
 * so the local rate of conflicts is an estimate of the effect, not of its size on AWS. {@code TransactGetItems}
 * and the conflicts of a transaction with a single write in flight are not emulated.
 */
public final class TransactionConflicts {

    /** The key attribute names of a table of the request's region (hash, then range), as DescribeTable says. */
    @FunctionalInterface
    public interface KeySchema {
        List<String> keyAttributes(String table);
    }

    /** What to do with one request. */
    public sealed interface Admission {
        /** Forward it; call {@link #release()} once its answer has gone back. */
        record Admitted(Runnable release) implements Admission {
            public void releaseNow() {
                release.run();
            }
        }

        /** Answer it with this instead of forwarding (HTTP 400, DynamoDB's JSON error). */
        record Refused(byte[] body) implements Admission {
        }
    }

    static final String CANCELLED = "com.amazonaws.dynamodb.v20120810#TransactionCanceledException";
    static final String CONFLICT = "com.amazonaws.dynamodb.v20120810#TransactionConflictException";
    private static final Admission.Admitted NOTHING_HELD = new Admission.Admitted(() -> { });
    private static final Set<String> SINGLE_WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Key attribute names by region/table, asked once. */
    private final Map<String, List<String>> schemas = new java.util.concurrent.ConcurrentHashMap<>();
    /** Items held by a transaction in flight. */
    private final Map<String, Long> held = new HashMap<>();
    private long nextTransaction;
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private final AtomicLong refusedWrites = new AtomicLong();

    /**
     * Admits or refuses one DynamoDB request of {@code operation} in {@code region}. A body that cannot be read is
     * admitted as is (moto answers its validation error).
     *
     * @param schema the key attributes of a table, asked only for a {@code Put} of a table not seen before
     */
    public Admission admit(String region, String operation, byte[] body, KeySchema schema) {
        if (!operation.equals("TransactWriteItems") && !SINGLE_WRITES.contains(operation)) {
            return NOTHING_HELD;
        }
        JsonNode request;
        try {
            request = JSON.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return NOTHING_HELD;
        }
        if (request == null || !request.isObject()) {
            return NOTHING_HELD;
        }
        if (operation.equals("TransactWriteItems")) {
            return transaction(region, request, schema);
        }
        Optional<String> item = itemId(region, request.path("TableName").asText(null),
                operation.equals("PutItem") ? request.path("Item") : request.path("Key"), !operation.equals("PutItem"),
                schema);
        synchronized (held) {
            if (item.isPresent() && held.containsKey(item.get())) {
                refusedWrites.incrementAndGet();
                return new Admission.Refused(error(CONFLICT, "Transaction is ongoing for the item"));
            }
        }
        return NOTHING_HELD;
    }

    private Admission transaction(String region, JsonNode request, KeySchema schema) {
        List<Optional<String>> items = new ArrayList<>();
        for (JsonNode entry : request.path("TransactItems")) {
            Optional<String> id = Optional.empty();
            for (String kind : List.of("Put", "Update", "Delete", "ConditionCheck")) {
                JsonNode action = entry.path(kind);
                if (action.isObject()) {
                    id = itemId(region, action.path("TableName").asText(null),
                            kind.equals("Put") ? action.path("Item") : action.path("Key"), !kind.equals("Put"), schema);
                }
            }
            items.add(id);
        }
        transactions.incrementAndGet();
        long me;
        synchronized (held) {
            boolean conflict = items.stream().anyMatch(i -> i.isPresent() && held.containsKey(i.get()));
            if (conflict) {
                cancelled.incrementAndGet();
                return new Admission.Refused(cancellation(items));
            }
            me = ++nextTransaction;
            items.forEach(i -> i.ifPresent(id -> held.put(id, me)));
        }
        Set<String> mine = new LinkedHashSet<>();
        items.forEach(i -> i.ifPresent(mine::add));
        return new Admission.Admitted(() -> {
            synchronized (held) {
                mine.forEach(id -> held.remove(id, me));
            }
        });
    }

    private byte[] cancellation(List<Optional<String>> items) {
        ObjectNode body = JSON.createObjectNode();
        body.put("__type", CANCELLED);
        List<String> codes = new ArrayList<>();
        ArrayNode reasons = body.putArray("CancellationReasons");
        for (Optional<String> item : items) {
            boolean conflict = item.isPresent() && held.containsKey(item.get());
            codes.add(conflict ? "TransactionConflict" : "None");
            ObjectNode reason = reasons.addObject().put("Code", conflict ? "TransactionConflict" : "None");
            if (conflict) {
                reason.put("Message", "Transaction is ongoing for the item");
            }
        }
        body.put("Message", "Transaction cancelled, please refer cancellation reasons for specific reasons "
                + codes);
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] error(String type, String message) {
        return JSON.createObjectNode().put("__type", type).put("message", message).toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code region/table/{key attributes}} of one item, the key attributes in the table's order; empty when the
     * request does not name them (moto will refuse it).
     *
     * @param keyOnly the map holds the key only (Update, Delete, ConditionCheck); else a whole item (Put)
     */
    private Optional<String> itemId(String region, String table, JsonNode map, boolean keyOnly, KeySchema schema) {
        if (table == null || !map.isObject()) {
            return Optional.empty();
        }
        Map<String, String> key = new TreeMap<>();
        if (keyOnly) {
            map.properties().forEach(e -> key.put(e.getKey(), e.getValue().toString()));
        } else {
            List<String> names;
            try {
                names = schemas.computeIfAbsent(region + "/" + table, k -> List.copyOf(schema.keyAttributes(table)));
            } catch (RuntimeException unknownTable) {
                return Optional.empty();
            }
            for (String name : names) {
                if (!map.has(name)) {
                    return Optional.empty();
                }
                key.put(name, map.get(name).toString());
            }
        }
        return key.isEmpty() ? Optional.empty() : Optional.of(region + "/" + table + "/" + key);
    }

    /** Transactions seen, those cancelled for a conflict, single writes refused. */
    public record Counts(long transactions, long cancelled, long refusedWrites) {
    }

    public Counts counts() {
        return new Counts(transactions.get(), cancelled.get(), refusedWrites.get());
    }

    /** One line for the end of a run. */
    public String summary() {
        Counts c = counts();
        return "DynamoDB transaction conflicts (emulated): " + c.cancelled() + " of " + c.transactions()
                + " TransactWriteItems cancelled with TransactionConflict, " + c.refusedWrites()
                + " single writes refused with TransactionConflictException";
    }
}
