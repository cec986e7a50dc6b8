package com.communitypulse.metrics;

import com.communitypulse.state.Compact;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
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
 * absent times and empty window slots in one byte).
 */
final class MemberStates {
    /** No retirement timer is registered. */
    static final long NO_TIMER = Long.MAX_VALUE;
    private static final byte FORMAT_V1 = 1;

    /** Sorted, so retirements and their deltas come out in the same order in every run. */
    private final TreeMap<String, MemberState> byCommunity = new TreeMap<>();
    private long nextTimer = NO_TIMER;

    MemberState get(String community) {
        return byCommunity.get(community);
    }

    MemberState getOrCreate(String community) {
        return byCommunity.computeIfAbsent(community, c -> new MemberState());
    }

    void put(String community, MemberState st) {
        byCommunity.put(community, st);
    }

    Iterable<Map.Entry<String, MemberState>> entries() {
        return byCommunity.entrySet();
    }

    void removeAll(Iterable<String> communities) {
        for (String c : communities) {
            byCommunity.remove(c);
        }
    }

    boolean isEmpty() {
        return byCommunity.isEmpty();
    }

    int size() {
        return byCommunity.size();
    }

    long nextTimer() {
        return nextTimer;
    }

    void setNextTimer(long t) {
        nextTimer = t;
    }

    byte[] encode() {
        DataOutputSerializer out = new DataOutputSerializer(16 + 112 * byCommunity.size());
        try {
            out.writeByte(FORMAT_V1);
            Compact.writeTime(out, nextTimer == NO_TIMER ? Compact.NONE : nextTimer, 0);
            Compact.writeVarLong(out, byCommunity.size());
            for (Map.Entry<String, MemberState> en : byCommunity.entrySet()) {
                out.writeUTF(en.getKey());
                write(out, en.getValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode member state", e); // in-memory buffer: unreachable
        }
        return out.getCopyOfBuffer();
    }

    static MemberStates decode(byte[] bytes) {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        try {
            Compact.expectFormat(in, FORMAT_V1, "member state");
            MemberStates s = new MemberStates();
            long t = Compact.readTime(in, 0);
            s.nextTimer = t == Compact.NONE ? NO_TIMER : t;
            long n = Compact.readVarLong(in);
            for (long i = 0; i < n; i++) {
                String key = in.readUTF();
                s.byCommunity.put(key, read(in));
            }
            return s;
        } catch (IOException e) {
            throw new IllegalStateException("corrupt member state (" + bytes.length + " bytes)", e);
        }
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
