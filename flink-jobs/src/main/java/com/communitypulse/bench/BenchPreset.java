package com.communitypulse.bench;

import java.util.Locale;

/**
 * Data-set sizes of {@code pulse bench}. {@code full} is the default (10,000 communities,
 * 1,000,000 members, 20 million events over 30 days); {@code ci} is the smoke test's.
 */
enum BenchPreset {
    CI(20, 2_000, 20_000, 2, 8),
    SMALL(200, 20_000, 200_000, 7, 20),
    MEDIUM(1_000, 100_000, 2_000_000, 30, 60),
    FULL(10_000, 1_000_000, 20_000_000, 30, 60);

    final int communities;
    final int members;
    final long events;
    final int days;
    /** Duration of the latency phase in seconds. */
    final int latencySeconds;

    BenchPreset(int communities, int members, long events, int days, int latencySeconds) {
        this.communities = communities;
        this.members = members;
        this.events = events;
        this.days = days;
        this.latencySeconds = latencySeconds;
    }

    static BenchPreset parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new com.communitypulse.flags.UsageException("--preset must be one of ci, small, medium, full (got '" + s + "')");
        }
    }

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
