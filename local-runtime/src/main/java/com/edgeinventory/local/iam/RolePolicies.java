package com.edgeinventory.local.iam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.edgeinventory.local.template.EventSource;
import com.edgeinventory.local.template.FunctionDef;
import com.edgeinventory.local.template.ResolvedTemplate;

/**
 * Each function's identity-based policy, read from the resolved template the way SAM builds the function's role:
 * <ul>
 *   <li>{@code Policies}: inline documents ({@code - Statement: [...]}), SAM policy templates
 *       ({@link SamPolicyTemplates}; an unsupported one fails with its name) and managed policies by name or ARN
 *       ({@link ManagedPolicies}; an unknown one is listed in {@link FunctionPolicy#notEvaluable()});</li>
 *   <li>what SAM adds by itself: {@code AWSLambdaBasicExecutionRole}, {@code AWSXrayWriteOnlyAccess} when
 *       {@code Tracing} is set and not {@code Disabled}, {@code AWSLambdaVPCAccessExecutionRole} with a
 *       {@code VpcConfig}, the execution policy of each DynamoDB / Kinesis / SQS event source, the
 *       {@code sqs:SendMessage} / {@code sns:Publish} / {@code s3:PutObject} statement of an event source's
 *       {@code DestinationConfig.OnFailure}, the statements of {@code EventInvokeConfig} destinations (SQS, SNS,
 *       Lambda, EventBridge, S3Bucket) and of a {@code DeadLetterQueue}.</li>
 * </ul>
 * A function with its own {@code Role} gets no statements from SAM; it is reported as not evaluable.
 */
public final class RolePolicies {

    private RolePolicies() {
    }

    /** Every function's policy, by logical id, in template order. */
    public static Map<String, FunctionPolicy> of(ResolvedTemplate template) {
        Map<String, FunctionPolicy> out = new LinkedHashMap<>();
        for (FunctionDef f : template.functions()) {
            out.put(f.logicalId(), of(template, f));
        }
        return out;
    }

    /** The policy of one function of {@code template}. */
    public static FunctionPolicy of(ResolvedTemplate template, FunctionDef function) {
        String id = function.logicalId();
        Map<String, Object> props = template.resource(id).properties();
        String region = template.region();
        String partition = partition(region);
        String account = template.accountId();
        String roleName = roleName(template.stackName(), id);
        String principal = "arn:" + partition + ":sts::" + account + ":assumed-role/" + roleName + "/"
                + function.functionName();

        List<PolicyStatement> statements = new ArrayList<>();
        List<String> managed = new ArrayList<>();
        List<String> notEvaluable = new ArrayList<>();
        if (props.get("Role") != null) {
            notEvaluable.add(id + " has its own Role " + props.get("Role")
                    + ": SAM creates no role for it and its policies are not read");
            return new FunctionPolicy(id, function.functionName(), roleName, principal, statements, managed,
                    notEvaluable);
        }

        if (props.get("DurableConfig") != null) {
            managed.add(ManagedPolicies.arn(partition, "service-role/AWSLambdaBasicDurableExecutionRolePolicy"));
        } else {
            managed.add(ManagedPolicies.arn(partition, "service-role/AWSLambdaBasicExecutionRole"));
        }
        Object tracing = props.get("Tracing");
        if (tracing != null && !"Disabled".equals(tracing)) {
            managed.add(ManagedPolicies.arn(partition, "AWSXrayWriteOnlyAccess"));
        }
        if (props.get("VpcConfig") != null) {
            managed.add(ManagedPolicies.arn(partition, "service-role/AWSLambdaVPCAccessExecutionRole"));
        }

        // Policies
        Object policies = props.get("Policies");
        List<?> list = policies == null ? List.of() : policies instanceof List<?> l ? l : List.of(policies);
        for (int i = 0; i < list.size(); i++) {
            String where = id + ".Policies[" + i + "]";
            Object policy = list.get(i);
            if (policy instanceof String name) {
                managed.add(name.startsWith("arn:") ? name : ManagedPolicies.statements(name).isPresent()
                        ? knownArn(partition, name) : name);
            } else if (policy instanceof Map<?, ?> m && m.containsKey("Statement")) {
                statements.addAll(PolicyStatement.parseDocument(m, where));
            } else if (policy instanceof Map<?, ?> m && m.size() == 1) {
                Map.Entry<?, ?> e = m.entrySet().iterator().next();
                statements.addAll(SamPolicyTemplates.expand(e.getKey().toString(), e.getValue(), partition, region,
                        account, where));
            } else {
                throw new IamPolicyException(where + ": not a managed policy, a policy document or a policy "
                        + "template: " + policy);
            }
        }

        // DeadLetterQueue
        if (props.get("DeadLetterQueue") instanceof Map<?, ?> dlq) {
            Object type = dlq.get("Type");
            String target = String.valueOf(dlq.get("TargetArn"));
            if ("SQS".equals(type)) {
                statements.add(PolicyStatement.allow(id + ".DeadLetterQueue", List.of("sqs:SendMessage"),
                        List.of(target)));
            } else if ("SNS".equals(type)) {
                statements.add(PolicyStatement.allow(id + ".DeadLetterQueue", List.of("sns:Publish"),
                        List.of(target)));
            }
        }

        // EventInvokeConfig destinations
        if (function.eventInvokeConfig().get("DestinationConfig") instanceof Map<?, ?> destinations) {
            for (String on : List.of("OnSuccess", "OnFailure")) {
                if (destinations.get(on) instanceof Map<?, ?> dest) {
                    statements.addAll(eventInvokeDestination(dest, id + ".EventInvokeConfig." + on));
                }
            }
        }

        // event sources
        for (EventSource event : function.events()) {
            if (!(event instanceof EventSource.Generic g)) {
                continue;
            }
            String policyPath = switch (g.type()) {
                case "DynamoDB" -> "service-role/AWSLambdaDynamoDBExecutionRole";
                case "Kinesis" -> "service-role/AWSLambdaKinesisExecutionRole";
                case "SQS" -> "service-role/AWSLambdaSQSQueueExecutionRole";
                case "MSK" -> "service-role/AWSLambdaMSKExecutionRole";
                default -> null;
            };
            if (policyPath != null) {
                String arn = ManagedPolicies.arn(partition, policyPath);
                if (!managed.contains(arn)) {
                    managed.add(arn);
                }
                if (g.type().equals("MSK")) {
                    notEvaluable.add(id + ".Events." + g.name() + ": SAM adds statements for MSK event sources "
                            + "that this check does not model");
                }
            }
            if (g.properties().get("DestinationConfig") instanceof Map<?, ?> dc
                    && dc.get("OnFailure") instanceof Map<?, ?> onFailure) {
                String where = id + ".Events." + g.name() + ".DestinationConfig.OnFailure";
                String dest = String.valueOf(onFailure.get("Destination"));
                Object type = onFailure.get("Type");
                if ("SQS".equals(type)) {
                    statements.add(PolicyStatement.allow(where, List.of("sqs:SendMessage"), List.of(dest)));
                } else if ("SNS".equals(type)) {
                    statements.add(PolicyStatement.allow(where, List.of("sns:publish"), List.of(dest)));
                } else if ("S3".equals(type)) {
                    statements.add(PolicyStatement.allow(where, List.of("s3:PutObject"), List.of(dest + "/*")));
                    statements.add(PolicyStatement.allow(where, List.of("s3:ListBucket"), List.of(dest)));
                }
            }
        }

        List<PolicyStatement> all = new ArrayList<>();
        for (String arn : managed) {
            ManagedPolicies.statements(arn).ifPresentOrElse(all::addAll, () -> notEvaluable.add(
                    "managed policy " + arn + " is not known to the local IAM check; what it allows is not evaluated"));
        }
        all.addAll(statements);
        return new FunctionPolicy(id, function.functionName(), roleName, principal, all, managed, notEvaluable);
    }

    private static List<PolicyStatement> eventInvokeDestination(Map<?, ?> dest, String where) {
        Object type = dest.get("Type");
        String arn = String.valueOf(dest.get("Destination"));
        if (type == null) {
            return List.of();
        }
        return switch (type.toString()) {
            case "SQS" -> List.of(PolicyStatement.allow(where, List.of("sqs:SendMessage"), List.of(arn)));
            case "SNS" -> List.of(PolicyStatement.allow(where, List.of("sns:publish"), List.of(arn)));
            case "EventBridge" -> List.of(PolicyStatement.allow(where, List.of("events:PutEvents"), List.of(arn)));
            case "Lambda" -> List.of(PolicyStatement.allow(where, List.of("lambda:InvokeFunction"), List.of(arn)));
            case "S3Bucket" -> List.of(PolicyStatement.allow(where, List.of("s3:PutObject"), List.of(arn + "/*")),
                    PolicyStatement.allow(where, List.of("s3:ListBucket"), List.of(arn)));
            default -> List.of();
        };
    }

    private static String knownArn(String partition, String name) {
        for (String prefix : List.of("service-role/", "")) {
            String arn = ManagedPolicies.arn(partition, prefix + name);
            if (ManagedPolicies.statements(arn).isPresent()) {
                return arn;
            }
        }
        return name;
    }

    /** The role's name, {@code {stack}-{LogicalId}Role}, cut to IAM's 64 characters. */
    static String roleName(String stackName, String functionLogicalId) {
        String name = stackName + "-" + functionLogicalId + "Role";
        return name.length() <= 64 ? name : name.substring(0, 64);
    }

    /** The partition of a region: {@code aws}, {@code aws-cn} or {@code aws-us-gov}. */
    public static String partition(String region) {
        return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }

}
