package com.communitypulse.connectors.dispatcher;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": the n-th retry waits between half and all of
 * {@code min(max, initial * 2^(n-1))}, so that retries from many alerts spread out instead of hitting
 * a recovering endpoint together. A server's Retry-After is honoured up to the maximum.
 */
final class Backoff {
    private final long initialMs;
    private final long maxMs;

    Backoff(long initialMs, long maxMs) {
        this.initialMs = initialMs;
        this.maxMs = maxMs;
    }

    /** @param failedAttempts attempts made so far (1 after the first failure) */
    long delayMs(int failedAttempts, long retryAfterMs) {
        long base = maxMs;
        if (failedAttempts - 1 < 40) {
            base = Math.min(maxMs, initialMs << (failedAttempts - 1));
        }
        long half = base / 2;
        long jittered = half + ThreadLocalRandom.current().nextLong(base - half + 1);
        return Math.max(jittered, Math.min(retryAfterMs, maxMs));
    }
}
