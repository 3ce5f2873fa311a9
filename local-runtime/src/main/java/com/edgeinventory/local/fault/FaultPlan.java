package com.edgeinventory.local.fault;

import com.edgeinventory.local.invoke.InvokeOutcome;
import com.edgeinventory.local.invoke.InvokeResult;
import com.edgeinventory.local.template.FunctionDef;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Function faults chosen by event content ({@code up --fault}): for an event of a given function that contains a
 * given text, the invocation ends as failed, crashed or timed out without running the function, which is exactly
 * what the caller (an event source mapping, the asynchronous invoker, an HTTP API) would see from Lambda.
 *
 * <p>Spec: {@code FunctionLogicalId:fail|crash|timeout:TEXT}, several separated by {@code ;}. {@code TEXT} is a
 * substring of the event JSON (it may contain {@code :}); {@code *} matches every event. Pure: no I/O.
 */
public final class FaultPlan {

    /** What the matching invocation does. */
    public enum Kind {
        /** The handler threw: {@code InvokeOutcome.Failed("invoke", "InjectedFault", ...)}. */
        FAIL,
        /** The runtime process died: {@code InvokeOutcome.Crashed(137)} (killed). */
        CRASH,
        /** The function ran past its Timeout: {@code InvokeOutcome.TimedOut(timeout)}. */
        TIMEOUT
    }

    /** One fault: {@code function}'s events containing {@code match} end as {@code kind}. */
    public record Rule(String function, Kind kind, String match) {
        public boolean matches(FunctionDef f, String eventJson) {
            return f.logicalId().equals(function) && (match.equals(EVERY_EVENT) || eventJson.contains(match));
        }

        @Override
        public String toString() {
            return function + ":" + kind.name().toLowerCase(Locale.ROOT) + ":" + match;
        }
    }

    public static final String ERROR_TYPE = "InjectedFault";
    public static final int CRASH_EXIT_CODE = 137;
    static final String EVERY_EVENT = "*";
    private static final Pattern LOGICAL_ID = Pattern.compile("[A-Za-z0-9]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Rule> rules;

    private FaultPlan(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static FaultPlan none() {
        return new FaultPlan(List.of());
    }

    public static FaultPlan of(List<Rule> rules) {
        return new FaultPlan(rules);
    }

    /**
     * Parses specs, each one or more rules separated by {@code ;} (empty parts are ignored).
     *
     * @throws IllegalArgumentException naming the rule and the part of it at fault
     */
    public static FaultPlan parse(Collection<String> specs) {
        List<Rule> rules = new ArrayList<>();
        for (String spec : specs) {
            for (String part : spec.split(";")) {
                if (!part.isBlank()) {
                    rules.add(rule(part.strip()));
                }
            }
        }
        return new FaultPlan(rules);
    }

    public static FaultPlan parse(String spec) {
        return parse(List.of(spec));
    }

    private static Rule rule(String text) {
        String[] parts = text.split(":", 3);
        if (parts.length < 3) {
            throw new IllegalArgumentException("fault '" + text + "' is not FunctionLogicalId:fail|crash|timeout:TEXT"
                    + " (" + (parts.length == 1 ? "no ':' in it" : "no TEXT to match: add ':TEXT', or ':*' for every"
                    + " event") + ")");
        }
        String function = parts[0].strip();
        if (!LOGICAL_ID.matcher(function).matches()) {
            throw new IllegalArgumentException("fault '" + text + "': the function '" + function
                    + "' is not a template logical id (letters and digits, e.g. InventoryStreamForwarder)");
        }
        Kind kind = switch (parts[1].strip().toLowerCase(Locale.ROOT)) {
            case "fail" -> Kind.FAIL;
            case "crash" -> Kind.CRASH;
            case "timeout" -> Kind.TIMEOUT;
            default -> throw new IllegalArgumentException("fault '" + text + "': the kind '" + parts[1]
                    + "' is not one of fail, crash, timeout");
        };
        String match = parts[2];
        if (match.isEmpty()) {
            throw new IllegalArgumentException("fault '" + text + "': the TEXT to match is empty (use '*' for every"
                    + " event)");
        }
        return new Rule(function, kind, match);
    }

    public List<Rule> rules() {
        return rules;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** The functions the rules name that are not in {@code logicalIds} (typos, most likely). */
    public List<String> unknownFunctions(Collection<String> logicalIds) {
        return rules.stream().map(Rule::function).distinct().filter(f -> !logicalIds.contains(f)).toList();
    }

    /** The first rule for this invocation, if any. */
    public Optional<Rule> match(FunctionDef function, String eventJson) {
        return rules.stream().filter(r -> r.matches(function, eventJson)).findFirst();
    }

    /**
     * For an event a rule matches, the synthetic result to hand back instead of running the function; empty when
     * no rule matches (run it).
     */
    public Optional<InvokeResult> intercept(FunctionDef function, String eventJson) {
        return match(function, eventJson).map(rule -> new InvokeResult(UUID.randomUUID().toString(),
                outcome(rule, function), rule.kind() == Kind.TIMEOUT
                ? Duration.ofSeconds(function.timeoutSeconds()) : Duration.ZERO));
    }

    static InvokeOutcome outcome(Rule rule, FunctionDef function) {
        return switch (rule.kind()) {
            case FAIL -> {
                String message = "injected fault for " + function.logicalId() + " (event matches '" + rule.match()
                        + "')";
                ObjectNode error = JSON.createObjectNode();
                error.put("errorMessage", message);
                error.put("errorType", ERROR_TYPE);
                error.putArray("stackTrace");
                yield new InvokeOutcome.Failed("invoke", ERROR_TYPE, message, error.toString());
            }
            case CRASH -> new InvokeOutcome.Crashed(CRASH_EXIT_CODE);
            case TIMEOUT -> new InvokeOutcome.TimedOut(function.timeoutSeconds());
        };
    }

    @Override
    public String toString() {
        return rules.stream().map(Rule::toString).reduce((a, b) -> a + ";" + b).orElse("(no faults)");
    }
}
