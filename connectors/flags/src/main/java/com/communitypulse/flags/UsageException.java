package com.communitypulse.flags;

/**
 * The one usage error of the project: a bad flag, option value or configuration setting. The message is
 * one line that names the fix; commands print it after their name ({@code pulse <command>: ...}) and exit
 * with status {@link #EXIT_CODE}, never with a stack trace.
 */
public class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The exit status of every command for a usage error. */
    public static final int EXIT_CODE = 2;

    public UsageException(String message) {
        super(message);
    }
}
