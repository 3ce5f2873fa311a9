package com.edgeinventory.local.moto;

import com.edgeinventory.local.LocalRuntimeException;

/** {@code moto_server} is not installed (or not on PATH / in ~/.pyenv/shims). */
public final class MotoNotFoundException extends LocalRuntimeException {

    public MotoNotFoundException(String message) {
        super(message);
    }
}
