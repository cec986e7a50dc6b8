package com.communitypulse.state;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * One user's entries per community and the time of the user's one timer, kept as a single state
 * value in a compact, versioned format: the shape that member activity and the lifecycle both keep
 * per user (one read and one write per event or timer instead of a map state and a timer value).
 *
 * <p>Wire format: {@code [format byte][timer: Compact time, absent = none][entry count: var-long]}
 * then per community, in key order, {@code [UTF key][entry]}; the entry is the subclass's
 * {@link #writeEntry}. A value is read in any format from 1 up to the newest the subclass names;
 * a higher one was written by a newer release and is refused with a message that says so.
 *
 * <p>Entries are sorted by community so that what is derived from them (retirements, transitions,
 * deltas) comes out in the same order in every run.
 *
 * @param <V> the entry of one community
 */
public abstract class PerCommunity<V> {
    /** No timer registered. */
    public static final long NO_TIMER = Long.MAX_VALUE;

    private final TreeMap<String, V> byCommunity = new TreeMap<>();
    private long timer = NO_TIMER;

    public V get(String community) {
        return byCommunity.get(community);
    }

    public void put(String community, V entry) {
        byCommunity.put(community, entry);
    }

    public Iterable<Map.Entry<String, V>> entries() {
        return byCommunity.entrySet();
    }

    public void removeAll(Iterable<String> communities) {
        for (String c : communities) {
            byCommunity.remove(c);
        }
    }

    public boolean isEmpty() {
        return byCommunity.isEmpty();
    }

    public int size() {
        return byCommunity.size();
    }

    /** The user's one timer, or {@link #NO_TIMER}. */
    public long timer() {
        return timer;
    }

    public void setTimer(long t) {
        timer = t;
    }

    /** What the value holds, for error messages ("member state"). */
    protected abstract String what();

    /** Bytes to reserve per entry when encoding (a guess; the buffer grows when it is low). */
    protected abstract int bytesPerEntry();

    protected abstract void writeEntry(DataOutputSerializer out, V entry, byte format) throws IOException;

    protected abstract V readEntry(DataInputDeserializer in, byte format) throws IOException;

    /** The value in {@code format} (an older one only to write what an older release wrote, for restore tests). */
    public final byte[] encode(byte format) {
        DataOutputSerializer out = new DataOutputSerializer(16 + bytesPerEntry() * byCommunity.size());
        try {
            out.writeByte(format);
            Compact.writeTime(out, timer == NO_TIMER ? Compact.NONE : timer, 0);
            Compact.writeVarLong(out, byCommunity.size());
            for (Map.Entry<String, V> en : byCommunity.entrySet()) {
                out.writeUTF(en.getKey());
                writeEntry(out, en.getValue(), format);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + what(), e); // in-memory buffer: unreachable
        }
        return out.getCopyOfBuffer();
    }

    /** Fills this empty value from {@code bytes}, written in a format from 1 up to {@code newestFormat}. */
    protected final void decodeFrom(byte[] bytes, byte newestFormat) {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        try {
            byte format = in.readByte();
            if (format < 1 || format > newestFormat) {
                throw new IllegalStateException(what() + " written in format " + format + " by a newer community-pulse; "
                        + "restore this checkpoint with that release or later");
            }
            long t = Compact.readTime(in, 0);
            timer = t == Compact.NONE ? NO_TIMER : t;
            long n = Compact.readVarLong(in);
            for (long i = 0; i < n; i++) {
                String key = in.readUTF();
                byCommunity.put(key, readEntry(in, format));
            }
        } catch (IOException e) {
            throw new IllegalStateException("corrupt " + what() + " (" + bytes.length + " bytes)", e);
        }
    }
}
