package com.communitypulse.security;

/**
 * A missing or unreadable secret, or inconsistent security settings: the message is one line naming the fix, never the
 * secret. This module has no dependencies, so the job, the exporter and the dispatcher each rethrow it as their one usage
 * error, {@code com.communitypulse.flags.UsageException} (exit 2).
 */
public final class SecretException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public SecretException(String message) {
        super(message);
    }
}
