package com.edgeinventory.central.handler;

import java.util.Map;

/** The stream functions' environment variables, as template.yaml declares them. */
final class Env {

    private Env() {}

    static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }
}
