package com.edgeinventory.local.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole check for one request, for the proxy in front of moto: who calls (the access key id of the SigV4
 * scope, mapped to the function's role), what IAM would authorize ({@link AwsRequestActions}), the decision of
 * every check ({@link PolicyEvaluator}) and, for a denial, AWS's error response ({@link AccessDenied}).
 *
 * <p>It errs towards passing requests through: a request it cannot attribute or read is passed with a reason to
 * log, and an implicit denial of a function whose policies are not all known ({@link FunctionPolicy#notEvaluable()})
 * is passed too, since one of the unknown policies may allow it. Pure: no I/O.
 */
public final class IamCheck {

    /** What to do with the request. */
    public enum Action {
        /** Every check is allowed: forward the request. */
        ALLOW,
        /** A check is denied: answer {@link Verdict#response()} instead of forwarding. */
        DENY,
        /** Not evaluated (unknown caller, service or operation, unreadable request): forward it and log why. */
        PASS_THROUGH
    }

    /**
     * The outcome for one request.
     *
     * @param action    allow, deny or pass through
     * @param request   what the request asks IAM for
     * @param function  the calling function's policy, when the access key is one of theirs
     * @param decisions the decision of every check, in request order (empty unless evaluated)
     * @param response  the error to answer, for {@link Action#DENY}
     * @param reason    one line for the log: the denial's message, or why the request was passed through
     */
    public record Verdict(
            Action action,
            RequestActions request,
            Optional<FunctionPolicy> function,
            List<PolicyEvaluator.Decision> decisions,
            Optional<AccessDenied.Response> response,
            String reason) {

        public Verdict {
            Objects.requireNonNull(action, "action");
            decisions = List.copyOf(decisions);
        }
    }

    private final Map<String, FunctionPolicy> byAccessKeyId;
    private final AwsRequestActions classifier;

    /**
     * @param byAccessKeyId each function's policy under the access key id the local stack gives that function
     * @param classifier    the request classifier (for the local account, {@code new AwsRequestActions()})
     */
    public IamCheck(Map<String, FunctionPolicy> byAccessKeyId, AwsRequestActions classifier) {
        this.byAccessKeyId = Map.copyOf(byAccessKeyId);
        this.classifier = Objects.requireNonNull(classifier, "classifier");
    }

    /** Checks {@code request}; {@code requestId} goes into a denial's response. */
    public Verdict check(AwsHttpRequest request, String requestId) {
        return check(request, classifier.classify(request), requestId);
    }

    /** Checks {@code request}, already classified as {@code actions} (the caller read it to know who calls). */
    public Verdict check(AwsHttpRequest request, RequestActions actions, String requestId) {
        FunctionPolicy function = byAccessKeyId.get(actions.accessKeyId());
        if (function == null) {
            return pass(actions, null, List.of(), actions.accessKeyId().isEmpty() ? actions.reason()
                    : "access key " + actions.accessKeyId() + " is not a function's; not evaluated");
        }
        if (!actions.evaluated()) {
            return pass(actions, function, List.of(), function.functionLogicalId() + ": " + actions.status()
                    + ": " + actions.reason());
        }
        List<PolicyEvaluator.Decision> decisions = new ArrayList<>();
        for (ActionCheck c : actions.checks()) {
            decisions.add(function.evaluate(c.action(), c.resource()));
        }
        PolicyEvaluator.Decision denied = decisions.stream().filter(d -> !d.allowed())
                .filter(d -> d.outcome() == PolicyEvaluator.Outcome.EXPLICIT_DENY).findFirst()
                .or(() -> decisions.stream().filter(d -> !d.allowed()).findFirst())
                .orElse(null);
        if (denied == null) {
            return new Verdict(Action.ALLOW, actions, Optional.of(function), decisions, Optional.empty(),
                    function.functionLogicalId() + " " + actions.operation() + ": allowed");
        }
        AccessDenied.Protocol protocol = actions.protocol().orElseThrow();
        String message = AccessDenied.message(protocol, function.principalArn(),
                new ActionCheck(denied.action(), denied.resource()),
                denied.outcome() == PolicyEvaluator.Outcome.EXPLICIT_DENY);
        if (denied.outcome() == PolicyEvaluator.Outcome.IMPLICIT_DENY && !function.fullyEvaluable()) {
            return pass(actions, function, decisions, function.functionLogicalId() + ": " + message
                    + "; passed through, since what these allow is not known: "
                    + String.join("; ", function.notEvaluable()));
        }
        AccessDenied.Response response = AccessDenied.response(protocol, function.principalArn(), denied, requestId);
        if (request.method().equalsIgnoreCase("HEAD")) {
            response = response.withoutBody();
        }
        return new Verdict(Action.DENY, actions, Optional.of(function), decisions, Optional.of(response),
                function.functionLogicalId() + ": " + message);
    }

    private static Verdict pass(RequestActions actions, FunctionPolicy function,
            List<PolicyEvaluator.Decision> decisions, String reason) {
        return new Verdict(Action.PASS_THROUGH, actions, Optional.ofNullable(function), decisions, Optional.empty(),
                reason);
    }
}
