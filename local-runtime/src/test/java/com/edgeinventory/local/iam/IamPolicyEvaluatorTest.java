package com.edgeinventory.local.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.edgeinventory.local.iam.PolicyEvaluator.Outcome;

class IamPolicyEvaluatorTest {

    private static final String TABLE = "arn:aws:dynamodb:eu-west-1:123456789012:table/edge-inventory-dev-inventory";

    private static PolicyStatement statement(Map<String, Object> s) {
        return PolicyStatement.parse(s, "test");
    }

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
            "dynamodb:GetItem, dynamodb:GetItem, true",
            "dynamodb:getitem, dynamodb:GetItem, true",
            "DYNAMODB:GETITEM, dynamodb:GetItem, true",
            "dynamodb:Get*, dynamodb:GetItem, true",
            "dynamodb:Get*, dynamodb:GetRecords, true",
            "dynamodb:Get*, dynamodb:BatchGetItem, false",
            "dynamodb:*Item, dynamodb:PutItem, true",
            "dynamodb:?etItem, dynamodb:GetItem, true",
            "dynamodb:?etItem, dynamodb:GGetItem, false",
            "dynamodb:GetItem, dynamodb:GetItems, false",
            "dynamodb:*, dynamodb:Query, true",
            "dynamodb:*, kinesis:PutRecords, false",
            "*, s3:GetObject, true",
            "sqs:SendMessage*, sqs:SendMessage, true",
            "s3:Get.*, s3:GetObject, false",
    })
    void actionMatchingIsCaseInsensitiveWithWildcards(String pattern, String action, boolean matches) {
        assertThat(PolicyEvaluator.actionMatches(pattern, action)).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
            "arn:aws:dynamodb:eu-west-1:123456789012:table/T, arn:aws:dynamodb:eu-west-1:123456789012:table/T, true",
            "arn:aws:dynamodb:eu-west-1:123456789012:table/T, arn:aws:dynamodb:eu-west-1:123456789012:table/t, false",
            "arn:aws:dynamodb:eu-west-1:123456789012:table/T, arn:aws:dynamodb:eu-west-1:123456789012:table/T/index/I, false",
            "arn:aws:dynamodb:eu-west-1:123456789012:table/T*, arn:aws:dynamodb:eu-west-1:123456789012:table/T/index/I, true",
            "arn:aws:dynamodb:eu-west-1:123456789012:table/T/index/*, arn:aws:dynamodb:eu-west-1:123456789012:table/T/index/I, true",
            "arn:aws:dynamodb:*:123456789012:table/T, arn:aws:dynamodb:us-east-2:123456789012:table/T, true",
            "arn:aws:dynamodb:*:123456789012:table/T, arn:aws:dynamodb:us-east-2:999999999999:table/T, false",
            "arn:aws:dynamodb:eu-west-?:123456789012:table/T, arn:aws:dynamodb:eu-west-2:123456789012:table/T, true",
            "arn:aws:dynamodb:eu-west-?:123456789012:table/T, arn:aws:dynamodb:eu-west-12:123456789012:table/T, false",
            "arn:aws:s3:::bucket/products/*, arn:aws:s3:::bucket/products/a/b.json, true",
            "arn:aws:s3:::bucket/products/*, arn:aws:s3:::bucket/Products/a.json, false",
            "arn:aws:s3:::bucket/products/*, arn:aws:s3:::bucket, false",
            "arn:aws:s3:::bucket/*, arn:aws:s3:::bucket/k:with:colons, true",
            "arn:aws:s3:::bucket*, arn:aws:s3:::bucket/k, true",
            "arn:aws:s3:*, arn:aws:s3:::bucket/k, true",
            "arn:aws:s3, arn:aws:s3:::bucket/k, false",
            "*, arn:aws:sqs:eu-west-1:123456789012:q, true",
            "arn:aws:sqs:eu-west-1:123456789012:q, arn:aws:sqs:eu-west-1:123456789012:q, true",
            "arn:aws:sqs:eu-west-1:123456789012:q.*, arn:aws:sqs:eu-west-1:123456789012:qq, false",
            "arn:aws:sqs:eu-west-1:123456789012:q, arn:aws:sqs:eu-west-1:123456789012:q2, false",
    })
    void resourceMatchingIsCaseSensitiveAndBySegment(String pattern, String resource, boolean matches) {
        assertThat(PolicyEvaluator.resourceMatches(pattern, resource)).isEqualTo(matches);
    }

    @Test
    void noStatementMeansImplicitDeny() {
        PolicyEvaluator.Decision d = PolicyEvaluator.evaluate(List.of(), "dynamodb:GetItem", TABLE);
        assertThat(d.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(d.allowed()).isFalse();
        assertThat(d.statement()).isEmpty();
        assertThat(d.reason()).isEqualTo("no identity-based policy allows dynamodb:GetItem on " + TABLE);
    }

    @Test
    void allowThenExplicitDenyWinsWhateverTheOrder() {
        PolicyStatement allow = statement(Map.of("Sid", "All", "Effect", "Allow", "Action", "dynamodb:*",
                "Resource", "*"));
        PolicyStatement deny = statement(Map.of("Sid", "NoDeletes", "Effect", "Deny", "Action",
                List.of("dynamodb:DeleteItem"), "Resource", TABLE));

        assertThat(PolicyEvaluator.evaluate(List.of(allow), "dynamodb:DeleteItem", TABLE).allowed()).isTrue();
        for (List<PolicyStatement> order : List.of(List.of(allow, deny), List.of(deny, allow))) {
            PolicyEvaluator.Decision d = PolicyEvaluator.evaluate(order, "dynamodb:DeleteItem", TABLE);
            assertThat(d.outcome()).isEqualTo(Outcome.EXPLICIT_DENY);
            assertThat(d.statement()).contains(deny);
            assertThat(d.reason()).contains("explicitly denied by NoDeletes");
            assertThat(PolicyEvaluator.evaluate(order, "dynamodb:PutItem", TABLE).allowed()).isTrue();
        }
    }

    @Test
    void notActionAndNotResource() {
        PolicyStatement allButDeletes = statement(Map.of("Effect", "Allow", "NotAction",
                List.of("dynamodb:Delete*", "s3:*"), "Resource", "*"));
        assertThat(PolicyEvaluator.evaluate(List.of(allButDeletes), "dynamodb:PutItem", TABLE).allowed()).isTrue();
        assertThat(PolicyEvaluator.evaluate(List.of(allButDeletes), "dynamodb:DeleteItem", TABLE).allowed()).isFalse();
        assertThat(PolicyEvaluator.evaluate(List.of(allButDeletes), "s3:GetObject", "arn:aws:s3:::b/k").allowed())
                .isFalse();

        PolicyStatement denyOutsideTable = statement(Map.of("Sid", "OnlyThisTable", "Effect", "Deny",
                "Action", "dynamodb:*", "NotResource", List.of(TABLE, TABLE + "/index/*")));
        PolicyStatement allowAll = statement(Map.of("Effect", "Allow", "Action", "*", "Resource", "*"));
        List<PolicyStatement> both = List.of(allowAll, denyOutsideTable);
        assertThat(PolicyEvaluator.evaluate(both, "dynamodb:Query", TABLE + "/index/byStyle").allowed()).isTrue();
        assertThat(PolicyEvaluator.evaluate(both, "dynamodb:Query", TABLE.replace("inventory", "devices")).outcome())
                .isEqualTo(Outcome.EXPLICIT_DENY);
        assertThat(PolicyEvaluator.evaluate(both, "s3:GetObject", "arn:aws:s3:::b/k").allowed()).isTrue();
    }

    @Test
    void conditionalAllowAllowsAndConditionalDenyDoesNotApply() {
        PolicyStatement conditionalAllow = statement(Map.of("Sid", "IfTagged", "Effect", "Allow",
                "Action", "dynamodb:GetItem", "Resource", TABLE,
                "Condition", Map.of("StringEquals", Map.of("aws:ResourceTag/team", "edge"))));
        PolicyStatement conditionalDeny = statement(Map.of("Sid", "TlsOnly", "Effect", "Deny", "Action", "*",
                "Resource", "*", "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))));

        PolicyEvaluator.Decision d = PolicyEvaluator.evaluate(List.of(conditionalAllow, conditionalDeny),
                "dynamodb:GetItem", TABLE);
        assertThat(d.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(d.reason()).contains("IfTagged").contains("Condition was not evaluated");
        assertThat(d.ignoredConditional()).containsExactly(conditionalAllow, conditionalDeny);

        PolicyEvaluator.Decision put = PolicyEvaluator.evaluate(List.of(conditionalAllow, conditionalDeny),
                "dynamodb:PutItem", TABLE);
        assertThat(put.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(put.ignoredConditional()).containsExactly(conditionalDeny);
    }

    @Test
    void statementShapes() {
        assertThat(PolicyStatement.parseDocument(Map.of("Statement", Map.of("Effect", "Allow", "Action", "s3:*",
                "Resource", "*")), "doc")).hasSize(1);
        assertThatThrownBy(() -> statement(Map.of("Effect", "Permit", "Action", "s3:*", "Resource", "*")))
                .isInstanceOf(IamPolicyException.class).hasMessageContaining("Effect must be Allow or Deny");
        assertThatThrownBy(() -> statement(Map.of("Effect", "Allow", "Action", "s3:*", "NotAction", "s3:Get*",
                "Resource", "*"))).hasMessageContaining("exactly one of Action and NotAction");
        assertThatThrownBy(() -> statement(Map.of("Effect", "Allow", "Action", "s3:*")))
                .hasMessageContaining("exactly one of Resource and NotResource");
        assertThatThrownBy(() -> statement(Map.of("Effect", "Allow", "Action", Map.of("Fn::Sub", "x"),
                "Resource", "*"))).hasMessageContaining("intrinsics resolved");
        assertThatThrownBy(() -> PolicyStatement.parseDocument(Map.of("Version", "2012-10-17"), "doc"))
                .hasMessageContaining("needs a Statement");
    }
}
