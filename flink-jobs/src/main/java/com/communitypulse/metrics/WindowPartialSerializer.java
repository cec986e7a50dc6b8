package com.communitypulse.metrics;

import com.communitypulse.state.Compact;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The serializer of {@link WindowPartial} on the edge from the pre-aggregators to the community
 * windows: small by construction, since a partial exists for every active community and window at
 * every flush, and most of its counts are zero (a minute of a chat community has messages but
 * no orders).
 *
 * <p>Layout: a format byte ({@link #FORMAT_V1}), the community id as {@link StringValue} writes it,
 * the granularity (byte), the window start (signed variable-length), then the counts as
 * {@link #writeCounts} writes them. A typical partial takes 20 to 30 bytes, where the counts as
 * longs alone would take 168.
 */
public final class WindowPartialSerializer extends TypeSerializer<WindowPartial> {
    private static final long serialVersionUID = 1L;

    /** The first byte of every record: lets a later layout read records of this one (e.g. in-flight data of an unaligned checkpoint). */
    static final byte FORMAT_V1 = 1;
    private static final int SLOTS = WindowAccumulator.NAMES.length;

    static {
        if (SLOTS > 63) {
            throw new IllegalStateException("the non-zero mask of window counts holds 63 slots, WindowAccumulator has " + SLOTS);
        }
    }

    public static final WindowPartialSerializer INSTANCE = new WindowPartialSerializer();

    private WindowPartialSerializer() {}

    /**
     * Counts as a mask of the non-zero slots (variable-length) followed by those values, each
     * zig-zag variable-length (the GMV slot is negative when refunds outweigh orders). Also the
     * counts layout of {@link CommunityWindowsOperator}'s keyed state.
     */
    static void writeCounts(long[] counts, DataOutputView out) throws IOException {
        long mask = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) mask |= 1L << i;
        }
        Compact.writeVarLong(out, mask);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) Compact.writeSigned(out, counts[i]);
        }
    }

    static long[] readCounts(DataInputView in) throws IOException {
        long mask = Compact.readVarLong(in);
        if ((mask >>> SLOTS) != 0) {
            throw new IOException("window counts with slot mask " + Long.toBinaryString(mask) + ", this job knows " + SLOTS + " slots"
                    + " (corrupt input, or written by a newer version of the job)");
        }
        long[] counts = new long[SLOTS];
        for (int i = 0; i < SLOTS; i++) {
            if ((mask & (1L << i)) != 0) counts[i] = Compact.readSigned(in);
        }
        return counts;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    /** Holds no mutable state, so one instance serves every thread. */
    @Override
    public TypeSerializer<WindowPartial> duplicate() {
        return this;
    }

    @Override
    public WindowPartial createInstance() {
        return new WindowPartial("", Granularity.BASE, 0, new long[SLOTS]);
    }

    @Override
    public WindowPartial copy(WindowPartial from) {
        return new WindowPartial(from.getCommunityId(), from.getGranularity(), from.getWindowStart(), from.getCounts().clone());
    }

    @Override
    public WindowPartial copy(WindowPartial from, WindowPartial reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(WindowPartial p, DataOutputView out) throws IOException {
        out.writeByte(FORMAT_V1);
        StringValue.writeString(p.getCommunityId(), out);
        out.writeByte(p.getGranularity());
        Compact.writeSigned(out, p.getWindowStart());
        writeCounts(p.getCounts(), out);
    }

    @Override
    public WindowPartial deserialize(DataInputView in) throws IOException {
        byte format = in.readByte();
        if (format != FORMAT_V1) {
            throw new IOException("WindowPartial record in format " + format + ", this serializer reads format " + FORMAT_V1
                    + " (corrupt input, or written by a newer version of the job)");
        }
        String community = StringValue.readString(in);
        int g = in.readUnsignedByte();
        if (g >= Granularity.COUNT) {
            throw new IOException("WindowPartial of granularity " + g + ", this job knows " + Granularity.COUNT);
        }
        long start = Compact.readSigned(in);
        return new WindowPartial(community, g, start, readCounts(in));
    }

    /** Partials are final: {@code reuse} cannot be filled in. */
    @Override
    public WindowPartial deserialize(WindowPartial reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowPartialSerializer;
    }

    @Override
    public int hashCode() {
        return WindowPartialSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<WindowPartial> snapshotConfiguration() {
        return new WindowPartialSerializerSnapshot(WindowAccumulator.NAMES);
    }
}
