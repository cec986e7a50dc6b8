package com.communitypulse.events;

import com.communitypulse.events.PulseEventSerializer.EnumCodec;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What a checkpoint records of {@link PulseEventSerializer}: the constant names behind each enum
 * code, so that state written before an enum changed can still be read.
 *
 * <p>Compatibility with the serializer of a restored checkpoint or savepoint:
 * <ul>
 *   <li>this snapshot, enums unchanged or only appended to: as is;</li>
 *   <li>this snapshot, a constant moved (codes shift): after migration, reading with the recorded
 *       lists; a constant removed: incompatible, its records could not be read;</li>
 *   <li>Flink's PojoSerializer (savepoints up to 0.1.0, before this serializer): after migration.
 *       The RocksDB backend then reads every value of the state with the POJO serializer restored
 *       from its snapshot and writes it back with this one, when the state is first registered.</li>
 * </ul>
 */
public final class PulseEventSerializerSnapshot implements TypeSerializerSnapshot<PulseEvent> {
    private static final int VERSION = 1;

    private String[] types;
    private String[] kinds;
    private String[] roles;
    private String[] attributions;

    /** For Flink, which instantiates snapshots reflectively and then calls {@link #readSnapshot}. */
    public PulseEventSerializerSnapshot() {}

    PulseEventSerializerSnapshot(PulseEventSerializer s) {
        this.types = s.types.names;
        this.kinds = s.kinds.names;
        this.roles = s.roles.names;
        this.attributions = s.attributions.names;
    }

    @Override
    public int getCurrentVersion() {
        return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        for (String[] names : new String[][] {types, kinds, roles, attributions}) {
            out.writeInt(names.length);
            for (String n : names) {
                out.writeUTF(n);
            }
        }
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
        if (readVersion != VERSION) {
            throw new IOException("PulseEventSerializerSnapshot version " + readVersion + " is unknown to this version of the job (reads " + VERSION + ")");
        }
        types = readNames(in);
        kinds = readNames(in);
        roles = readNames(in);
        attributions = readNames(in);
    }

    private static String[] readNames(DataInputView in) throws IOException {
        String[] names = new String[in.readInt()];
        for (int i = 0; i < names.length; i++) {
            names[i] = in.readUTF();
        }
        return names;
    }

    @Override
    public TypeSerializer<PulseEvent> restoreSerializer() {
        PulseEventSerializer restored = new PulseEventSerializer(new EnumCodec<>(EventType.class, types), new EnumCodec<>(EventKind.class, kinds),
                new EnumCodec<>(MemberRole.class, roles), new EnumCodec<>(PulseEvent.Attribution.class, attributions));
        return restored.equals(PulseEventSerializer.INSTANCE) ? PulseEventSerializer.INSTANCE : restored;
    }

    /** Called on the snapshot of the new serializer with the snapshot found in the checkpoint. */
    @Override
    public TypeSerializerSchemaCompatibility<PulseEvent> resolveSchemaCompatibility(TypeSerializerSnapshot<PulseEvent> oldSnapshot) {
        if (oldSnapshot instanceof PojoSerializerSnapshot) {
            return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
        if (!(oldSnapshot instanceof PulseEventSerializerSnapshot)) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        PulseEventSerializer old = (PulseEventSerializer) oldSnapshot.restoreSerializer();
        if (!old.types.canDecode() || !old.kinds.canDecode() || !old.roles.canDecode() || !old.attributions.canDecode()) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        if (old.types.isPrefixOf(types) && old.kinds.isPrefixOf(kinds) && old.roles.isPrefixOf(roles) && old.attributions.isPrefixOf(attributions)) {
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
        return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
    }
}
