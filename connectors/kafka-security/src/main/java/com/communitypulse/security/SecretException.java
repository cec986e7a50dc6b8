package com.communitypulse.security;

/** A missing or unreadable secret, or inconsistent security settings: the message is one line naming the fix, never the secret. */
public final class SecretException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public SecretException(String message) {
        super(message);
    }
}
