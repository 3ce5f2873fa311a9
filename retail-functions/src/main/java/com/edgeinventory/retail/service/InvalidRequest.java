package com.edgeinventory.retail.service;

/**
 * Bad input: answered with 400 and never written.
 *
 * @param field JSON pointer into the body (e.g. {@code /lines/0/qty}), a header name, a path parameter, or
 *              {@code body} for a body that is not a well-formed JSON document
 */
public final class InvalidRequest extends RuntimeException {

    private final String field;

    public InvalidRequest(String detail, String field) {
        super(detail, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }

    public Reply reply() {
        return Reply.problem(400, "invalid-request", "The request is invalid", getMessage(), field);
    }
}
