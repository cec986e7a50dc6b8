package com.communitypulse.generator;

import java.util.SplittableRandom;

/**
 * The event-time span of a run and its local days, plus the daily rhythm people chat to.
 *
 * <p>Exists so that every part of the simulation agrees on what "day d" and "local hour" mean:
 * local days are Asia/Shanghai days (UTC+8, no daylight saving time), the zone the job's own
 * calendar defaults to ({@code metrics.timezone}), and day 0 is the local day holding the first
 * event time, which may start before it.
 */
final class SimTime {
    static final long DAY = GeneratorConfig.DAY_MS;
    static final long HOUR = 3_600_000L;
    static final long MINUTE = 60_000L;
    private static final long SHANGHAI_OFFSET = 8 * HOUR;

    /** Relative activity per local hour: quiet nights, a lunch bump and an evening peak around 21:00. */
    private static final double[] HOURLY = {0.6, 0.3, 0.15, 0.1, 0.1, 0.15, 0.4, 0.9, 1.3, 1.5, 1.6, 1.8,
            2.0, 1.7, 1.4, 1.4, 1.5, 1.6, 1.9, 2.4, 3.0, 3.2, 2.6, 1.5};
    private static final double[] HOURLY_CDF = new double[24];
    private static final double HOURLY_MEAN;

    static {
        double s = 0;
        for (double h : HOURLY) s += h;
        double c = 0;
        for (int i = 0; i < 24; i++) {
            c += HOURLY[i] / s;
            HOURLY_CDF[i] = c;
        }
        HOURLY_CDF[23] = 1.0;
        HOURLY_MEAN = s / 24;
    }

    /** First event time (inclusive). */
    final long start;
    /** Last event time (exclusive). */
    final long end;
    /** Local (Shanghai) midnight on or before {@link #start}; day d starts at day0 + d * DAY. */
    final long day0;
    /** Local days the run touches: the configured days plus the one a mid-day start spills into. */
    final int days;

    SimTime(GeneratorConfig cfg) {
        this.start = cfg.startTs();
        this.end = cfg.endTs();
        this.days = cfg.days() + 1;
        this.day0 = Math.floorDiv(start + SHANGHAI_OFFSET, DAY) * DAY - SHANGHAI_OFFSET;
    }

    int localDay(long ts) {
        return (int) Math.floorDiv(ts - day0, DAY);
    }

    static int localHour(long ts) {
        return (int) (Math.floorMod(ts + SHANGHAI_OFFSET, DAY) / HOUR);
    }

    /** How busy local hour {@code hour} is relative to the day's average hour. */
    static double hourFactor(int hour) {
        return HOURLY[hour] / HOURLY_MEAN;
    }

    /** A time of day (ms after local midnight) drawn from the daily rhythm. */
    static long sampleTimeOfDay(SplittableRandom r) {
        double u = r.nextDouble();
        int h = 0;
        while (h < 23 && HOURLY_CDF[h] < u) h++;
        return h * HOUR + r.nextLong(HOUR);
    }
}
