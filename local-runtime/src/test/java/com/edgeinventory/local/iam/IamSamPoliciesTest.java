package com.edgeinventory.local.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.edgeinventory.local.template.CfnYaml;
import com.edgeinventory.local.template.ResolveOptions;
import com.edgeinventory.local.template.ResolvedTemplate;
import com.edgeinventory.local.template.TemplateResolver;

/** Policy templates, managed policies and what SAM adds to a role, on small templates. */
class IamSamPoliciesTest {

    private static String table(String region, String name) {
        return "arn:aws:dynamodb:" + region + ":123456789012:table/" + name;
    }


    private static final String HEAD = """
            Parameters:
              Stage: {Type: String, Default: dev}
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  TableName: !Sub "t-${Stage}"
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: q
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: topic
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  FunctionName: fn
                  Handler: a.B::handle
                  Runtime: java25
                  CodeUri: x.jar
            """;

    private FunctionPolicy policy(String properties) {
        ResolvedTemplate t = TemplateResolver.resolve(CfnYaml.parse(HEAD + properties.indent(6), "inline"),
                Path.of("/repo/template.yaml"), ResolveOptions.defaults());
        return RolePolicies.of(t, t.function("Fn"));
    }

    @Test
    void policyTemplatesExpandAsSamDoes() {
        FunctionPolicy p = policy("""
                Policies:
                  - DynamoDBCrudPolicy: {TableName: !Ref Table}
                  - S3ReadPolicy: {BucketName: reports}
                  - SQSSendMessagePolicy: {QueueName: !GetAtt Queue.QueueName}
                  - KinesisCrudPolicy: {StreamName: s}
                """);
        String t = table("eu-west-1", "t-dev");
        assertThat(p.evaluate("dynamodb:ConditionCheckItem", t).allowed()).isTrue();
        assertThat(p.evaluate("dynamodb:Query", t + "/index/any").allowed()).isTrue();
        assertThat(p.evaluate("dynamodb:Query", table("eu-west-1", "t-prod")).allowed()).isFalse();
        assertThat(p.evaluate("s3:GetObject", "arn:aws:s3:::reports/a/b").allowed()).isTrue();
        assertThat(p.evaluate("s3:ListBucket", "arn:aws:s3:::reports").allowed()).isTrue();
        assertThat(p.evaluate("s3:PutObject", "arn:aws:s3:::reports/a").allowed()).isFalse();
        assertThat(p.evaluate("sqs:SendMessage", "arn:aws:sqs:eu-west-1:123456789012:q").allowed()).isTrue();
        assertThat(p.evaluate("sqs:ReceiveMessage", "arn:aws:sqs:eu-west-1:123456789012:q").allowed()).isFalse();
        assertThat(p.evaluate("kinesis:PutRecords", "arn:aws:kinesis:eu-west-1:123456789012:stream/s").allowed())
                .isTrue();
        assertThat(p.evaluate("kinesis:GetRecords", "arn:aws:kinesis:eu-west-1:123456789012:stream/s").allowed())
                .isFalse();
    }

    @Test
    void unsupportedPolicyTemplateFailsWithItsName() {
        assertThatThrownBy(() -> policy("""
                Policies:
                  - StepFunctionsExecutionPolicy: {StateMachineName: sm}
                """)).isInstanceOf(IamPolicyException.class)
                .hasMessageContaining("Fn.Policies[0]")
                .hasMessageContaining("SAM policy template StepFunctionsExecutionPolicy is not supported")
                .hasMessageContaining("DynamoDBCrudPolicy");
        assertThatThrownBy(() -> policy("""
                Policies:
                  - DynamoDBCrudPolicy: {Table: t}
                """)).hasMessageContaining("needs the parameter TableName");
    }

    @Test
    void managedPoliciesByNameOrArn() {
        FunctionPolicy p = policy("""
                Policies:
                  - AWSLambdaSQSQueueExecutionRole
                  - arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess
                  - arn:aws:iam::123456789012:policy/custom
                """);
        assertThat(p.managedPolicyArns()).contains(
                "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
                "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess", "arn:aws:iam::123456789012:policy/custom");
        assertThat(p.evaluate("sqs:ReceiveMessage", "arn:aws:sqs:eu-west-1:123456789012:q").allowed()).isTrue();
        assertThat(p.fullyEvaluable()).isFalse();
        assertThat(p.notEvaluable()).hasSize(2).allSatisfy(s -> assertThat(s).contains("is not known"));
        assertThat(p.notEvaluable().getFirst()).contains("AmazonDynamoDBFullAccess");
    }

    @Test
    void destinationsAndEventSources() {
        FunctionPolicy p = policy("""
                Tracing: Disabled
                DeadLetterQueue: {Type: SNS, TargetArn: !Ref Topic}
                EventInvokeConfig:
                  DestinationConfig:
                    OnSuccess: {Type: SNS, Destination: !Ref Topic}
                    OnFailure: {Type: Lambda, Destination: arn:aws:lambda:eu-west-1:123456789012:function:f}
                Events:
                  Q:
                    Type: SQS
                    Properties:
                      Queue: !GetAtt Queue.Arn
                """);
        assertThat(p.managedPolicyArns()).containsExactly(
                "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole");
        assertThat(p.evaluate("sns:Publish", "arn:aws:sns:eu-west-1:123456789012:topic").allowed()).isTrue();
        assertThat(p.evaluate("lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:123456789012:function:f")
                .allowed()).isTrue();
        assertThat(p.evaluate("sqs:DeleteMessage", "arn:aws:sqs:eu-west-1:123456789012:q").allowed()).isTrue();
        assertThat(p.evaluate("sqs:SendMessage", "arn:aws:sqs:eu-west-1:123456789012:q").allowed()).isFalse();
        assertThat(p.evaluate("xray:PutTraceSegments", "*").allowed()).isFalse();
    }

    @Test
    void ownRoleIsNotEvaluable() {
        FunctionPolicy p = policy("""
                Role: arn:aws:iam::123456789012:role/shared
                Policies:
                  - DynamoDBCrudPolicy: {TableName: t}
                """);
        assertThat(p.statements()).isEmpty();
        assertThat(p.fullyEvaluable()).isFalse();
        assertThat(p.notEvaluable().getFirst()).contains("has its own Role");
    }
}
