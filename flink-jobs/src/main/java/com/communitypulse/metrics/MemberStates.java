package com.communitypulse.metrics;

import com.communitypulse.state.Compact;
import com.communitypulse.state.PerCommunity;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Everything {@link MemberActivityOperator} keeps for one user between events: one {@link MemberState}
 * per community plus one for {@code "*"}, and the time of the user's one retirement timer.
 *
 * <p>Stored as a single RocksDB value in a compact hand-written format instead of a map state of
 * POJOs: one read and one write per timer instead of a read-modify-write per community, an
 * iterator per retirement and a separate timer value (the profile's largest share of the
 * per-user chain), and fewer bytes ({@link Compact}: times relative to the state's last event,
 * absent times and empty window slots in one byte). The framing (format byte, timer, entries by
 * community) is {@link PerCommunity}'s, shared with the lifecycle's value.
 */
final class MemberStates extends PerCommunity<MemberState> {
    /** No retirement timer is registered. */
    static final long NO_TIMER = PerCommunity.NO_TIMER;
    private static final byte FORMAT_V1 = 1;

    MemberState getOrCreate(String community) {
        MemberState st = get(community);
        if (st == null) {
            st = new MemberState();
            put(community, st);
        }
        return st;
    }

    /** The time of the user's one retirement timer, or {@link #NO_TIMER}. */
    long nextTimer() {
        return timer();
    }

    void setNextTimer(long t) {
        setTimer(t);
    }

    byte[] encode() {
        return encode(FORMAT_V1);
    }

    static MemberStates decode(byte[] bytes) {
        MemberStates s = new MemberStates();
        s.decodeFrom(bytes, FORMAT_V1);
        return s;
    }

    @Override
    protected String what() {
        return "member state";
    }

    @Override
    protected int bytesPerEntry() {
        return 112;
    }

    @Override
    protected void writeEntry(DataOutputSerializer out, MemberState st, byte format) throws IOException {
        write(out, st);
    }

    @Override
    protected MemberState readEntry(DataInputDeserializer in, byte format) throws IOException {
        return read(in);
    }

    // Times are written relative to the state's last event: they lie within days of it.
    private static void write(DataOutputSerializer out, MemberState st) throws IOException {
        long base = st.getLastEvent();
        Compact.writeVarLong(out, (st.isMember() ? 1L : 0L) | (long) st.getRetained() << 1);
        Compact.writeTime(out, base, 0);
        Compact.writeTime(out, st.getLastActive(), base);
        Compact.writeTime(out, st.getLastSpeak(), base);
        Compact.writeTime(out, st.getLastPaid(), base);
        Compact.writeTime(out, st.getPrevPaid(), base);
        Compact.writeTime(out, st.getJoinDay(), base);
        long[] slots = st.getSlots();
        Compact.writeVarLong(out, slots.length);
        for (long packed : slots) {
            // window index << 16 | mask; 0 = never counted, else index + 1 and the mask
            Compact.writeVarLong(out, packed == 0 ? 0 : (packed >>> 16) + 1);
            if (packed != 0) {
                Compact.writeVarLong(out, packed & 0xFFFFL);
            }
        }
        writeTimes(out, st.getInSince(), base);
        writeTimes(out, st.getPrevExit(), base);
    }

    private static MemberState read(DataInputDeserializer in) throws IOException {
        MemberState st = new MemberState();
        long flags = Compact.readVarLong(in);
        st.setMember((flags & 1) != 0);
        st.setRetained((int) (flags >>> 1));
        long base = Compact.readTime(in, 0);
        st.setLastEvent(base);
        st.setLastActive(Compact.readTime(in, base));
        st.setLastSpeak(Compact.readTime(in, base));
        st.setLastPaid(Compact.readTime(in, base));
        st.setPrevPaid(Compact.readTime(in, base));
        st.setJoinDay(Compact.readTime(in, base));
        long[] slots = new long[(int) Compact.readVarLong(in)];
        for (int i = 0; i < slots.length; i++) {
            long index = Compact.readVarLong(in);
            slots[i] = index == 0 ? 0 : (index - 1) << 16 | Compact.readVarLong(in);
        }
        st.setSlots(slots);
        st.setInSince(readTimes(in, base));
        st.setPrevExit(readTimes(in, base));
        return st;
    }

    private static void writeTimes(DataOutputSerializer out, long[] times, long base) throws IOException {
        Compact.writeVarLong(out, times.length);
        for (long t : times) {
            Compact.writeTime(out, t, base);
        }
    }

    private static long[] readTimes(DataInputDeserializer in, long base) throws IOException {
        long[] times = new long[(int) Compact.readVarLong(in)];
        for (int i = 0; i < times.length; i++) {
            times[i] = Compact.readTime(in, base);
        }
        return times;
    }
}
