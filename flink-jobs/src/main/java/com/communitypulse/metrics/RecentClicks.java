package com.communitypulse.metrics;

import java.util.Arrays;

/**
 * A user's most recent community clicks (time and community), newest last, at most {@link #CAPACITY}.
 * Flink POJO of two parallel arrays: small and serializer-friendly.
 */
public class RecentClicks {
    public static final int CAPACITY = 16;

    private long[] ts = new long[0];
    private String[] community = new String[0];

    public RecentClicks() {}

    /** Inserts keeping time order; drops the oldest beyond capacity. */
    public void add(long t, String c) {
        int n = ts.length;
        int pos = n;
        while (pos > 0 && ts[pos - 1] > t) pos--;
        long[] nt = new long[n + 1];
        String[] nc = new String[n + 1];
        System.arraycopy(ts, 0, nt, 0, pos);
        System.arraycopy(community, 0, nc, 0, pos);
        nt[pos] = t;
        nc[pos] = c;
        System.arraycopy(ts, pos, nt, pos + 1, n - pos);
        System.arraycopy(community, pos, nc, pos + 1, n - pos);
        if (nt.length > CAPACITY) {
            nt = Arrays.copyOfRange(nt, nt.length - CAPACITY, nt.length);
            nc = Arrays.copyOfRange(nc, nc.length - CAPACITY, nc.length);
        }
        ts = nt;
        community = nc;
    }

    /** Community of the latest click with {@code from ≤ ts ≤ to}, or null. */
    public String latestBetween(long from, long to) {
        for (int i = ts.length - 1; i >= 0; i--) {
            if (ts[i] <= to) {
                return ts[i] >= from ? community[i] : null;
            }
        }
        return null;
    }

    public long[] getTs() { return ts; }
    public void setTs(long[] ts) { this.ts = ts; }
    public String[] getCommunity() { return community; }
    public void setCommunity(String[] community) { this.community = community; }
}
