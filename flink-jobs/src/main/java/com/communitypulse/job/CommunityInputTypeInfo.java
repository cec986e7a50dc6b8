package com.communitypulse.job;

import com.communitypulse.events.PulseEventTypeInfo;
import com.communitypulse.lifecycle.LifecycleRecord;
import com.communitypulse.metrics.GaugeDelta;
import com.communitypulse.metrics.RetentionDelta;
import com.communitypulse.metrics.WindowPartialTypeInfo;
import com.communitypulse.sentiment.ScoredMessage;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's type of {@link CommunityInput}: each kind in its own type's serializer (no Kryo). */
public final class CommunityInputTypeInfo extends TypeInformation<CommunityInput> {
    private static final long serialVersionUID = 1L;
    public static final CommunityInputTypeInfo INSTANCE = new CommunityInputTypeInfo();

    /** The type of each {@link CommunityInput.Kind}, in kind order. */
    static final List<TypeInformation<?>> BY_KIND = List.of(WindowPartialTypeInfo.INSTANCE, TypeInformation.of(GaugeDelta.class),
            TypeInformation.of(RetentionDelta.class), PulseEventTypeInfo.INSTANCE, TypeInformation.of(ScoredMessage.class),
            TypeInformation.of(LifecycleRecord.class));

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
    public Class<CommunityInput> getTypeClass() {
        return CommunityInput.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<CommunityInput> createSerializer(SerializerConfig config) {
        TypeSerializer<?>[] s = new TypeSerializer<?>[BY_KIND.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = BY_KIND.get(i).createSerializer(config);
        }
        return new CommunityInputSerializer(s);
    }

    @Override
    public String toString() {
        return "CommunityInput" + BY_KIND;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommunityInputTypeInfo;
    }

    @Override
    public int hashCode() {
        return CommunityInputTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof CommunityInputTypeInfo;
    }
}
