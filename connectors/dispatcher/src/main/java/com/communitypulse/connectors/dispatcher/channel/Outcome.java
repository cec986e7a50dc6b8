package com.communitypulse.connectors.dispatcher.channel;

/** How one delivery attempt ended. */
public record Outcome(Kind kind, String error, long retryAfterMs) {
    public enum Kind { DELIVERED, RETRY, FAIL }

    public static final Outcome DELIVERED = new Outcome(Kind.DELIVERED, null, 0);

    public static Outcome retry(String error, long retryAfterMs) {
        return new Outcome(Kind.RETRY, error, retryAfterMs);
    }

    public static Outcome fail(String error) {
        return new Outcome(Kind.FAIL, error, 0);
    }
}
