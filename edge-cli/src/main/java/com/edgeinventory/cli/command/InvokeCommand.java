package com.edgeinventory.cli.command;

import com.edgeinventory.local.system.Progress;

import com.edgeinventory.cli.UsageException;

import com.edgeinventory.local.provision.LocalStack;
import com.edgeinventory.local.system.FunctionInvoker;
import com.edgeinventory.local.system.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;

import com.edgeinventory.local.LocalRuntimeException;
import com.edgeinventory.local.invoke.EnvVarsOverrides;
import com.edgeinventory.local.invoke.FunctionIdentities;
import com.edgeinventory.local.invoke.InvokeResult;
import com.edgeinventory.local.invoke.LocalInvoker;
import com.edgeinventory.local.template.FunctionDef;
import com.edgeinventory.local.template.ResolveOptions;
import com.edgeinventory.local.template.TemplateResolver;
import com.fasterxml.jackson.core.JsonProcessingException;

/** {@code invoke <LogicalId> -e event.json [--endpoint URL] [--region R] [--env-vars env.json] [...]}. */
final class InvokeCommand {

    static final String NAME = "invoke";
    static final Set<String> OPTIONS = Set.of("event", "endpoint", "region", "env-vars", "template",
            CliArgs.PARAMETER_OVERRIDES);
    static final String USAGE = """
            Usage: edge-inventory invoke <LogicalId> [-e EVENT.json] [--endpoint URL] [--region R]
                                         [--env-vars ENV.json] [--parameter-overrides K=V ...] [--template FILE]

            Runs one function of template.yaml like 'sam local invoke', without Docker: its jar (CodeUri) in a
            child JVM through the real Lambda Java runtime interface client. The handler's response is printed
            on stdout; logs and progress go to stderr. Exit status 1 when the handler fails or times out.

              -e, --event FILE            event JSON (default: {})
              --endpoint URL              local AWS endpoint already provisioned; without it a moto_server is
                                          started and the template provisioned into it for this invocation
              --region R                  default: $AWS_REGION, else eu-west-1
              --env-vars FILE             SAM CLI format: {"Parameters": {...}, "<LogicalId>": {...}}
              --parameter-overrides K=V   template parameter values, e.g. Stage=test
              --template FILE             default: the repository's template.yaml
            """;

    private InvokeCommand() {
    }

    static int run(CliArgs args, CliContext context) {
        if (args.positional().size() != 1) {
            throw new UsageException(NAME, args.positional().isEmpty()
                    ? "invoke needs the function's logical id, e.g. invoke ProductUploadFunction -e events/x.json"
                    : "invoke takes one function logical id, got " + args.positional());
        }
        String logicalId = args.positional().getFirst();
        String event = args.option("event").map(e -> readEvent(context.resolve(e))).orElseGet(() -> {
            context.progress("no event given (-e): invoking with {}");
            return "{}";
        });
        EnvVarsOverrides overrides = args.option("env-vars").map(f -> EnvVarsOverrides.read(context.resolve(f)))
                .orElseGet(EnvVarsOverrides::none);
        Path templateFile = context.templateFile(args);
        ResolveOptions options = context.resolveOptions(args);
        FunctionDef planned = TemplateResolver.resolve(templateFile, options).function(logicalId);
        if (!Files.exists(planned.codeUri())) {
            throw new LocalRuntimeException("Function code not found: " + planned.codeUri() + " (CodeUri of "
                    + logicalId + "). Build it with: ./mvnw package -DskipTests");
        }
        LocalInvoker invoker = LocalInvoker.create(templateFile.getParent(), context.err());
        try (LocalStack stack = LocalStack.open(templateFile, options, args.endpoint(), false, context::progress);
                FunctionIdentities identities = new FunctionIdentities()) {
            FunctionDef function = stack.template().function(logicalId);
            InvokeResult result = new FunctionInvoker(stack, overrides, invoker, identities, Progress.to(context.err()))
                    .invoke(function, event);
            return InvocationReport.print(result, context);
        }
    }

    private static String readEvent(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new LocalRuntimeException("Event file not found: " + file);
        } catch (IOException e) {
            throw new LocalRuntimeException("Cannot read event file " + file + ": " + e.getMessage(), e);
        }
        try {
            Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new LocalRuntimeException("Event file " + file + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (text.isBlank()) {
            throw new LocalRuntimeException("Event file " + file + " is empty");
        }
        return text;
    }
}
