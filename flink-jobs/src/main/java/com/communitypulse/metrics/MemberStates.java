package com.communitypulse.metrics;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Everything {@link MemberActivityFunction} keeps for one user between events: one {@link MemberState}
 * per community plus one for {@code "*"}, and the time of the user's one retirement timer.
 *
 * <p>Stored as a single RocksDB value in a compact hand-written format instead of a map state of
 * POJOs: one read and one write per timer instead of a read-modify-write per community, an
 * iterator per retirement and a separate timer value (the profile's largest share of the
 * per-user chain), and about a third of the bytes (times relative to the state's last event,
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
            writeVarLong(out, nextTimer == NO_TIMER ? 0 : zigzag(nextTimer) + 1);
            writeVarLong(out, byCommunity.size());
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
            byte format = in.readByte();
            if (format != FORMAT_V1) {
                throw new IllegalStateException("member state written in format " + format + " by a newer community-pulse; "
                        + "restore this checkpoint with that release or later");
            }
            MemberStates s = new MemberStates();
            long t = readVarLong(in);
            s.nextTimer = t == 0 ? NO_TIMER : unzigzag(t - 1);
            long n = readVarLong(in);
            for (long i = 0; i < n; i++) {
                String key = in.readUTF();
                s.byCommunity.put(key, read(in));
            }
            return s;
        } catch (IOException e) {
            throw new IllegalStateException("corrupt member state (" + bytes.length + " bytes)", e);
        }
    }

    // Times are written relative to the state's last event: they lie within days of it, so they
    // take 4–5 bytes instead of 8; MemberState.NONE takes one.
    private static void write(DataOutputSerializer out, MemberState st) throws IOException {
        long base = st.getLastEvent();
        writeVarLong(out, (st.isMember() ? 1L : 0L) | (long) st.getRetained() << 1);
        writeVarLong(out, base == MemberState.NONE ? 0 : zigzag(base) + 1);
        writeTime(out, st.getLastActive(), base);
        writeTime(out, st.getLastSpeak(), base);
        writeTime(out, st.getLastPaid(), base);
        writeTime(out, st.getPrevPaid(), base);
        writeTime(out, st.getJoinDay(), base);
        long[] slots = st.getSlots();
        writeVarLong(out, slots.length);
        for (long packed : slots) {
            // window index << 16 | mask; 0 = never counted, else index + 1 and the mask
            writeVarLong(out, packed == 0 ? 0 : (packed >>> 16) + 1);
            if (packed != 0) {
                writeVarLong(out, packed & 0xFFFFL);
            }
        }
        writeTimes(out, st.getInSince(), base);
        writeTimes(out, st.getPrevExit(), base);
    }

    private static MemberState read(DataInputDeserializer in) throws IOException {
        MemberState st = new MemberState();
        long flags = readVarLong(in);
        st.setMember((flags & 1) != 0);
        st.setRetained((int) (flags >>> 1));
        long b = readVarLong(in);
        long base = b == 0 ? MemberState.NONE : unzigzag(b - 1);
        st.setLastEvent(base);
        st.setLastActive(readTime(in, base));
        st.setLastSpeak(readTime(in, base));
        st.setLastPaid(readTime(in, base));
        st.setPrevPaid(readTime(in, base));
        st.setJoinDay(readTime(in, base));
        long[] slots = new long[(int) readVarLong(in)];
        for (int i = 0; i < slots.length; i++) {
            long index = readVarLong(in);
            slots[i] = index == 0 ? 0 : (index - 1) << 16 | readVarLong(in);
        }
        st.setSlots(slots);
        st.setInSince(readTimes(in, base));
        st.setPrevExit(readTimes(in, base));
        return st;
    }

    private static void writeTimes(DataOutputSerializer out, long[] times, long base) throws IOException {
        writeVarLong(out, times.length);
        for (long t : times) {
            writeTime(out, t, base);
        }
    }

    private static long[] readTimes(DataInputDeserializer in, long base) throws IOException {
        long[] times = new long[(int) readVarLong(in)];
        for (int i = 0; i < times.length; i++) {
            times[i] = readTime(in, base);
        }
        return times;
    }

    private static void writeTime(DataOutputSerializer out, long t, long base) throws IOException {
        writeVarLong(out, t == MemberState.NONE ? 0 : zigzag(t - (base == MemberState.NONE ? 0 : base)) + 1);
    }

    private static long readTime(DataInputDeserializer in, long base) throws IOException {
        long v = readVarLong(in);
        return v == 0 ? MemberState.NONE : unzigzag(v - 1) + (base == MemberState.NONE ? 0 : base);
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    static void writeVarLong(DataOutputSerializer out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    static long readVarLong(DataInputDeserializer in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("malformed variable-length number");
    }
}
