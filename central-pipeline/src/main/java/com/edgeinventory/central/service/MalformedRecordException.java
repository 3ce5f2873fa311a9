package com.edgeinventory.central.service;

/** A stream record that can never be forwarded: retrying it cannot help. */
public final class MalformedRecordException extends RuntimeException {
    public MalformedRecordException(String message) {
        super(message);
    }

    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
