package com.communitypulse.metrics;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink's type of {@link WindowPartial}: serialized by {@link WindowPartialSerializer}, never by
 * Kryo (a partial has no default constructor and final fields, so it is no POJO). Found by type
 * extraction through {@link Factory} (the {@code @TypeInfo} on WindowPartial) as well.
 *
 * <p>Not a key type: streams of partials are keyed by their community id, never by a whole partial.
 */
public final class WindowPartialTypeInfo extends TypeInformation<WindowPartial> {
    private static final long serialVersionUID = 1L;

    public static final WindowPartialTypeInfo INSTANCE = new WindowPartialTypeInfo();

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
    public Class<WindowPartial> getTypeClass() {
        return WindowPartial.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<WindowPartial> createSerializer(SerializerConfig config) {
        return WindowPartialSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "WindowPartial(WindowPartialSerializer)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowPartialTypeInfo;
    }

    @Override
    public int hashCode() {
        return WindowPartialTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof WindowPartialTypeInfo;
    }

    /** Named by {@code @TypeInfo} on {@link WindowPartial}; instantiated reflectively by Flink's type extraction. */
    public static final class Factory extends TypeInfoFactory<WindowPartial> {
        @Override
        public TypeInformation<WindowPartial> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }
}
