package com.communitypulse.generator;

import com.communitypulse.events.EventType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic flood of records the job must dead-letter: every {@link Malformed} variant
 * (garbage bytes, invalid UTF-8, truncation, wrong types, missing fields, unknown enums, absurd
 * timestamps, deep nesting, oversized text) plus records far beyond the record-size limit, spread
 * over the three input topics and interleaved with good records.
 *
 * <p>Oversized records are rarer than the small variants (about 1 in 64, and 1 in 2,000 beyond the
 * size limit) so that a 100,000-record flood stays at a few tens of MB.
 */
public final class PoisonRecords {
    private static final Malformed.Variant[] SMALL = {
        Malformed.Variant.GARBAGE, Malformed.Variant.INVALID_UTF8, Malformed.Variant.TRUNCATED, Malformed.Variant.WRONG_TYPE,
        Malformed.Variant.MISSING_FIELD, Malformed.Variant.UNKNOWN_ENUM, Malformed.Variant.ABSURD_TS, Malformed.Variant.DEEP_NESTING};
    private static final EventType[] TYPES = EventType.values();

    private PoisonRecords() {}

    /** {@code count} bad records; timestamps spread over {@code [startTs, endTs)} (they never reach event time). */
    public static List<GeneratedRecord> generate(long seed, int count, long startTs, long endTs) {
        SplittableRandom r = new SplittableRandom(seed);
        List<GeneratedRecord> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            EventType type = TYPES[i % TYPES.length];
            String id = "poison-" + i;
            String user = "u" + (1 + r.nextInt(5000));
            String community = "c" + (1 + r.nextInt(30));
            long ts = startTs + (long) ((endTs - startTs) * (i / (double) count));
            byte[] value;
            if (i % 2000 == 1999) {
                value = beyondSizeLimit(type, id, user, community, ts);
            } else if (i % 64 == 63) {
                value = Malformed.build(Malformed.Variant.OVERSIZED, r, type, id, user, community, ts);
            } else {
                value = Malformed.build(SMALL[r.nextInt(SMALL.length)], r, type, id, user, community, ts);
            }
            out.add(new GeneratedRecord(type.defaultTopic(), user.getBytes(StandardCharsets.UTF_8), value, ts, GeneratedRecord.Kind.MALFORMED, id));
        }
        return out;
    }

    /** Interleaves {@code bad} into {@code good} evenly, keeping each list's own order. */
    public static List<GeneratedRecord> interleave(List<GeneratedRecord> good, List<GeneratedRecord> bad) {
        List<GeneratedRecord> out = new ArrayList<>(good.size() + bad.size());
        int g = 0;
        int b = 0;
        while (g < good.size() || b < bad.size()) {
            // Keep the ratio of remaining records so both lists end together.
            if (b < bad.size() && (g >= good.size() || (long) b * good.size() <= (long) g * bad.size())) {
                out.add(bad.get(b++));
            } else {
                out.add(good.get(g++));
            }
        }
        return out;
    }

    /** A 70 KB record: a plausible event whose text alone exceeds the 64 KiB record limit. */
    private static byte[] beyondSizeLimit(EventType type, String id, String user, String community, long ts) {
        String valid = new String(Malformed.valid(type, id, user, community, ts), StandardCharsets.UTF_8);
        return (valid.substring(0, valid.length() - 1) + ",\"text\":\"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
