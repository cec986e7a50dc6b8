package com.communitypulse.job;

/**
 * The event ids a user's {@link DeduplicateFunction} remembers, with their event times, as two
 * parallel arrays in one value: a lookup or a cleanup reads one small value instead of a map.
 */
public class DedupQueue {
    private String[] ids = new String[0];
    private long[] ts = new long[0];
    /** The cleanup timer currently registered, or {@link Long#MIN_VALUE}. */
    private long timer = Long.MIN_VALUE;

    public DedupQueue() {}

    public void add(String id, long t) {
        int n = ids.length;
        String[] ni = java.util.Arrays.copyOf(ids, n + 1);
        long[] nt = java.util.Arrays.copyOf(ts, n + 1);
        ni[n] = id;
        nt[n] = t;
        ids = ni;
        ts = nt;
    }

    public boolean contains(String id) {
        for (String i : ids) {
            if (i.equals(id)) return true;
        }
        return false;
    }

    public long minTs() {
        long m = Long.MAX_VALUE;
        for (long t : ts) m = Math.min(m, t);
        return m;
    }

    public int size() {
        return ids.length;
    }

    public String[] getIds() { return ids; }
    public void setIds(String[] ids) { this.ids = ids; }
    public long[] getTs() { return ts; }
    public void setTs(long[] ts) { this.ts = ts; }
    public long getTimer() { return timer; }
    public void setTimer(long timer) { this.timer = timer; }
}
