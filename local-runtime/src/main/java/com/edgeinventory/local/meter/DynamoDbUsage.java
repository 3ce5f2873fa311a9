package com.edgeinventory.local.meter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The read and write units one DynamoDB call consumed, from its request and response bodies, by
 * {@link CapacityUnits}' rules. Reads are sized from the items returned; a {@code PutItem} from the item sent;
 * an update (alone or in a transaction) from the item as it is after the call, which {@link ItemReader} fetches
 * (moto reports no consumed capacity for transactions); a delete from the old item when the response returns it,
 * else one unit. Only successful calls count: DynamoDB also bills a failed conditional write one unit, which is
 * left out, as are the calls DynamoDB cancels.
 */
public final class DynamoDbUsage {

    /** The item a table holds under a key now (a read the meter makes, not the function). */
    @FunctionalInterface
    public interface ItemReader {
        Optional<JsonNode> read(String table, JsonNode key);
    }

    /** Units of one call. */
    public record Units(double read, double write) {
        public static final Units NONE = new Units(0, 0);
    }

    private DynamoDbUsage() {
    }

    public static Units of(String operation, JsonNode request, JsonNode response, ItemReader reader) {
        if (request == null || response == null) {
            return Units.NONE;
        }
        boolean consistent = request.path("ConsistentRead").asBoolean(false);
        return switch (operation) {
            case "GetItem" -> new Units(CapacityUnits.readUnits(
                    CapacityUnits.itemSize(response.path("Item")), consistent, false), 0);
            case "Query", "Scan" -> {
                long bytes = 0;
                for (JsonNode item : response.path("Items")) {
                    bytes += CapacityUnits.itemSize(item);
                }
                yield new Units(CapacityUnits.readUnits(bytes, consistent, false), 0);
            }
            case "BatchGetItem" -> {
                double units = 0;
                for (JsonNode table : response.path("Responses")) {
                    for (JsonNode item : table) {
                        units += CapacityUnits.readUnits(CapacityUnits.itemSize(item), false, false);
                    }
                }
                yield new Units(units, 0);
            }
            case "TransactGetItems" -> {
                double units = 0;
                for (JsonNode r : response.path("Responses")) {
                    units += CapacityUnits.readUnits(CapacityUnits.itemSize(r.path("Item")), true, true);
                }
                yield new Units(units, 0);
            }
            case "PutItem" -> new Units(0, CapacityUnits.writeUnits(
                    CapacityUnits.itemSize(request.path("Item")), false));
            case "UpdateItem" -> new Units(0, CapacityUnits.writeUnits(after(request, reader), false));
            case "DeleteItem" -> new Units(0, CapacityUnits.writeUnits(
                    CapacityUnits.itemSize(response.path("Attributes")), false));
            case "BatchWriteItem" -> {
                double units = 0;
                for (JsonNode table : request.path("RequestItems")) {
                    for (JsonNode write : table) {
                        units += CapacityUnits.writeUnits(CapacityUnits.itemSize(write.path("PutRequest")
                                .path("Item")), false);
                    }
                }
                yield new Units(0, units);
            }
            case "TransactWriteItems" -> {
                double read = 0;
                double write = 0;
                for (JsonNode item : request.path("TransactItems")) {
                    if (item.has("Put")) {
                        write += CapacityUnits.writeUnits(CapacityUnits.itemSize(item.path("Put").path("Item")), true);
                    } else if (item.has("Update")) {
                        write += CapacityUnits.writeUnits(after(item.path("Update"), reader), true);
                    } else if (item.has("Delete")) {
                        write += CapacityUnits.writeUnits(0, true);
                    } else if (item.has("ConditionCheck")) {
                        read += CapacityUnits.readUnits(after(item.path("ConditionCheck"), reader), true, true);
                    }
                }
                yield new Units(read, write);
            }
            default -> Units.NONE;
        };
    }

    private static long after(JsonNode action, ItemReader reader) {
        String table = action.path("TableName").asText(null);
        if (table == null || !action.path("Key").isObject()) {
            return 0;
        }
        return reader.read(table, action.path("Key")).map(CapacityUnits::itemSize).orElse(0L);
    }
}
