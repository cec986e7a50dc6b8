package com.communitypulse.events;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink's type of {@link PulseEvent}: serialized by {@link PulseEventSerializer}. Found by type
 * extraction through {@link Factory} (the {@code @TypeInfo} on PulseEvent), so
 * {@code TypeInformation.of(PulseEvent.class)}, state descriptors taking the class, operator output
 * types, side outputs and POJOs with a PulseEvent field all get it without naming it.
 *
 * <p>Not a key type: nothing keys by a whole event, and a key type would have to promise a stable
 * hash and comparator for it.
 */
public final class PulseEventTypeInfo extends TypeInformation<PulseEvent> {
    private static final long serialVersionUID = 1L;

    public static final PulseEventTypeInfo INSTANCE = new PulseEventTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<PulseEvent> getTypeClass() {
        return PulseEvent.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<PulseEvent> createSerializer(SerializerConfig config) {
        return PulseEventSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "PulseEvent(PulseEventSerializer)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PulseEventTypeInfo;
    }

    @Override
    public int hashCode() {
        return PulseEventTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof PulseEventTypeInfo;
    }

    /** Named by {@code @TypeInfo} on {@link PulseEvent}; instantiated reflectively by Flink's type extraction. */
    public static final class Factory extends TypeInfoFactory<PulseEvent> {
        @Override
        public TypeInformation<PulseEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }
}
