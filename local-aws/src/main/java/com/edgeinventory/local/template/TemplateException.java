package com.edgeinventory.local.template;

import com.edgeinventory.local.LocalRuntimeException;

/** The template or a parameter override is invalid, or uses something that cannot be resolved locally. */
public final class TemplateException extends LocalRuntimeException {

    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
