package com.edgeinventory.local.system;

import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * Where the local system reports what it does, a line at a time: the CLI's standard error, a log file, a test's
 * list. The system never prints on its own.
 */
@FunctionalInterface
public interface Progress extends Consumer<String> {

    /** What every line the CLI and the local system print to standard error starts with. */
    String PREFIX = "[edge-inventory] ";

    /** Lines to {@code stream}, each with {@link #PREFIX}. */
    static Progress to(PrintStream stream) {
        return line -> stream.println(PREFIX + line);
    }

    /** The same lines, each after {@code prefix} (e.g. a region name). */
    default Progress prefixed(String prefix) {
        return line -> accept(prefix + line);
    }
}
