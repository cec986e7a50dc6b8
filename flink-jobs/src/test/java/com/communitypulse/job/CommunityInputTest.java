package com.communitypulse.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.communitypulse.events.EventKind;
import com.communitypulse.events.PulseEvent;
import com.communitypulse.lifecycle.LifecycleRecord;
import com.communitypulse.lifecycle.LifecycleStage;
import com.communitypulse.metrics.GaugeDelta;
import com.communitypulse.metrics.RetentionDelta;
import com.communitypulse.metrics.WindowPartial;
import com.communitypulse.sentiment.ScoredMessage;
import com.communitypulse.sentiment.SentimentLabel;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The record of the one community shuffle: its serializer and the router behind the shuffle. */
class CommunityInputTest {
    private static final TypeSerializer<CommunityInput> SERIALIZER = CommunityInputTypeInfo.INSTANCE.createSerializer(new SerializerConfigImpl());

    /** One record of every kind, each with the community id {@code c<ordinal>}. */
    static List<CommunityInput> oneOfEach() {
        ScoredMessage m = new ScoredMessage("m1", "c4", "u1", 1_000L, null, -0.8, SentimentLabel.NEGATIVE,
                List.of("delivery"), List.of("late"), "*late*");
        PulseEvent reply = PulseEvent.message("e1", "c3", "u2", 2_000L, EventKind.REPLY, null);
        reply.setReplyToUser("u3");
        return List.of(
                CommunityInput.of(new WindowPartial("c0", 1, 60_000L, counts())),
                CommunityInput.of(new GaugeDelta("c1", 120_000L, 2, -1)),
                CommunityInput.of(new RetentionDelta("c2", 20_000L, 3)),
                CommunityInput.of(reply),
                CommunityInput.of(m),
                CommunityInput.of(new LifecycleRecord("c5", "u4", LifecycleStage.ACTIVE, LifecycleStage.AT_RISK, 3_000L, "silent")));
    }

    private static long[] counts() {
        long[] c = new long[com.communitypulse.metrics.WindowAccumulator.NAMES.length];
        c[0] = 3;
        c[2] = 1;
        return c;
    }

    @Test
    void everyKindSurvivesTheWireAndACopy() throws Exception {
        List<CommunityInput> all = oneOfEach();
        assertThat(all).extracting(CommunityInput::kind).containsExactly(CommunityInput.Kind.values());
        DataOutputSerializer out = new DataOutputSerializer(256);
        for (CommunityInput r : all) SERIALIZER.serialize(r, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (CommunityInput r : all) {
            CommunityInput back = SERIALIZER.deserialize(in);
            assertThat(back.kind()).isEqualTo(r.kind());
            assertThat(back.communityId()).isEqualTo(r.communityId()).isEqualTo("c" + r.kind().ordinal());
            assertSameValue(back.value(), r.value());
            CommunityInput copy = SERIALIZER.copy(r);
            assertThat(copy.value()).isNotSameAs(r.value());
            assertSameValue(copy.value(), r.value());
        }
        assertThat(in.available()).isZero();
    }

    @Test
    void anUnknownKindIsAnErrorThatSaysSo() {
        DataInputDeserializer in = new DataInputDeserializer(new byte[] {(byte) 99, 0, 0});
        assertThatThrownBy(() -> SERIALIZER.deserialize(in)).hasMessageContaining("community input of kind 99");
    }

    @Test
    void snapshotRestoresAnEqualSerializerThatIsCompatibleAsIs() throws Exception {
        TypeSerializerSnapshot<CommunityInput> snap = SERIALIZER.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snap);
        TypeSerializerSnapshot<CommunityInput> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(read.restoreSerializer()).isEqualTo(SERIALIZER);
        TypeSerializerSchemaCompatibility<CommunityInput> c = SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertThat(c.isCompatibleAsIs()).isTrue();
    }

    @Test
    void routerSendsPartialsOnTheMainOutputAndEveryOtherKindToItsOwnSideOutput() throws Exception {
        try (OneInputStreamOperatorTestHarness<CommunityInput, WindowPartial> h =
                     new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new CommunityRouter()))) {
            h.open();
            List<CommunityInput> all = oneOfEach();
            for (CommunityInput r : all) h.processElement(new StreamRecord<>(r, 10L));
            assertOne(values(h.extractOutputValues()), all.get(0).value());
            assertOne(side(h, CommunityRouter.GAUGE), all.get(1).value());
            assertOne(side(h, CommunityRouter.RETENTION), all.get(2).value());
            assertOne(side(h, CommunityRouter.ENGAGEMENT), all.get(3).value());
            assertOne(side(h, CommunityRouter.SCORED), all.get(4).value());
            assertOne(side(h, CommunityRouter.LIFECYCLE), all.get(5).value());
        }
    }

    private static void assertOne(List<Object> got, Object want) {
        assertThat(got).hasSize(1);
        assertSameValue(got.get(0), want);
    }

    /** Field by field (the value types have no equals of their own, or NaN fields). */
    private static void assertSameValue(Object got, Object want) {
        assertThat(got).hasSameClassAs(want).usingRecursiveComparison()
                .withComparatorForType(Double::compare, Double.class).isEqualTo(want);
    }

    private static List<Object> values(List<?> l) {
        return new ArrayList<>(l);
    }

    private static <T> List<Object> side(OneInputStreamOperatorTestHarness<CommunityInput, WindowPartial> h, org.apache.flink.util.OutputTag<T> tag) {
        List<Object> out = new ArrayList<>();
        var q = h.getSideOutput(tag);
        if (q != null) q.forEach(r -> out.add(r.getValue()));
        return out;
    }
}
