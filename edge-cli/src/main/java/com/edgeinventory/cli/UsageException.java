package com.edgeinventory.cli;

/** The command line is wrong: exit status 2, message and usage on stderr. */
public final class UsageException extends RuntimeException {

    private final String command;

    public UsageException(String command, String message) {
        super(message);
        this.command = command;
    }

    /** The subcommand whose usage to print, or {@code null} for the general usage. */
    public String command() {
        return command;
    }
}
