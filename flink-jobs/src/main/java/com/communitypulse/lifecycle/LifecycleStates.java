package com.communitypulse.lifecycle;

import com.communitypulse.state.Compact;
import com.communitypulse.state.PerCommunity;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Everything {@link LifecycleFunction} keeps for one user: a {@link MemberLifecycle} per community
 * and the time of the user's one timer. One RocksDB value in a compact format ({@link Compact}):
 * an event costs one read and one write (was a map read, a map write and a timer-value read), a
 * timer one read and one write (was an iterator over the map), and a member's lifecycle takes
 * roughly a third of its POJO size. The framing (format byte, timer, entries by community) is
 * {@link PerCommunity}'s, shared with member activity's value.
 *
 * <p>Versioned: format 2 adds the session gaps; format 1 values (checkpoints of earlier releases)
 * still restore, their members' rhythm then read from their active days until new sessions replace it.
 */
final class LifecycleStates extends PerCommunity<MemberLifecycle> {
    /** No timer registered. */
    static final long NO_TIMER = PerCommunity.NO_TIMER;
    /** Up to release 0.2: no session gaps (a restored member's rhythm is then read from its active days). */
    static final byte FORMAT_V1 = 1;
    /** Adds the quiet stretches between the member's sessions after the GMV. */
    static final byte FORMAT_V2 = 2;
    private static final LifecycleStage[] STAGES = LifecycleStage.values();

    byte[] encode() {
        return encode(FORMAT_V2);
    }

    static LifecycleStates decode(byte[] bytes) {
        LifecycleStates s = new LifecycleStates();
        s.decodeFrom(bytes, FORMAT_V2);
        return s;
    }

    @Override
    protected String what() {
        return "lifecycle state";
    }

    @Override
    protected int bytesPerEntry() {
        return 64;
    }

    @Override
    protected void writeEntry(DataOutputSerializer out, MemberLifecycle st, byte format) throws IOException {
        write(out, st, format);
    }

    @Override
    protected MemberLifecycle readEntry(DataInputDeserializer in, byte format) throws IOException {
        return read(in, format);
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
