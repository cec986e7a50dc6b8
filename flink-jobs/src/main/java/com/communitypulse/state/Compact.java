package com.communitypulse.state;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Building blocks of the hand-written keyed-state values (per-user member activity and lifecycle):
 * variable-length numbers, so that the many small numbers (counts, day gaps, times a few days
 * apart) take one to five bytes instead of eight, and absent times ({@link #NONE}) take one.
 * RocksDB stores every state value as bytes anyway; writing them directly also skips Flink's
 * reflective POJO serializer, and a format byte in front of each value lets the layout evolve.
 */
public final class Compact {
    /** The "no time" marker of the state classes. */
    public static final long NONE = Long.MIN_VALUE;

    private Compact() {}

    public static void writeVarLong(DataOutputView out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    public static long readVarLong(DataInputView in) throws IOException {
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

    /** A signed number, small in magnitude → few bytes. */
    public static void writeSigned(DataOutputView out, long v) throws IOException {
        writeVarLong(out, (v << 1) ^ (v >> 63));
    }

    public static long readSigned(DataInputView in) throws IOException {
        long v = readVarLong(in);
        return (v >>> 1) ^ -(v & 1);
    }

    /** A time or {@link #NONE}, relative to {@code base} (another time of the same value, or 0). */
    public static void writeTime(DataOutputView out, long t, long base) throws IOException {
        if (t == NONE) {
            out.writeByte(0);
        } else {
            writeVarLong(out, zigzag(t - (base == NONE ? 0 : base)) + 1);
        }
    }

    public static long readTime(DataInputView in, long base) throws IOException {
        long v = readVarLong(in);
        return v == 0 ? NONE : unzigzag(v - 1) + (base == NONE ? 0 : base);
    }

    /** An int array, each element as the difference to the one before (ascending days → one byte each). */
    public static void writeInts(DataOutputView out, int[] a) throws IOException {
        writeVarLong(out, a.length);
        long prev = 0;
        for (int v : a) {
            writeSigned(out, v - prev);
            prev = v;
        }
    }

    public static int[] readInts(DataInputView in) throws IOException {
        int[] a = new int[(int) readVarLong(in)];
        long prev = 0;
        for (int i = 0; i < a.length; i++) {
            prev += readSigned(in);
            a[i] = (int) prev;
        }
        return a;
    }

    /** Checks the format byte in front of a value. */
    public static void expectFormat(DataInputView in, byte expected, String what) throws IOException {
        byte format = in.readByte();
        if (format != expected) {
            throw new IllegalStateException(what + " written in format " + format + " by a newer community-pulse; "
                    + "restore this checkpoint with that release or later");
        }
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }
}
