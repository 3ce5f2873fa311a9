package com.edgeinventory.local.iam;

import java.util.List;
import java.util.Objects;

/**
 * A function's execution role as SAM would create it, and the identity-based policy it carries.
 *
 * @param functionLogicalId the function's key under {@code Resources}
 * @param functionName      its physical name (the role session name Lambda uses)
 * @param roleName          the role's name: {@code {stack}-{LogicalId}Role}, as CloudFormation names it but
 *                          without CloudFormation's random suffix
 * @param principalArn      the assumed-role ARN AWS names in its errors:
 *                          {@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/FUNCTION}
 * @param statements        every statement of the role's policies (inline, policy templates, SAM-added policies,
 *                          known managed policies)
 * @param managedPolicyArns the managed policy ARNs the role would have, in SAM's order
 * @param notEvaluable      what could not be turned into statements (a managed policy this check does not know, a
 *                          role given with {@code Role}); when not empty a denial may be wrong
 */
public record FunctionPolicy(
        String functionLogicalId,
        String functionName,
        String roleName,
        String principalArn,
        List<PolicyStatement> statements,
        List<String> managedPolicyArns,
        List<String> notEvaluable) {

    public FunctionPolicy {
        Objects.requireNonNull(functionLogicalId, "functionLogicalId");
        statements = List.copyOf(statements);
        managedPolicyArns = List.copyOf(managedPolicyArns);
        notEvaluable = List.copyOf(notEvaluable);
    }

    /** Whether every policy of the role is known, so that a denial is certain (conditions aside). */
    public boolean fullyEvaluable() {
        return notEvaluable.isEmpty();
    }

    /**
     * This role with {@code action} taken out of every Allow that names it (a statement left with no action is
     * dropped): what the template would give the function if that action were removed from its policy.
     */
    public FunctionPolicy withoutAction(String action) {
        List<PolicyStatement> kept = new java.util.ArrayList<>();
        for (PolicyStatement s : statements) {
            if (s.effect() != PolicyStatement.Effect.ALLOW || s.notAction()) {
                kept.add(s);
                continue;
            }
            List<String> actions = s.actions().stream().filter(a -> !a.equalsIgnoreCase(action)).toList();
            if (!actions.isEmpty()) {
                kept.add(new PolicyStatement(s.source(), s.sid(), s.effect(), actions, false, s.resources(),
                        s.notResource(), s.conditional()));
            }
        }
        return new FunctionPolicy(functionLogicalId, functionName, roleName, principalArn, kept, managedPolicyArns,
                notEvaluable);
    }

    /** {@link PolicyEvaluator#evaluate} on this role's statements. */
    public PolicyEvaluator.Decision evaluate(String action, String resource) {
        return PolicyEvaluator.evaluate(statements, action, resource);
    }
}
