package com.edgeinventory.local.iam;

import com.edgeinventory.local.LocalRuntimeException;

/** A policy the local IAM check cannot read: malformed, or a SAM policy template it does not support. */
public final class IamPolicyException extends LocalRuntimeException {
    public IamPolicyException(String message) {
        super(message);
    }
}
