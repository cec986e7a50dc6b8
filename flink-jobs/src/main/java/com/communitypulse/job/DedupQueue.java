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

    public long maxTs() {
        long m = Long.MIN_VALUE;
        for (long t : ts) m = Math.max(m, t);
        return m;
    }

    /** The ids whose time is at or after {@code oldest}, with this queue's timer; this queue when none is older. */
    public DedupQueue without(long oldest) {
        int keep = 0;
        for (long t : ts) if (t >= oldest) keep++;
        if (keep == ts.length) return this;
        DedupQueue q = new DedupQueue();
        q.ids = new String[keep];
        q.ts = new long[keep];
        int j = 0;
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] >= oldest) {
                q.ids[j] = ids[i];
                q.ts[j++] = ts[i];
            }
        }
        q.timer = timer;
        return q;
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
