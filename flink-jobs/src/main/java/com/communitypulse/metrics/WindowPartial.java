package com.communitypulse.metrics;

import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The counts of one community window (or of the global total, {@code "*"}) that one
 * {@link WindowPreAggregator} collected between two flushes. {@link CommunityWindowsOperator}
 * adds up the partials of all subtasks into the window's record.
 *
 * <p>{@code counts} has one slot per {@link WindowAccumulator#NAMES} entry, in that order, and is
 * handed over with the partial: neither side keeps using an array after passing it on.
 */
@TypeInfo(WindowPartialTypeInfo.Factory.class)
public final class WindowPartial {
    private final String communityId;
    private final int granularity;
    private final long windowStart;
    private final long[] counts;

    public WindowPartial(String communityId, int granularity, long windowStart, long[] counts) {
        if (counts.length != WindowAccumulator.NAMES.length) {
            throw new IllegalArgumentException("a window partial has " + WindowAccumulator.NAMES.length + " counts, got " + counts.length);
        }
        this.communityId = communityId;
        this.granularity = granularity;
        this.windowStart = windowStart;
        this.counts = counts;
    }

    public String getCommunityId() {
        return communityId;
    }

    /** Index into {@link Granularity}: {@link Granularity#BASE}, {@link Granularity#HOUR} or {@link Granularity#DAY}. */
    public int getGranularity() {
        return granularity;
    }

    public long getWindowStart() {
        return windowStart;
    }

    public long[] getCounts() {
        return counts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowPartial p && p.granularity == granularity && p.windowStart == windowStart
                && p.communityId.equals(communityId) && Arrays.equals(p.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * communityId.hashCode() + granularity) + Long.hashCode(windowStart)) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("WindowPartial{").append(communityId).append(" g=").append(granularity).append(" @").append(windowStart);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) b.append(' ').append(WindowAccumulator.NAMES[i]).append('=').append(counts[i]);
        }
        return b.append('}').toString();
    }
}
