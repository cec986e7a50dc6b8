package com.communitypulse.testutils;

/** Named instants for tests (never {@code now()}): 2026-01-05 00:00 Asia/Shanghai and friends. */
public final class Instants {
    private Instants() {}

    /** 2026-01-04T16:00:00Z = 2026-01-05 00:00 in Asia/Shanghai: a day boundary. */
    public static final long DAY_START = 1767542400000L;
    public static final long BEGINNING = DAY_START + 10 * 3_600_000L;
    public static final long ONE_SECOND = 1_000L;
    public static final long ONE_MINUTE = 60_000L;
    public static final long ONE_HOUR = 3_600_000L;
    public static final long ONE_DAY = 86_400_000L;
}
