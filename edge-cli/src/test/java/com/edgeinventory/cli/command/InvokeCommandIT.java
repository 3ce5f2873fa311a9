package com.edgeinventory.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.edgeinventory.local.moto.MotoServer;
import com.edgeinventory.local.testing.HandlerBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code invoke} end to end: a handler jar built here, run through the real Lambda runtime interface client. */
class InvokeCommandIT {

    private static final String HANDLERS = """
            package it;

            import java.util.LinkedHashMap;
            import java.util.List;
            import java.util.Map;
            import java.util.TreeMap;
            import com.amazonaws.services.lambda.runtime.Context;

            public class Handlers {
                public Map<String, Object> echo(Map<String, Object> event, Context context) {
                    System.out.println("echo log line");
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("event", event);
                    result.put("functionName", context.getFunctionName());
                    result.put("arn", context.getInvokedFunctionArn());
                    result.put("remainingPositive", context.getRemainingTimeInMillis() > 0);
                    Map<String, String> env = new TreeMap<>();
                    for (String k : List.of("TABLE", "QUEUE", "LEVEL", "ONLY_PARAMS", "UNDECLARED", "STAGE",
                            "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "SECRET_OF_PARENT")) {
                        env.put(k, String.valueOf(System.getenv(k)));
                    }
                    result.put("env", env);
                    return result;
                }

                public String fail(Map<String, Object> event) {
                    throw new IllegalStateException("bad input " + event.get("id"));
                }

                public String sleep(Map<String, Object> event) throws InterruptedException {
                    Thread.sleep(120_000);
                    return "late";
                }
            }
            """;

    private static final String TEMPLATE = """
            Parameters:
              Stage: {Type: String, Default: it}
            Globals:
              Function:
                Runtime: java25
                Timeout: 30
                MemorySize: 256
                Environment:
                  Variables:
                    STAGE: !Ref Stage
                    LEVEL: INFO
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  TableName: !Sub "items-${Stage}"
                  BillingMode: PAY_PER_REQUEST
                  AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
                  KeySchema: [{AttributeName: pk, KeyType: HASH}]
              Jobs:
                Type: AWS::SQS::Queue
              EchoFunction:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: build/handlers.jar
                  Handler: it.Handlers::echo
                  Environment:
                    Variables:
                      TABLE: !Ref Table
                      QUEUE: !Ref Jobs
                      ONLY_PARAMS: template
              FailFunction:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: build/handlers.jar
                  Handler: it.Handlers::fail
              SlowFunction:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: build/handlers.jar
                  Handler: it.Handlers::sleep
                  Timeout: 2
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static MotoServer moto;

    @BeforeAll
    static void setUp() throws Exception {
        HandlerBuilder.jar(Map.of("it.Handlers", HANDLERS), dir.resolve("build/handlers.jar"));
        Files.writeString(dir.resolve("template.yaml"), TEMPLATE);
        Files.writeString(dir.resolve("event.json"), "{\"id\": 7, \"text\": \"héllo\"}");
        Files.writeString(dir.resolve("env.json"), """
                {"Parameters": {"LEVEL": "DEBUG", "ONLY_PARAMS": "params", "UNDECLARED": "x"},
                 "EchoFunction": {"LEVEL": "TRACE"},
                 "FailFunction": {"LEVEL": "WARN"}}
                """);
        moto = MotoServer.start();
        CliRunner.Run provision = CliRunner.run(dir, List.of("provision", "--endpoint", moto.endpoint().toString()));
        assertThat(provision.status()).as(provision.err()).isZero();
    }

    @AfterAll
    static void tearDown() {
        moto.close();
    }

    private static List<String> invoke(String function, String... more) {
        List<String> args = new ArrayList<>(List.of("invoke", function, "-e", "event.json", "--endpoint",
                moto.endpoint().toString()));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void responseIsExactlyOneJsonLineOnStdout() throws Exception {
        CliRunner.Run run = CliRunner.run(dir, invoke("EchoFunction"));

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).endsWith("\n").doesNotContain("echo log line");
        assertThat(run.out().strip()).doesNotContain("\n");
        JsonNode response = JSON.readTree(run.out());
        assertThat(response.at("/event/id").asInt()).isEqualTo(7);
        assertThat(response.at("/event/text").asText()).isEqualTo("héllo");
        assertThat(response.at("/functionName").asText()).isEqualTo("edge-inventory-EchoFunction");
        assertThat(response.at("/arn").asText())
                .isEqualTo("arn:aws:lambda:eu-west-1:123456789012:function:edge-inventory-EchoFunction");
        assertThat(response.at("/remainingPositive").asBoolean()).isTrue();
        assertThat(response.at("/env/TABLE").asText()).isEqualTo("items-it");
        assertThat(response.at("/env/QUEUE").asText())
                .isEqualTo(moto.endpoint() + "/123456789012/edge-inventory-Jobs");
        assertThat(response.at("/env/STAGE").asText()).isEqualTo("it");
        assertThat(response.at("/env/AWS_ENDPOINT_URL").asText()).isEqualTo(moto.endpoint().toString());
        assertThat(response.at("/env/AWS_LAMBDA_FUNCTION_MEMORY_SIZE").asText()).isEqualTo("256");
        assertThat(run.err()).contains("echo log line");
    }

    @Test
    void envVarsFollowSamPrecedence() throws Exception {
        CliRunner.Run run = CliRunner.run(dir, invoke("EchoFunction", "--env-vars", "env.json",
                "--parameter-overrides", "Stage=qa"));

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode env = JSON.readTree(run.out()).get("env");
        assertThat(env.get("LEVEL").asText()).isEqualTo("TRACE");
        assertThat(env.get("ONLY_PARAMS").asText()).isEqualTo("params");
        assertThat(env.get("UNDECLARED").asText()).isEqualTo("null");
        assertThat(env.get("STAGE").asText()).isEqualTo("qa");
        assertThat(env.get("TABLE").asText()).isEqualTo("items-qa");
        assertThat(run.err()).contains("--env-vars Parameters.UNDECLARED ignored: EchoFunction does not declare "
                + "UNDECLARED in template.yaml");
    }

    @Test
    void handlerExceptionIsExitOneWithTheErrorDocument() throws Exception {
        CliRunner.Run run = CliRunner.run(dir, invoke("FailFunction"));

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        String errorLine = run.err().lines().filter(l -> l.startsWith("{\"errorMessage\"")).findFirst()
                .orElseThrow(() -> new AssertionError("no error JSON in: " + run.err()));
        JsonNode error = JSON.readTree(errorLine);
        assertThat(error.get("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.get("errorMessage").asText()).isEqualTo("bad input 7");
        assertThat(error.get("stackTrace").isArray()).isTrue();
        assertThat(run.err()).contains("handler failed: java.lang.IllegalStateException: bad input 7");
    }

    @Test
    void timeoutKillsTheFunction() {
        Instant start = Instant.now();

        CliRunner.Run run = CliRunner.run(dir, invoke("SlowFunction"));

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("Task timed out after 2 seconds");
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void withoutEndpointItStartsAndProvisionsItsOwnMoto() throws Exception {
        CliRunner.Run run = CliRunner.run(dir, List.of("invoke", "EchoFunction", "-e", "event.json"));

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode env = JSON.readTree(run.out()).get("env");
        assertThat(env.get("AWS_ENDPOINT_URL").asText()).startsWith("http://127.0.0.1:")
                .isNotEqualTo(moto.endpoint().toString());
        assertThat(env.get("QUEUE").asText()).startsWith(env.get("AWS_ENDPOINT_URL").asText());
        assertThat(run.err()).contains("starting moto_server (no --endpoint given)").contains("created table items-it");
    }
}
