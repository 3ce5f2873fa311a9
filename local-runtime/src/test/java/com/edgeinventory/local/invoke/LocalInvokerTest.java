package com.edgeinventory.local.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.edgeinventory.local.template.FunctionDef;

class LocalInvokerTest {

    private static final FunctionDef FUNCTION = new FunctionDef("Fn", "edge-dev-fn", "a.B::handle", "java25",
            Path.of("/code/fn.jar"), 512, 30, Map.of("TABLE", "t", "AWS_REGION", "template-must-not-win",
            "JAVA_TOOL_OPTIONS", "-Xss1m"), List.of(), Map.of(), "/aws/lambda/edge-dev-fn",
            new FunctionDef.Logging("JSON", "WARN"), "arn:aws:lambda:eu-west-1:123456789012:function:edge-dev-fn");

    @Test
    void environmentIsWhatLambdaSetsPlusTheDeclaredVariables() {
        InvokeRequest request = new InvokeRequest(FUNCTION, "{}", FUNCTION.environment(), "eu-west-1",
                Optional.of(URI.create("http://127.0.0.1:5000")));
        Map<String, String> parent = Map.of("PATH", "/bin", "HOME", "/root", "LANG", "C.UTF-8",
                "AWS_PROFILE", "prod", "SECRET", "x");

        Map<String, String> env = RuntimeProcess.environment(request, "127.0.0.1:9001", Path.of("/task"), parent);

        assertThat(env).containsEntry("PATH", "/bin").containsEntry("HOME", "/root").containsEntry("LANG", "C.UTF-8")
                .doesNotContainKeys("AWS_PROFILE", "SECRET")
                .containsEntry("TABLE", "t")
                .containsEntry("JAVA_TOOL_OPTIONS", "-Xss1m")
                .containsEntry("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001")
                .containsEntry("_HANDLER", "a.B::handle")
                .containsEntry("AWS_LAMBDA_FUNCTION_NAME", "edge-dev-fn")
                .containsEntry("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
                .containsEntry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
                .containsEntry("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/edge-dev-fn")
                .containsEntry("AWS_LAMBDA_LOG_FORMAT", "JSON")
                .containsEntry("AWS_LAMBDA_LOG_LEVEL", "WARN")
                .containsEntry("AWS_REGION", "eu-west-1")
                .containsEntry("AWS_DEFAULT_REGION", "eu-west-1")
                .containsEntry("AWS_ACCESS_KEY_ID", "test")
                .containsEntry("AWS_SECRET_ACCESS_KEY", "test")
                .containsEntry("AWS_SESSION_TOKEN", "test")
                .containsEntry("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")
                .containsEntry("CBOR_ENABLED", "false")
                .containsEntry("AWS_EXECUTION_ENV", "AWS_Lambda_java25")
                .containsEntry("LAMBDA_TASK_ROOT", Path.of("/task").toAbsolutePath().toString())
                .containsEntry("TZ", ":UTC");
        assertThat(env.get("AWS_LAMBDA_LOG_STREAM_NAME")).matches("\\d{4}/\\d{2}/\\d{2}/\\[\\$LATEST][0-9a-f]{32}");
    }

    @Test
    void noEndpointNoEndpointVariable() {
        InvokeRequest request = new InvokeRequest(FUNCTION, "{}", Map.of(), "us-east-1", Optional.empty());

        assertThat(RuntimeProcess.environment(request, "127.0.0.1:1", Path.of("/t"), Map.of()))
                .doesNotContainKey("AWS_ENDPOINT_URL").doesNotContainKey("PATH");
    }

    @Test
    void compactKeepsOneLine() {
        assertThat(LocalInvoker.compact("{\n  \"a\": 1.10,\n  \"b\": [1, 2]\n}")).isEqualTo("{\"a\":1.10,\"b\":[1,2]}");
        assertThat(LocalInvoker.compact("\"already one line\"")).isEqualTo("\"already one line\"");
        assertThat(LocalInvoker.compact("not\njson")).isEqualTo("not\njson");
    }
}
