package com.communitypulse.metrics;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The three tumbling window sizes of the window metrics: the configured base window (default 1
 * minute), the hour and the calendar day in the configured time zone.
 *
 * <p>Day windows use the zone's standard offset as a fixed window offset (Flink's tumbling windows
 * have a constant size): correct for zones without daylight saving such as Asia/Shanghai; in
 * zones with DST the day boundary is off by an hour during summer time (documented).
 */
public final class Granularity implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public static final int BASE = 0;
    public static final int HOUR = 1;
    public static final int DAY = 2;
    public static final int COUNT = 3;

    private final long[] size = new long[COUNT];
    private final long[] offset = new long[COUNT];
    private final String[] iso = new String[COUNT];

    public Granularity(Duration base, ZoneId zone) {
        size[BASE] = base.toMillis();
        size[HOUR] = 3_600_000L;
        size[DAY] = 86_400_000L;
        iso[BASE] = base.toString();
        iso[HOUR] = "PT1H";
        iso[DAY] = "P1D";
        int zoneSeconds = zone.getRules().getStandardOffset(java.time.Instant.EPOCH).getTotalSeconds();
        if (zone instanceof ZoneOffset) {
            zoneSeconds = ((ZoneOffset) zone).getTotalSeconds();
        }
        offset[DAY] = Math.floorMod(-zoneSeconds * 1000L, size[DAY]);
        offset[HOUR] = Math.floorMod(-zoneSeconds * 1000L, size[HOUR]);
        offset[BASE] = Math.floorMod(-zoneSeconds * 1000L, size[BASE]);
    }

    public long size(int g) {
        return size[g];
    }

    /** Window offset as Flink's {@code TumblingEventTimeWindows.of(size, offset)} wants it. */
    public long offset(int g) {
        return offset[g];
    }

    /** ISO-8601 name used in metric records ({@code PT1M}, {@code PT1H}, {@code P1D}). */
    public String iso(int g) {
        return iso[g];
    }

    public long windowStart(int g, long ts) {
        return ts - Math.floorMod(ts - offset[g], size[g]);
    }

    /** Index of the window holding {@code ts}: consecutive windows have consecutive indexes. */
    public long index(int g, long ts) {
        return Math.floorDiv(ts - offset[g], size[g]);
    }

    /** Start of the calendar day (in the zone) holding ts. */
    public long dayStart(long ts) {
        return windowStart(DAY, ts);
    }
}
