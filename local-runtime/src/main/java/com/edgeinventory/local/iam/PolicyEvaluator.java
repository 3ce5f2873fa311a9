package com.edgeinventory.local.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * IAM's evaluation of identity-based policies for one request: an explicit Deny wins, else an Allow allows,
 * else the request is implicitly denied.
 *
 * <p>Matching follows IAM: {@code Action} patterns match case-insensitively ({@code dynamodb:getitem} is
 * {@code dynamodb:GetItem}); {@code Resource} patterns match case-sensitively; both take {@code *} (any run of
 * characters) and {@code ?} (exactly one character). A resource pattern is matched ARN segment by ARN segment
 * (the parts separated by the first five colons), so a {@code *} does not run from the region into the account;
 * as IAM documents, a {@code *} that ends a pattern with fewer than six segments extends past colon boundaries
 * ({@code arn:aws:s3:*}), and the resource segment (the sixth) may itself contain colons and slashes, which
 * {@code *} crosses ({@code table/T*} matches {@code table/T/index/I}). {@code Resource: "*"} matches everything.
 * {@code NotAction} / {@code NotResource} statements apply to every action / resource their list does not match.
 *
 * <p><b>Conditions are not evaluated.</b> A statement with a {@code Condition} block is treated as follows:
 * <ul>
 *   <li>an Allow with a Condition <em>allows</em>, as if its condition held;</li>
 *   <li>a Deny with a Condition <em>does not apply</em>, as if its condition did not hold.</li>
 * </ul>
 * Both choices err towards allowing, on purpose: the local check exists to report permissions production would
 * refuse, and a denial it reports must be one production gives too. Whether a condition holds depends on context
 * the local stack does not have (source VPC, TLS, tags, time, MFA ...), so the check never denies on a guess;
 * a Deny that a condition would switch on, or an Allow whose condition would fail, goes unreported. The
 * {@link Decision} says when a conditional statement was ignored or decided the outcome, so a caller can log it.
 */
public final class PolicyEvaluator {

    private static final Map<String, Pattern> ACTION_PATTERNS = new ConcurrentHashMap<>();
    private static final Map<String, Pattern> RESOURCE_PATTERNS = new ConcurrentHashMap<>();

    private PolicyEvaluator() {
    }

    /** The outcome of one (action, resource) request. */
    public enum Outcome {
        /** An Allow statement matches and no Deny does. */
        ALLOWED,
        /** A Deny statement matches. */
        EXPLICIT_DENY,
        /** No statement allows. */
        IMPLICIT_DENY
    }

    /**
     * A decision with its reason.
     *
     * @param outcome            allowed, explicit or implicit deny
     * @param action             the action asked for
     * @param resource           the resource asked for
     * @param statement          the deciding statement: the first matching Deny, else the first matching Allow;
     *                           empty for an implicit deny
     * @param ignoredConditional conditional statements that matched but whose condition was not evaluated (Denies
     *                           ignored, Allows counted as allowing)
     */
    public record Decision(
            Outcome outcome,
            String action,
            String resource,
            Optional<PolicyStatement> statement,
            List<PolicyStatement> ignoredConditional) {

        public Decision {
            Objects.requireNonNull(outcome, "outcome");
            ignoredConditional = List.copyOf(ignoredConditional);
        }

        public boolean allowed() {
            return outcome == Outcome.ALLOWED;
        }

        /** Why, in words: which statement allowed or denied, or that none allows. */
        public String reason() {
            return switch (outcome) {
                case ALLOWED -> action + " on " + resource + " allowed by " + statement.orElseThrow().label()
                        + (statement.orElseThrow().conditional() ? " (its Condition was not evaluated)" : "");
                case EXPLICIT_DENY -> action + " on " + resource + " explicitly denied by "
                        + statement.orElseThrow().label();
                case IMPLICIT_DENY -> "no identity-based policy allows " + action + " on " + resource;
            };
        }
    }

    /** Evaluates {@code action} on {@code resource} against every statement of the identity's policies. */
    public static Decision evaluate(List<PolicyStatement> statements, String action, String resource) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        PolicyStatement allow = null;
        List<PolicyStatement> ignored = new ArrayList<>();
        for (PolicyStatement s : statements) {
            if (!applies(s, action, resource)) {
                continue;
            }
            if (s.conditional()) {
                ignored.add(s);
            }
            if (s.effect() == PolicyStatement.Effect.DENY) {
                if (!s.conditional()) {
                    return new Decision(Outcome.EXPLICIT_DENY, action, resource, Optional.of(s), ignored);
                }
            } else if (allow == null) {
                allow = s;
            }
        }
        return allow != null
                ? new Decision(Outcome.ALLOWED, action, resource, Optional.of(allow), ignored)
                : new Decision(Outcome.IMPLICIT_DENY, action, resource, Optional.empty(), ignored);
    }

    /** Whether the statement's action and resource elements match the request (its Condition aside). */
    public static boolean applies(PolicyStatement s, String action, String resource) {
        boolean actionListed = s.actions().stream().anyMatch(p -> actionMatches(p, action));
        if (actionListed == s.notAction()) {
            return false;
        }
        boolean resourceListed = s.resources().stream().anyMatch(p -> resourceMatches(p, resource));
        return resourceListed != s.notResource();
    }

    /** IAM action matching: case-insensitive, {@code *} and {@code ?} wildcards. */
    public static boolean actionMatches(String pattern, String action) {
        if (pattern.equals("*")) {
            return true;
        }
        return ACTION_PATTERNS.computeIfAbsent(pattern, p -> glob(p, Pattern.CASE_INSENSITIVE)).matcher(action)
                .matches();
    }

    /** IAM resource matching: case-sensitive, {@code *} and {@code ?} wildcards within ARN segments. */
    public static boolean resourceMatches(String pattern, String resource) {
        if (pattern.equals("*")) {
            return true;
        }
        String[] p = pattern.split(":", 6);
        String[] r = resource.split(":", 6);
        if (p.length < 6) {
            // fewer segments: only a trailing * may stand for the rest (IAM lets it cross colons)
            if (!pattern.endsWith("*")) {
                return pattern.equals(resource);
            }
            return compiled(pattern).matcher(resource).matches();
        }
        if (r.length < 6) {
            return false;
        }
        for (int i = 0; i < 6; i++) {
            if (!compiled(p[i]).matcher(r[i]).matches()) {
                return false;
            }
        }
        return true;
    }

    private static Pattern compiled(String pattern) {
        return RESOURCE_PATTERNS.computeIfAbsent(pattern, p -> glob(p, 0));
    }

    private static Pattern glob(String pattern, int flags) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), flags | Pattern.DOTALL);
    }
}
