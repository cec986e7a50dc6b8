package com.communitypulse.alerts;

import java.util.Arrays;

/**
 * Per-minute scored and negative counts of one community in {@link NegativeSpikeFunction}, plus the
 * pending evaluation: everything the common "nothing can fire" decision needs, in one small value, so
 * that every message costs one read and one write and most evaluations never open a map.
 *
 * <p>Minutes are kept as parallel arrays sorted by minute rather than as a fixed ring: an input
 * partition ahead of the watermark may deliver minutes far beyond the window, and they must be
 * counted exactly rather than collide with minutes still in it. Normally this holds the window
 * plus the current minute (16 entries for 15 minutes).
 */
public class SpikeCounts {
    /** No evaluation pending (the chain stopped; minutes ahead of the watermark may still be held). */
    static final long NONE = Long.MAX_VALUE;
    /** Event time of the pending evaluation timer, or {@link #NONE}. */
    private long nextEvaluation;
    private long[] minutes = new long[0];
    private int[] scored = new int[0];
    private int[] negative = new int[0];

    public SpikeCounts() {}

    SpikeCounts(long nextEvaluation) {
        this.nextEvaluation = nextEvaluation;
    }

    void add(long minute, boolean isNegative) {
        int i = Arrays.binarySearch(minutes, minute);
        if (i < 0) {
            i = -i - 1;
            minutes = insert(minutes, i, minute);
            scored = insert(scored, i);
            negative = insert(negative, i);
        }
        scored[i]++;
        if (isNegative) negative[i]++;
    }

    /**
     * Forgets the minutes before {@code from}; returns those of them that held negative messages
     * (the minutes that have a {@link SpikeBucket}).
     */
    long[] dropBefore(long from) {
        int n = 0;
        while (n < minutes.length && minutes[n] < from) n++;
        if (n == 0) return new long[0];
        long[] dropped = negativeMinutes(Long.MIN_VALUE, from);
        minutes = Arrays.copyOfRange(minutes, n, minutes.length);
        scored = Arrays.copyOfRange(scored, n, scored.length);
        negative = Arrays.copyOfRange(negative, n, negative.length);
        return dropped;
    }

    /** Minutes in {@code [from, to)} with at least one negative message. */
    long[] negativeMinutes(long from, long to) {
        long[] r = new long[minutes.length];
        int k = 0;
        for (int i = 0; i < minutes.length; i++) {
            if (minutes[i] >= from && minutes[i] < to && negative[i] > 0) r[k++] = minutes[i];
        }
        return Arrays.copyOf(r, k);
    }

    int scored(long from, long to) {
        int sum = 0;
        for (int i = 0; i < minutes.length; i++) if (minutes[i] >= from && minutes[i] < to) sum += scored[i];
        return sum;
    }

    int negative(long from, long to) {
        int sum = 0;
        for (int i = 0; i < minutes.length; i++) if (minutes[i] >= from && minutes[i] < to) sum += negative[i];
        return sum;
    }

    boolean hasMinuteIn(long from, long to) {
        for (long m : minutes) if (m >= from && m < to) return true;
        return false;
    }

    /** The last minute before {@code to}, or {@link Long#MIN_VALUE}. */
    long lastMinuteBefore(long to) {
        long last = Long.MIN_VALUE;
        for (long m : minutes) if (m < to) last = m;
        return last;
    }

    /** The first minute at or after {@code from}, or {@link Long#MAX_VALUE}. */
    long firstMinuteFrom(long from) {
        for (long m : minutes) if (m >= from) return m;
        return Long.MAX_VALUE;
    }

    boolean isEmpty() {
        return minutes.length == 0;
    }

    private static long[] insert(long[] a, int i, long v) {
        long[] r = new long[a.length + 1];
        System.arraycopy(a, 0, r, 0, i);
        r[i] = v;
        System.arraycopy(a, i, r, i + 1, a.length - i);
        return r;
    }

    private static int[] insert(int[] a, int i) {
        int[] r = new int[a.length + 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i, r, i + 1, a.length - i);
        return r;
    }

    public long getNextEvaluation() { return nextEvaluation; }
    public void setNextEvaluation(long nextEvaluation) { this.nextEvaluation = nextEvaluation; }
    public long[] getMinutes() { return minutes; }
    public void setMinutes(long[] minutes) { this.minutes = minutes; }
    public int[] getScored() { return scored; }
    public void setScored(int[] scored) { this.scored = scored; }
    public int[] getNegative() { return negative; }
    public void setNegative(int[] negative) { this.negative = negative; }
}
