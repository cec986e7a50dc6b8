package com.communitypulse.lifecycle;

import com.communitypulse.state.Compact;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Everything {@link LifecycleFunction} keeps for one user: a {@link MemberLifecycle} per community
 * and the time of the user's one timer. One RocksDB value in a compact format ({@link Compact}):
 * an event costs one read and one write (was a map read, a map write and a timer-value read), a
 * timer one read and one write (was an iterator over the map), and a member's lifecycle takes
 * roughly a third of its POJO size.
 *
 * <p>Versioned: format 2 adds the session gaps; format 1 values (checkpoints of earlier releases)
 * still restore, their members' rhythm then read from their active days until new sessions replace it.
 */
final class LifecycleStates {
    /** No timer registered. */
    static final long NO_TIMER = Long.MAX_VALUE;
    /** Up to release 0.2: no session gaps (a restored member's rhythm is then read from its active days). */
    static final byte FORMAT_V1 = 1;
    /** Adds the quiet stretches between the member's sessions after the GMV. */
    static final byte FORMAT_V2 = 2;
    private static final LifecycleStage[] STAGES = LifecycleStage.values();

    private final TreeMap<String, MemberLifecycle> byCommunity = new TreeMap<>();
    private long timer = NO_TIMER;

    MemberLifecycle get(String community) {
        return byCommunity.get(community);
    }

    void put(String community, MemberLifecycle st) {
        byCommunity.put(community, st);
    }

    Iterable<Map.Entry<String, MemberLifecycle>> entries() {
        return byCommunity.entrySet();
    }

    void removeAll(List<String> communities) {
        communities.forEach(byCommunity::remove);
    }

    boolean isEmpty() {
        return byCommunity.isEmpty();
    }

    long timer() {
        return timer;
    }

    void setTimer(long t) {
        timer = t;
    }

    byte[] encode() {
        return encode(FORMAT_V2);
    }

    /** In {@code format}; {@link #FORMAT_V1} only to write what an older release wrote (tests of the restore). */
    byte[] encode(byte format) {
        DataOutputSerializer out = new DataOutputSerializer(16 + 64 * byCommunity.size());
        try {
            out.writeByte(format);
            Compact.writeTime(out, timer == NO_TIMER ? Compact.NONE : timer, 0);
            Compact.writeVarLong(out, byCommunity.size());
            for (Map.Entry<String, MemberLifecycle> en : byCommunity.entrySet()) {
                out.writeUTF(en.getKey());
                write(out, en.getValue(), format);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode lifecycle state", e); // in-memory buffer: unreachable
        }
        return out.getCopyOfBuffer();
    }

    static LifecycleStates decode(byte[] bytes) {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        try {
            byte format = in.readByte();
            if (format != FORMAT_V1 && format != FORMAT_V2) {
                throw new IllegalStateException("lifecycle state written in format " + format + " by a newer community-pulse; "
                        + "restore this checkpoint with that release or later");
            }
            LifecycleStates s = new LifecycleStates();
            long t = Compact.readTime(in, 0);
            s.timer = t == Compact.NONE ? NO_TIMER : t;
            long n = Compact.readVarLong(in);
            for (long i = 0; i < n; i++) {
                String key = in.readUTF();
                s.byCommunity.put(key, read(in, format));
            }
            return s;
        } catch (IOException e) {
            throw new IllegalStateException("corrupt lifecycle state (" + bytes.length + " bytes)", e);
        }
    }

    // Times relative to the entry's last event; days as gaps (one byte each); session gaps in hours (one byte up to 5 days).
    private static void write(DataOutputSerializer out, MemberLifecycle st, byte format) throws IOException {
        long base = st.getLastEvent();
        out.writeByte(st.getStage() == null ? 0 : st.getStage().ordinal() + 1);
        Compact.writeTime(out, base, 0);
        Compact.writeTime(out, st.getStageSince(), base);
        Compact.writeTime(out, st.getJoinTs(), base);
        Compact.writeTime(out, st.getLastActive(), base);
        Compact.writeTime(out, st.getSpeakRef(), base);
        Compact.writeTime(out, st.getActiveRef(), base);
        Compact.writeTime(out, st.getLastPaid(), base);
        Compact.writeInts(out, st.getDays());
        Compact.writeInts(out, st.getReceivedDays() == null ? new int[0] : st.getReceivedDays());
        Compact.writeVarLong(out, st.getOrders());
        Compact.writeSigned(out, st.getGmvMinor());
        if (format >= FORMAT_V2) {
            int[] gaps = st.gapHours();
            Compact.writeVarLong(out, gaps.length);
            for (int h : gaps) Compact.writeVarLong(out, h);
        }
    }

    private static MemberLifecycle read(DataInputDeserializer in, byte format) throws IOException {
        MemberLifecycle st = new MemberLifecycle();
        int stage = in.readUnsignedByte();
        st.setStage(stage == 0 ? null : STAGES[stage - 1]);
        long base = Compact.readTime(in, 0);
        st.setLastEvent(base);
        st.setStageSince(Compact.readTime(in, base));
        st.setJoinTs(Compact.readTime(in, base));
        st.setLastActive(Compact.readTime(in, base));
        st.setSpeakRef(Compact.readTime(in, base));
        st.setActiveRef(Compact.readTime(in, base));
        st.setLastPaid(Compact.readTime(in, base));
        st.setDays(Compact.readInts(in));
        st.setReceivedDays(Compact.readInts(in));
        st.setOrders((int) Compact.readVarLong(in));
        st.setGmvMinor(Compact.readSigned(in));
        if (format >= FORMAT_V2) {
            int[] gaps = new int[(int) Compact.readVarLong(in)];
            for (int i = 0; i < gaps.length; i++) gaps[i] = (int) Compact.readVarLong(in);
            st.setGapHours(gaps);
        } else {
            st.setGapHours(null); // not kept then: read from the active days on first use
        }
        return st;
    }
}
