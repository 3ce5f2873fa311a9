package com.edgeinventory.local.fault;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What {@link FaultProxy} does to DynamoDB calls ({@code up --dynamodb-faults}):
 * {@code throttle=0.2,error=0.05[,ops=TransactWriteItems+UpdateItem][,seed=N]}.
 *
 * @param throttle   probability of a ProvisionedThroughputExceededException (HTTP 400) per call
 * @param error      probability of an InternalServerError (HTTP 500) per call
 * @param operations the DynamoDB operations affected; empty = all
 * @param seed       of the proxy's Random
 */
public record DynamoDbFaults(double throttle, double error, Set<String> operations, long seed) {

    public static final long DEFAULT_SEED = 20_261_127L;
    /** No DynamoDB faults (the proxy only for another hook, e.g. a central outage). */
    public static final DynamoDbFaults NONE = new DynamoDbFaults(0, 0, java.util.Set.of(), DEFAULT_SEED);
    private static final Pattern OPERATION = Pattern.compile("[A-Z][A-Za-z]+");

    public DynamoDbFaults {
        operations = Set.copyOf(operations);
        if (!(throttle >= 0 && throttle <= 1) || !(error >= 0 && error <= 1) || throttle + error > 1) {
            throw new IllegalArgumentException("DynamoDB faults: throttle=" + throttle + " and error=" + error
                    + " must be probabilities 0..1 that add up to at most 1");
        }
    }

    /** Whether a call of {@code operation} may get a fault. */
    public boolean affects(String operation) {
        return operations.isEmpty() || operations.contains(operation);
    }

    /** @throws IllegalArgumentException naming the part at fault */
    public static DynamoDbFaults parse(String spec) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("DynamoDB faults: '" + part.strip() + "' is not key=value (keys:"
                        + " throttle, error, ops, seed)");
            }
            String key = part.substring(0, eq).strip();
            String value = part.substring(eq + 1).strip();
            if (!Set.of("throttle", "error", "ops", "seed").contains(key)) {
                throw new IllegalArgumentException("DynamoDB faults: unknown key '" + key + "' (keys: throttle, error,"
                        + " ops, seed)");
            }
            if (values.put(key, value) != null) {
                throw new IllegalArgumentException("DynamoDB faults: '" + key + "' is given twice");
            }
        }
        if (!values.containsKey("throttle") && !values.containsKey("error")) {
            throw new IllegalArgumentException("DynamoDB faults: '" + spec + "' sets neither throttle nor error");
        }
        double throttle = probability("throttle", values.getOrDefault("throttle", "0"));
        double error = probability("error", values.getOrDefault("error", "0"));
        Set<String> operations = new LinkedHashSet<>();
        if (values.containsKey("ops")) {
            for (String op : values.get("ops").split("\\+")) {
                if (!OPERATION.matcher(op.strip()).matches()) {
                    throw new IllegalArgumentException("DynamoDB faults: ops: '" + op + "' is not an operation name"
                            + " like TransactWriteItems (several joined with +)");
                }
                operations.add(op.strip());
            }
        }
        long seed = DEFAULT_SEED;
        if (values.containsKey("seed")) {
            try {
                seed = Long.parseLong(values.get("seed"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("DynamoDB faults: seed '" + values.get("seed")
                        + "' is not a whole number");
            }
        }
        if (throttle + error > 1) {
            throw new IllegalArgumentException("DynamoDB faults: throttle " + throttle + " + error " + error
                    + " is more than 1");
        }
        return new DynamoDbFaults(throttle, error, operations, seed);
    }

    private static double probability(String key, String text) {
        double p;
        try {
            p = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("DynamoDB faults: " + key + " '" + text + "' is not a number");
        }
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("DynamoDB faults: " + key + " " + text + " is not a probability 0..1");
        }
        return p;
    }

    @Override
    public String toString() {
        return "throttle=" + throttle + ",error=" + error + (operations.isEmpty() ? "" : ",ops="
                + String.join("+", operations)) + ",seed=" + seed;
    }
}
