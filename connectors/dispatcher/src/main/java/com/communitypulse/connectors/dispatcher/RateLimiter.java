package com.communitypulse.connectors.dispatcher;

import java.util.ArrayDeque;

/** Sliding-window limit: at most {@code max} acquisitions in any {@code windowMs}. Not thread-safe. */
final class RateLimiter {
    private final int max;
    private final long windowMs;
    private final ArrayDeque<Long> sent = new ArrayDeque<>();

    RateLimiter(int max, long windowMs) {
        this.max = max;
        this.windowMs = windowMs;
    }

    boolean available(long nowMs) {
        while (!sent.isEmpty() && sent.peekFirst() <= nowMs - windowMs) {
            sent.pollFirst();
        }
        return sent.size() < max;
    }

    void acquire(long nowMs) {
        sent.addLast(nowMs);
    }
}
