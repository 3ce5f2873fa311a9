package com.edgeinventory.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.edgeinventory.local.template.ResolveOptions;
import com.edgeinventory.local.template.TemplateResolver;

/** The whole check on the real template's edge functions, each with its own access key. */
class IamCheckTest {

    private static final Path TEMPLATE = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir")));
    private static final Map<String, FunctionPolicy> EDGE = RolePolicies.of(TemplateResolver.resolve(TEMPLATE,
            ResolveOptions.defaults()));
    private static final IamCheck CHECK = new IamCheck(Map.of(
            "AKIDSTOCK", EDGE.get("StockFunction"),
            "AKIDTX", EDGE.get("TransactionFunction"),
            "AKIDUPLOAD", EDGE.get("ProductUploadFunction")), new AwsRequestActions());

    private static AwsHttpRequest request(String key, String service, String method, String path, String target,
            String body) {
        return new AwsHttpRequest(method, path, "", Map.of("Authorization", List.of("AWS4-HMAC-SHA256 Credential="
                + key + "/20261203/eu-west-1/" + service + "/aws4_request, SignedHeaders=host, Signature=0"),
                "X-Amz-Target", List.of(target)), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void allowedDeniedAndPassedThrough() {
        IamCheck.Verdict get = CHECK.check(request("AKIDSTOCK", "dynamodb", "POST", "/",
                "DynamoDB_20120810.GetItem", "{\"TableName\":\"edge-inventory-dev-inventory\"}"), "r1");
        assertThat(get.action()).isEqualTo(IamCheck.Action.ALLOW);

        IamCheck.Verdict put = CHECK.check(request("AKIDSTOCK", "dynamodb", "POST", "/",
                "DynamoDB_20120810.PutItem", "{\"TableName\":\"edge-inventory-dev-inventory\"}"), "r2");
        assertThat(put.action()).isEqualTo(IamCheck.Action.DENY);
        assertThat(put.response().orElseThrow().status()).isEqualTo(400);
        assertThat(put.reason()).isEqualTo("StockFunction: User: arn:aws:sts::123456789012:assumed-role/"
                + "edge-inventory-StockFunctionRole/edge-inventory-dev-stock is not authorized to perform: "
                + "dynamodb:PutItem on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/"
                + "edge-inventory-dev-inventory because no identity-based policy allows the dynamodb:PutItem action");

        // a transaction denied on its second item
        IamCheck.Verdict tx = CHECK.check(request("AKIDTX", "dynamodb", "POST", "/",
                "DynamoDB_20120810.TransactWriteItems", "{\"TransactItems\":["
                        + "{\"Update\":{\"TableName\":\"edge-inventory-dev-inventory\"}},"
                        + "{\"Put\":{\"TableName\":\"edge-inventory-dev-devices\"}}]}"), "r3");
        assertThat(tx.action()).isEqualTo(IamCheck.Action.DENY);
        assertThat(tx.decisions()).extracting(PolicyEvaluator.Decision::allowed).containsExactly(true, false);
        assertThat(tx.reason()).contains("dynamodb:PutItem on resource: arn:aws:dynamodb:eu-west-1:123456789012:"
                + "table/edge-inventory-dev-devices");

        IamCheck.Verdict head = CHECK.check(request("AKIDUPLOAD", "s3", "HEAD",
                "/edge-inventory-dev-uploads-123456789012-eu-west-1/stock/a.csv", "", ""), "r4");
        assertThat(head.action()).isEqualTo(IamCheck.Action.DENY);
        assertThat(head.response().orElseThrow().status()).isEqualTo(403);
        assertThat(head.response().orElseThrow().body()).isEmpty();

        IamCheck.Verdict stranger = CHECK.check(request("AKIDPROVISION", "dynamodb", "POST", "/",
                "DynamoDB_20120810.CreateTable", "{\"TableName\":\"x\"}"), "r5");
        assertThat(stranger.action()).isEqualTo(IamCheck.Action.PASS_THROUGH);
        assertThat(stranger.reason()).contains("AKIDPROVISION is not a function's");

        IamCheck.Verdict sts = CHECK.check(request("AKIDSTOCK", "sts", "POST", "/", "", ""), "r6");
        assertThat(sts.action()).isEqualTo(IamCheck.Action.PASS_THROUGH);
        assertThat(sts.reason()).contains("StockFunction: NOT_EVALUATED: service sts is not evaluated");
    }

    @Test
    void anImplicitDenialOfAFunctionWithUnknownPoliciesIsPassedThrough() {
        FunctionPolicy stock = EDGE.get("StockFunction");
        FunctionPolicy partlyKnown = new FunctionPolicy(stock.functionLogicalId(), stock.functionName(),
                stock.roleName(), stock.principalArn(), stock.statements(), stock.managedPolicyArns(),
                List.of("managed policy arn:aws:iam::123456789012:policy/custom is not known"));
        IamCheck check = new IamCheck(Map.of("AKIDSTOCK", partlyKnown), new AwsRequestActions());

        IamCheck.Verdict put = check.check(request("AKIDSTOCK", "dynamodb", "POST", "/",
                "DynamoDB_20120810.PutItem", "{\"TableName\":\"edge-inventory-dev-inventory\"}"), "r");
        assertThat(put.action()).isEqualTo(IamCheck.Action.PASS_THROUGH);
        assertThat(put.reason()).contains("not authorized to perform: dynamodb:PutItem").contains("policy/custom");
    }
}
