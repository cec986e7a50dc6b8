package com.communitypulse.metrics;

import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What a checkpoint records of {@link WindowPartialSerializer}: the names of the count slots, since
 * a count is written by its position in {@link WindowAccumulator#NAMES}.
 *
 * <p>Compatibility with the serializer of a restored checkpoint: as is when the recorded names are
 * the current ones or a prefix of them (metrics appended since: their slots read as 0);
 * incompatible when a slot was removed, renamed or moved, because an old record would put its
 * counts under other names.
 */
public final class WindowPartialSerializerSnapshot implements TypeSerializerSnapshot<WindowPartial> {
    private static final int VERSION = 1;

    private String[] slots;

    /** For Flink, which instantiates snapshots reflectively and then calls {@link #readSnapshot}. */
    public WindowPartialSerializerSnapshot() {}

    WindowPartialSerializerSnapshot(String[] slots) {
        this.slots = slots.clone();
    }

    @Override
    public int getCurrentVersion() {
        return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        out.writeInt(slots.length);
        for (String s : slots) {
            out.writeUTF(s);
        }
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
        if (readVersion != VERSION) {
            throw new IOException("WindowPartialSerializerSnapshot version " + readVersion + " is unknown to this version of the job (reads " + VERSION + ")");
        }
        slots = new String[in.readInt()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = in.readUTF();
        }
    }

    @Override
    public TypeSerializer<WindowPartial> restoreSerializer() {
        return WindowPartialSerializer.INSTANCE;
    }

    /** Called on the snapshot of the new serializer with the snapshot found in the checkpoint. */
    @Override
    public TypeSerializerSchemaCompatibility<WindowPartial> resolveSchemaCompatibility(TypeSerializerSnapshot<WindowPartial> oldSnapshot) {
        if (!(oldSnapshot instanceof WindowPartialSerializerSnapshot old)) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        boolean prefix = old.slots.length <= slots.length && Arrays.equals(old.slots, Arrays.copyOf(slots, old.slots.length));
        return prefix ? TypeSerializerSchemaCompatibility.compatibleAsIs() : TypeSerializerSchemaCompatibility.incompatible();
    }
}
