package com.edgeinventory.local.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.edgeinventory.local.moto.MotoServer;
import com.edgeinventory.local.template.FunctionDef;

/**
 * What Lambda gives a SnapStart function: no access-key variables, a container-credentials endpoint and its
 * token. A client built with {@code EnvironmentVariableCredentialsProvider} (what every function did) cannot call
 * DynamoDB there; one on the SDK's default chain can, and authenticates as the function's own identity. An
 * on-demand function gets its own keys in the variables.
 */
class LambdaCredentialsIT {

    private static MotoServer moto;
    private static FunctionIdentities identities;

    @BeforeAll
    static void start() {
        moto = MotoServer.start();
        identities = new FunctionIdentities();
    }

    @AfterAll
    static void stop() {
        identities.close();
        moto.close();
    }

    private static FunctionDef function(String logicalId, boolean snapStart) {
        return new FunctionDef(logicalId, "edge-it-" + logicalId, "a.B::handle", "java25", Path.of("x.jar"), 512, 10,
                Map.of(), List.of(), Map.of(), "/aws/lambda/edge-it-" + logicalId, FunctionDef.Logging.TEXT,
                "arn:aws:lambda:eu-west-1:123456789012:function:edge-it-" + logicalId, snapStart);
    }

    /** Runs {@link CredentialsProbe} with the environment RuntimeProcess gives the function. */
    private static String probe(FunctionDef function, String provider) throws Exception {
        InvokeRequest request = new InvokeRequest(function, "{}", Map.of(), "eu-west-1",
                Optional.of(moto.endpoint()), identities.credentials("eu-west-1", function));
        Map<String, String> parent = new HashMap<>(System.getenv());
        parent.put("AWS_ACCESS_KEY_ID", "leaked-from-the-parent");
        Map<String, String> env = RuntimeProcess.environment(request, "127.0.0.1:1", Path.of("."), parent);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CredentialsProbe.class.getName(), provider,
                moto.endpoint().toString()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.environment().put("HOME", Path.of(System.getProperty("java.io.tmpdir")).toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.lines().filter(l -> l.startsWith("OK ") || l.startsWith("FAILED ")).findFirst().orElse(out);
    }

    @Test
    void aSnapStartFunctionGetsContainerCredentialsAndNoKeyVariables() {
        FunctionDef function = function("SnapFunction", true);
        InvokeRequest request = new InvokeRequest(function, "{}", Map.of(), "eu-west-1", Optional.empty(),
                identities.credentials("eu-west-1", function));

        Map<String, String> env = RuntimeProcess.environment(request, "127.0.0.1:1", Path.of("."),
                Map.of("AWS_ACCESS_KEY_ID", "parent", "AWS_SECRET_ACCESS_KEY", "parent"));

        assertThat(env).doesNotContainKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
                .containsKeys("AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN");
        assertThat(URI.create(env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")).getHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void environmentVariableCredentialsFailUnderSnapStartAndTheDefaultChainWorks() throws Exception {
        FunctionDef function = function("SnapFunction", true);

        assertThat(probe(function, "environment-variables")).startsWith("FAILED ")
                .contains("Unable to load credentials");
        assertThat(probe(function, "default-chain"))
                .isEqualTo("OK " + identities.identity("eu-west-1", function).keys().accessKeyId());
    }

    @Test
    void anOnDemandFunctionGetsItsOwnKeysInTheVariables() throws Exception {
        FunctionDef function = function("PlainFunction", false);
        String keyId = identities.identity("eu-west-1", function).keys().accessKeyId();

        assertThat(probe(function, "environment-variables")).isEqualTo("OK " + keyId);
        assertThat(probe(function, "default-chain")).isEqualTo("OK " + keyId);
    }

    @Test
    void eachFunctionAndRegionHasItsOwnIdentity() {
        FunctionDef a = function("A", false);
        FunctionDef b = function("B", true);

        List<String> keys = List.of(identities.identity("eu-west-1", a).keys().accessKeyId(),
                identities.identity("eu-west-1", b).keys().accessKeyId(),
                identities.identity("us-east-1", a).keys().accessKeyId());

        assertThat(keys).doesNotHaveDuplicates().allMatch(k -> k.matches("ASIA[A-Z2-7]{16}"));
        assertThat(identities.byAccessKeyId(keys.get(1))).get()
                .satisfies(i -> assertThat(i.function().logicalId()).isEqualTo("B"))
                .satisfies(i -> assertThat(i.principalArn())
                        .isEqualTo("arn:aws:sts::123456789012:assumed-role/edge-it-B-role/edge-it-B"));
        assertThat(identities.byAccessKeyId("AKIAUNKNOWN")).isEmpty();
    }

    @Test
    void theEndpointAnswersOnlyTheFunctionsToken() throws Exception {
        FunctionDef function = function("SnapFunction", true);
        LambdaCredentials.ContainerEndpoint container =
                (LambdaCredentials.ContainerEndpoint) identities.credentials("eu-west-1", function);
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(container.fullUri())
                    .header("Authorization", container.authorizationToken()).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(container.fullUri())
                    .header("Authorization", "not-the-token").build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> none = http.send(HttpRequest.newBuilder(container.fullUri()).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("\"AccessKeyId\":\""
                    + identities.identity("eu-west-1", function).keys().accessKeyId() + "\"")
                    .contains("\"Expiration\":\"");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(none.statusCode()).isEqualTo(401);
        }
    }
}
