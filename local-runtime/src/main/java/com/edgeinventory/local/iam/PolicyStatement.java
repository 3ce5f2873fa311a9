package com.edgeinventory.local.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One statement of an identity-based policy, as IAM reads it.
 *
 * @param source      where the statement comes from, for messages (e.g. {@code Policies[0]}, {@code managed
 *                    AWSLambdaBasicExecutionRole}, {@code EventInvokeConfig OnFailure})
 * @param sid         the statement's {@code Sid}, empty when it has none
 * @param effect      Allow or Deny
 * @param actions     the {@code Action} (or, when {@code notAction}, the {@code NotAction}) patterns
 * @param notAction   the statement uses {@code NotAction}
 * @param resources   the {@code Resource} (or, when {@code notResource}, the {@code NotResource}) patterns
 * @param notResource the statement uses {@code NotResource}
 * @param conditional the statement has a {@code Condition} block, which is not evaluated (see
 *                    {@link PolicyEvaluator})
 */
public record PolicyStatement(
        String source,
        String sid,
        Effect effect,
        List<String> actions,
        boolean notAction,
        List<String> resources,
        boolean notResource,
        boolean conditional) {

    public enum Effect { ALLOW, DENY }

    public PolicyStatement {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(effect, "effect");
        sid = sid == null ? "" : sid;
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
    }

    /** An unconditional Allow of {@code actions} on {@code resources}. */
    public static PolicyStatement allow(String source, List<String> actions, List<String> resources) {
        return new PolicyStatement(source, "", Effect.ALLOW, actions, false, resources, false, false);
    }

    /** The statement's name for messages: its Sid, else its source. */
    public String label() {
        return sid.isEmpty() ? source : sid + " (" + source + ")";
    }

    /**
     * The statements of a policy document ({@code {Statement: [...]}} or {@code {Statement: {...}}}), with every
     * intrinsic already resolved.
     *
     * @throws IamPolicyException when the document is not one IAM would accept
     */
    public static List<PolicyStatement> parseDocument(Object document, String source) {
        if (!(document instanceof Map<?, ?> doc) || !doc.containsKey("Statement")) {
            throw new IamPolicyException(source + ": a policy document needs a Statement, got " + document);
        }
        Object statement = doc.get("Statement");
        List<?> list = statement instanceof List<?> l ? l : List.of(statement);
        List<PolicyStatement> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(parse(list.get(i), source + ".Statement[" + i + "]"));
        }
        return out;
    }

    /** One statement ({@code Effect}, {@code Action}/{@code NotAction}, {@code Resource}/{@code NotResource}). */
    public static PolicyStatement parse(Object statement, String source) {
        if (!(statement instanceof Map<?, ?> s)) {
            throw new IamPolicyException(source + ": a statement must be a map, got " + statement);
        }
        Object effect = s.get("Effect");
        Effect e;
        if ("Allow".equals(effect)) {
            e = Effect.ALLOW;
        } else if ("Deny".equals(effect)) {
            e = Effect.DENY;
        } else {
            throw new IamPolicyException(source + ": Effect must be Allow or Deny, got " + effect);
        }
        boolean notAction = s.containsKey("NotAction");
        if (notAction == s.containsKey("Action")) {
            throw new IamPolicyException(source + ": a statement needs exactly one of Action and NotAction");
        }
        boolean notResource = s.containsKey("NotResource");
        if (notResource == s.containsKey("Resource")) {
            throw new IamPolicyException(source + ": a statement needs exactly one of Resource and NotResource");
        }
        Object sid = s.get("Sid");
        return new PolicyStatement(source, sid == null ? "" : sid.toString(), e,
                strings(s.get(notAction ? "NotAction" : "Action"), source + (notAction ? ".NotAction" : ".Action")),
                notAction,
                strings(s.get(notResource ? "NotResource" : "Resource"),
                        source + (notResource ? ".NotResource" : ".Resource")),
                notResource,
                s.containsKey("Condition"));
    }

    private static List<String> strings(Object value, String where) {
        List<?> list = value instanceof List<?> l ? l : List.of(value == null ? List.of() : value);
        List<String> out = new ArrayList<>();
        for (Object v : list) {
            if (!(v instanceof String str)) {
                throw new IamPolicyException(where + ": expected strings (intrinsics resolved), got " + v);
            }
            out.add(str);
        }
        if (out.isEmpty()) {
            throw new IamPolicyException(where + " is empty");
        }
        return out;
    }
}
