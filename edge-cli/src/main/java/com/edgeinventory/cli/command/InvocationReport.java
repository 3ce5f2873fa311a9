package com.edgeinventory.cli.command;

import com.edgeinventory.local.invoke.InvokeOutcome;
import com.edgeinventory.local.invoke.InvokeResult;

/** How a command reports one invocation, as {@code sam local invoke} does. */
final class InvocationReport {

    private InvocationReport() {
    }

    /** Prints the outcome: the response on stdout, anything else on stderr with status 1. */
    static int print(InvokeResult result, CliContext context) {
        long millis = result.duration().toMillis();
        return switch (result.outcome()) {
            case InvokeOutcome.Success s -> {
                context.progress("END RequestId: " + result.requestId() + " Duration: " + millis + " ms");
                context.out().println(s.responseJson());
                yield 0;
            }
            case InvokeOutcome.Failed f -> {
                context.err().println(f.errorJson());
                context.progress((f.phase().equals("init") ? "initialisation failed: " : "handler failed: ")
                        + f.errorType() + ": " + f.errorMessage());
                yield 1;
            }
            case InvokeOutcome.TimedOut t -> {
                context.progress("RequestId: " + result.requestId() + " Error: " + t.message());
                yield 1;
            }
            case InvokeOutcome.Crashed c -> {
                context.progress("RequestId: " + result.requestId() + " Error: " + c.message());
                yield 1;
            }
        };
    }
}
