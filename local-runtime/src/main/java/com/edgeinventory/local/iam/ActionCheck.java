package com.edgeinventory.local.iam;

import java.util.Objects;

/**
 * One authorization IAM performs for a request: {@code action} on {@code resource}.
 *
 * @param action   e.g. {@code dynamodb:PutItem}
 * @param resource e.g. {@code arn:aws:dynamodb:eu-west-1:123456789012:table/T}, or {@code *}
 */
public record ActionCheck(String action, String resource) {
    public ActionCheck {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
    }

    @Override
    public String toString() {
        return action + " on " + resource;
    }
}
