package com.edgeinventory.local.invoke;

/** How an invocation ended. */
public sealed interface InvokeOutcome {

    /** One line for logs and failure records: {@code ok}, the error type and message, the timeout or the exit. */
    default String summary() {
        return switch (this) {
            case Success s -> "ok";
            case Failed f -> f.errorType() + ": " + f.errorMessage();
            case TimedOut t -> t.message();
            case Crashed c -> c.message();
        };
    }


    /** The handler returned; {@code responseJson} is what the runtime posted (compact JSON when it is JSON). */
    record Success(String responseJson) implements InvokeOutcome {
    }

    /**
     * The handler (phase {@code invoke}) or its initialisation (phase {@code init}) threw.
     *
     * @param errorJson the runtime's error document: errorMessage, errorType, stackTrace
     */
    record Failed(String phase, String errorType, String errorMessage, String errorJson) implements InvokeOutcome {
    }

    /** The function ran past its Timeout and was killed. */
    record TimedOut(int timeoutSeconds) implements InvokeOutcome {
        public String message() {
            return "Task timed out after " + timeoutSeconds + " seconds";
        }
    }

    /** The runtime process exited without posting a response or an error. */
    record Crashed(int exitCode) implements InvokeOutcome {
        public String message() {
            return "The function's runtime process exited with status " + exitCode
                    + " without posting a response or an error";
        }
    }
}
