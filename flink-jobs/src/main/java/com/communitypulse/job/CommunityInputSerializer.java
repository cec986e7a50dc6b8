package com.communitypulse.job;

import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link CommunityInput} on the wire: the kind's ordinal as one byte, then the value in the
 * serializer of its kind (one per {@link CommunityInput.Kind}, in that order). Only on the network
 * edge (and in unaligned checkpoints' in-flight data), never in keyed state.
 */
public final class CommunityInputSerializer extends TypeSerializer<CommunityInput> {
    private static final long serialVersionUID = 1L;
    private static final CommunityInput.Kind[] KINDS = CommunityInput.Kind.values();

    @SuppressWarnings("rawtypes")
    private final TypeSerializer[] byKind;

    CommunityInputSerializer(TypeSerializer<?>[] byKind) {
        if (byKind.length != KINDS.length) {
            throw new IllegalArgumentException("one serializer per kind " + Arrays.toString(KINDS) + ", got " + byKind.length);
        }
        this.byKind = byKind.clone();
    }

    TypeSerializer<?>[] serializers() {
        return byKind.clone();
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<CommunityInput> duplicate() {
        TypeSerializer<?>[] d = new TypeSerializer<?>[byKind.length];
        boolean same = true;
        for (int i = 0; i < d.length; i++) {
            d[i] = byKind[i].duplicate();
            same &= d[i] == byKind[i];
        }
        return same ? this : new CommunityInputSerializer(d);
    }

    @Override
    public CommunityInput createInstance() {
        return null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public CommunityInput copy(CommunityInput from) {
        return new CommunityInput(from.kind(), byKind[from.kind().ordinal()].copy(from.value()));
    }

    @Override
    public CommunityInput copy(CommunityInput from, CommunityInput reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void serialize(CommunityInput r, DataOutputView out) throws IOException {
        out.writeByte(r.kind().ordinal());
        byKind[r.kind().ordinal()].serialize(r.value(), out);
    }

    @Override
    public CommunityInput deserialize(DataInputView in) throws IOException {
        CommunityInput.Kind kind = kind(in.readUnsignedByte());
        return new CommunityInput(kind, byKind[kind.ordinal()].deserialize(in));
    }

    @Override
    public CommunityInput deserialize(CommunityInput reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        int tag = in.readUnsignedByte();
        out.writeByte(tag);
        byKind[kind(tag).ordinal()].copy(in, out);
    }

    private static CommunityInput.Kind kind(int tag) throws IOException {
        if (tag >= KINDS.length) {
            throw new IOException("community input of kind " + tag + ", this job knows " + Arrays.toString(KINDS)
                    + " (corrupt input, or written by a newer version of the job)");
        }
        return KINDS[tag];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommunityInputSerializer s && Arrays.equals(byKind, s.byKind);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(byKind);
    }

    @Override
    public TypeSerializerSnapshot<CommunityInput> snapshotConfiguration() {
        return new Snapshot(this);
    }

    /** The nested serializers, in kind order. */
    public static final class Snapshot extends CompositeTypeSerializerSnapshot<CommunityInput, CommunityInputSerializer> {
        private static final int VERSION = 1;

        /** For Flink, which instantiates snapshots reflectively. */
        public Snapshot() {}

        Snapshot(CommunityInputSerializer s) {
            super(s);
        }

        @Override
        protected int getCurrentOuterSnapshotVersion() {
            return VERSION;
        }

        @Override
        protected TypeSerializer<?>[] getNestedSerializers(CommunityInputSerializer outer) {
            return outer.serializers();
        }

        @Override
        protected CommunityInputSerializer createOuterSerializerWithNestedSerializers(TypeSerializer<?>[] nested) {
            return new CommunityInputSerializer(nested);
        }
    }
}
