package com.communitypulse.metrics;

import com.communitypulse.state.Compact;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The open windows of one community in {@link CommunityWindowsOperator}, and their keyed-state
 * value. A community has a handful (the base windows within the allowed lateness, an hour or two,
 * a day or two), so a list searched from its newest end beats a map.
 *
 * <p>Value layout, format 1: the format byte, the number of windows, then per window its
 * granularity (byte), its start (zig-zag, relative to the previous window's start), its length,
 * {@code nextRevision << 1 | pending}, and its counts as {@link WindowPartialSerializer#writeCounts}
 * writes them. The length is kept because a restored window must end where it ended when it
 * opened, even if the base window size was reconfigured in between.
 */
final class OpenWindows {
    private static final byte FORMAT_V1 = 1;

    final String community;
    private final List<Window> windows = new ArrayList<>(4);

    OpenWindows(String community) {
        this.community = community;
    }

    /** One window: its counts so far and where it stands in its firing sequence. */
    static final class Window {
        final OpenWindows owner;
        final int g;
        final long start;
        final long end;
        final long[] counts = new long[WindowAccumulator.NAMES.length];
        /** Revision of the next record: 0 until the window first fires. */
        long nextRevision;
        /** Waits for the watermark to reach its end (and is in the operator's queue of windows to fire). */
        boolean pending;

        Window(OpenWindows owner, int g, long start, long end) {
            this.owner = owner;
            this.g = g;
            this.start = start;
            this.end = end;
        }

        long maxTimestamp() {
            return end - 1;
        }

        void add(long[] more) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] += more[i];
            }
        }
    }

    Window find(int g, long start, long end) {
        for (int i = windows.size() - 1; i >= 0; i--) {
            Window w = windows.get(i);
            if (w.start == start && w.g == g && w.end == end) {
                return w;
            }
        }
        return null;
    }

    Window open(int g, long start, long end) {
        Window w = new Window(this, g, start, end);
        windows.add(w);
        return w;
    }

    void remove(Window w) {
        for (int i = 0; i < windows.size(); i++) {
            if (windows.get(i) == w) {
                windows.remove(i);
                return;
            }
        }
    }

    List<Window> windows() {
        return windows;
    }

    boolean isEmpty() {
        return windows.isEmpty();
    }

    byte[] encode() {
        DataOutputSerializer out = new DataOutputSerializer(8 + 24 * windows.size());
        try {
            out.writeByte(FORMAT_V1);
            Compact.writeVarLong(out, windows.size());
            long prevStart = 0;
            for (Window w : windows) {
                out.writeByte(w.g);
                Compact.writeSigned(out, w.start - prevStart);
                Compact.writeVarLong(out, w.end - w.start);
                Compact.writeVarLong(out, w.nextRevision << 1 | (w.pending ? 1 : 0));
                WindowPartialSerializer.writeCounts(w.counts, out);
                prevStart = w.start;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the open windows of " + community, e); // in-memory buffer: unreachable
        }
        return out.getCopyOfBuffer();
    }

    static OpenWindows decode(String community, byte[] bytes) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        Compact.expectFormat(in, FORMAT_V1, "the open windows of community " + community);
        OpenWindows ws = new OpenWindows(community);
        long n = Compact.readVarLong(in);
        long prevStart = 0;
        for (long i = 0; i < n; i++) {
            int g = in.readUnsignedByte();
            long start = prevStart + Compact.readSigned(in);
            long end = start + Compact.readVarLong(in);
            Window w = ws.open(g, start, end);
            long rev = Compact.readVarLong(in);
            w.nextRevision = rev >>> 1;
            w.pending = (rev & 1) != 0;
            System.arraycopy(WindowPartialSerializer.readCounts(in), 0, w.counts, 0, w.counts.length);
            prevStart = start;
        }
        return ws;
    }
}
