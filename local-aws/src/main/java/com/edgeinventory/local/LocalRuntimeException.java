package com.edgeinventory.local;

/**
 * A failure the user can understand and act on: bad template, missing jar, unreachable endpoint.
 * The CLI prints only its message (no stack trace) and exits with status 1.
 */
public class LocalRuntimeException extends RuntimeException {

    public LocalRuntimeException(String message) {
        super(message);
    }

    public LocalRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }
}
