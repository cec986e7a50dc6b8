package com.communitypulse.events;

import static com.communitypulse.testutils.Instants.BEGINNING;
import static com.communitypulse.testutils.Instants.ONE_DAY;
import static com.communitypulse.testutils.Instants.ONE_MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.communitypulse.events.PulseEvent.Attribution;
import com.communitypulse.events.PulseEventSerializer.EnumCodec;
import com.communitypulse.job.PulseTopology;
import com.communitypulse.metrics.AttributionOperator;
import com.communitypulse.testutils.Events;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.TypeExtractor;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

class PulseEventSerializerTest {
    private static final PulseEventSerializer SERIALIZER = PulseEventSerializer.INSTANCE;

    // ---------------------------------------------------------------- events

    private static PulseEvent fullMessage() {
        PulseEvent e = PulseEvent.message("m1", "c1", "u1", BEGINNING, EventKind.REPLY, "thanks, 很好 👍")
                .withReplyTo("u2").withRole(MemberRole.STAFF).withLang("zh");
        e.setSentiment((byte) 1);
        e.setTouches(0b1011);
        return e;
    }

    private static PulseEvent fullClick() {
        PulseEvent e = PulseEvent.click("k1", "u1", BEGINNING + ONE_MINUTE, EventKind.ADD_TO_CART, "item-7", "c1", "s1");
        e.setAttribution(Attribution.SHARE_ID);
        e.setTouches(Integer.MIN_VALUE);
        return e;
    }

    private static PulseEvent fullOrder() {
        PulseEvent e = PulseEvent.order("p1", "o1", "u1", BEGINNING + ONE_DAY, EventKind.REFUNDED, Long.MAX_VALUE, "CNY", "c1", "s1");
        e.setAttribution(Attribution.UNATTRIBUTED);
        e.setSentiment((byte) -1);
        return e;
    }

    /** Only what the type requires: every optional field null or 0. */
    private static List<PulseEvent> sparseEvents() {
        PulseEvent message = PulseEvent.message("m2", null, "u1", -1L, EventKind.JOIN, null);
        message.setRole(null);
        return List.of(message,
                PulseEvent.click("k2", "u1", 0L, EventKind.VIEW, null, null, null),
                PulseEvent.order("p2", "o2", "u1", Long.MIN_VALUE, EventKind.PAID, 0, null, null, null),
                new PulseEvent());
    }

    // ---------------------------------------------------------------- round trips

    @Test
    void shouldRoundTripEveryEventTypeWhenAllFieldsAreSet() throws IOException {
        for (PulseEvent e : List.of(fullMessage(), fullClick(), fullOrder())) {
            assertSameFields(roundTrip(e), e);
        }
    }

    @Test
    void shouldRoundTripNullsAsNullWhenOptionalFieldsAreAbsent() throws IOException {
        for (PulseEvent e : sparseEvents()) {
            PulseEvent back = roundTrip(e);
            assertSameFields(back, e);
        }
        PulseEvent empty = roundTrip(new PulseEvent());
        assertThat(empty.getEventId()).isNull();
        assertThat(empty.getText()).isNull();
        assertThat(empty.getSentiment()).isEqualTo(PulseEvent.UNSCORED);
    }

    @Test
    void shouldKeepEmptyStringsEmptyWhenRoundTripped() throws IOException {
        PulseEvent e = PulseEvent.message("", "", "", BEGINNING, EventKind.POST, "").withLang("").withReplyTo("");
        PulseEvent back = roundTrip(e);
        assertThat(back.getEventId()).isEmpty();
        assertThat(back.getText()).isEmpty();
        assertThat(back.getLang()).isEmpty();
        assertSameFields(back, e);
    }

    @Test
    void shouldRoundTripEveryEnumConstantWhenSetOnAnEvent() throws IOException {
        for (EventKind k : EventKind.values()) {
            PulseEvent e = new PulseEvent();
            e.setKind(k);
            e.setType(k.type());
            assertSameFields(roundTrip(e), e);
        }
        for (MemberRole r : MemberRole.values()) {
            assertSameFields(roundTrip(fullMessage().withRole(r)), fullMessage().withRole(r));
        }
        for (Attribution a : Attribution.values()) {
            PulseEvent e = fullOrder();
            e.setAttribution(a);
            assertSameFields(roundTrip(e), e);
        }
    }

    @Test
    void shouldKeepLongTextWhenBeyondWriteUtfLimit() throws IOException {
        String text = "长".repeat(70_000); // 210 kB in UTF-8: more than writeUTF could take
        PulseEvent e = PulseEvent.message("m1", "c1", "u1", BEGINNING, EventKind.POST, text);
        assertThat(roundTrip(e).getText()).isEqualTo(text);
    }

    /**
     * Fails when PulseEvent gains a field the serializer does not carry: every declared instance
     * field, set alone and all together to a value other than its default, must come back.
     */
    @Test
    void shouldPreserveEveryDeclaredFieldWhenSetAloneOrTogether() throws Exception {
        PulseEvent all = new PulseEvent();
        PulseEvent defaults = new PulseEvent();
        List<Field> fields = instanceFields();
        assertThat(fields).as("fields of PulseEvent").hasSizeGreaterThanOrEqualTo(18);
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            Object value = nonDefaultValue(f, i);
            assertThat(value).as(f.getName()).isNotEqualTo(f.get(defaults));
            PulseEvent alone = new PulseEvent();
            f.set(alone, value);
            f.set(all, value);
            assertSameFields(roundTrip(alone), alone);
            assertSameFields(SERIALIZER.copy(alone), alone);
        }
        assertSameFields(roundTrip(all), all);
        assertSameFields(SERIALIZER.copy(all), all);
        assertSameFields(SERIALIZER.deserialize(fullMessage(), new DataInputDeserializer(bytes(all))), all);
    }

    @Test
    void shouldNeverFillTheReusedInstanceSinceOperatorsHoldEventsUnderObjectReuse() throws IOException {
        PulseEvent reuse = fullOrder();
        reuse.setText("stale");
        reuse.setTouches(5);
        PulseEvent before = reuse.copy();
        PulseEvent sparse = sparseEvents().get(0);
        PulseEvent back = SERIALIZER.deserialize(reuse, new DataInputDeserializer(bytes(sparse)));
        assertThat(back).isNotSameAs(reuse);
        assertSameFields(back, sparse);
        assertSameFields(reuse, before);
    }

    @Test
    void shouldCopyIndependentInstanceWhenCopied() {
        PulseEvent e = fullClick();
        PulseEvent c = SERIALIZER.copy(e);
        assertThat(c).isNotSameAs(e);
        assertSameFields(c, e);
        c.setCommunityId("other");
        assertThat(e.getCommunityId()).isEqualTo("c1");
        assertSameFields(SERIALIZER.copy(e, new PulseEvent()), e);
    }

    @Test
    void shouldCopyStreamByteForByteWhenCopyingSerializedRecords() throws IOException {
        List<PulseEvent> events = new ArrayList<>(List.of(fullMessage(), fullClick(), fullOrder()));
        events.addAll(sparseEvents());
        DataOutputSerializer source = new DataOutputSerializer(256);
        for (PulseEvent e : events) SERIALIZER.serialize(e, source);
        DataInputDeserializer in = new DataInputDeserializer(source.getCopyOfBuffer());
        DataOutputSerializer target = new DataOutputSerializer(256);
        for (int i = 0; i < events.size(); i++) SERIALIZER.copy(in, target);
        assertThat(in.available()).isZero();
        assertThat(target.getCopyOfBuffer()).isEqualTo(source.getCopyOfBuffer());
        DataInputDeserializer back = new DataInputDeserializer(target.getCopyOfBuffer());
        for (PulseEvent e : events) assertSameFields(SERIALIZER.deserialize(back), e);
    }

    @Test
    void shouldRejectRecordWhenFormatByteIsUnknown() throws IOException {
        byte[] b = bytes(fullMessage());
        b[0] = 9;
        assertThatThrownBy(() -> SERIALIZER.deserialize(new DataInputDeserializer(b)))
                .isInstanceOf(IOException.class).hasMessageContaining("format 9");
    }

    @Test
    void shouldWriteFewerBytesThanPojoSerializerWhenEventIsTypical() throws IOException {
        TypeSerializer<PulseEvent> pojo = pojoSerializer();
        for (PulseEvent e : List.of(Events.post("c1", "u1", BEGINNING), Events.click("u1", BEGINNING, "c1", null),
                Events.paid("o1", "u1", BEGINNING, 100, "c1", null))) {
            DataOutputSerializer out = new DataOutputSerializer(128);
            pojo.serialize(e, out);
            assertThat(bytes(e).length).as(e.toString()).isLessThan(out.length());
        }
    }

    // ---------------------------------------------------------------- type extraction

    @Test
    void shouldUseHandWrittenSerializerWhereverFlinkExtractsPulseEventType() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        assertThat(TypeInformation.of(PulseEvent.class)).isEqualTo(PulseEventTypeInfo.INSTANCE);
        assertThat(TypeExtractor.createTypeInfo(PulseEvent.class)).isEqualTo(PulseEventTypeInfo.INSTANCE);
        assertThat(TypeExtractor.getForObject(fullMessage())).isEqualTo(PulseEventTypeInfo.INSTANCE);
        assertThat(TypeInformation.of(PulseEvent.class).createSerializer(config)).isSameAs(SERIALIZER);

        // AttributionOperator's pending orders; MemberActivityOperator's pending events
        ListStateDescriptor<PulseEvent> list = new ListStateDescriptor<>("pending-orders", PulseEvent.class);
        list.initializeSerializerUnlessSet(new ExecutionConfig());
        assertThat(((ListSerializer<PulseEvent>) list.getSerializer()).getElementSerializer()).isSameAs(SERIALIZER);
        TypeSerializer<?> pending = Types.LIST(TypeInformation.of(PulseEvent.class)).createSerializer(config);
        assertThat(((ListSerializer<?>) pending).getElementSerializer()).isSameAs(SERIALIZER);

        // records that carry an event, and the window operator's late side output
        for (Class<?> holder : List.of(ParsedRecord.class, LateEvent.class)) {
            TypeInformation<?> t = TypeInformation.of(holder);
            assertThat(t).isInstanceOf(PojoTypeInfo.class);
            assertThat(((PojoTypeInfo<?>) t).<PulseEvent>getTypeAt("event")).as(holder.getSimpleName()).isEqualTo(PulseEventTypeInfo.INSTANCE);
        }
        assertThat(PulseTopology.WINDOW_LATE.getTypeInfo()).isEqualTo(PulseEventTypeInfo.INSTANCE);
        assertThat(new OutputTag<PulseEvent>("t") {}.getTypeInfo()).isEqualTo(PulseEventTypeInfo.INSTANCE);

        // operator input/output types as a job graph builds them
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        var in = env.fromData(fullOrder(), fullClick());
        assertThat(in.getType()).isEqualTo(PulseEventTypeInfo.INSTANCE);
        assertThat(in.keyBy(PulseEvent::getUserId).transform("attribution", PulseEventTypeInfo.INSTANCE, new AttributionOperator(ONE_DAY, 30 * ONE_DAY)).getType())
                .isEqualTo(PulseEventTypeInfo.INSTANCE);
    }

    /** Held events and pending orders in savepoints of earlier builds are records of format 1 (16-bit mask, no score). */
    @Test
    void shouldReadFormatOneRecordsOfEarlierSavepoints() throws IOException {
        org.apache.flink.core.memory.DataOutputSerializer out = new org.apache.flink.core.memory.DataOutputSerializer(64);
        out.writeByte(1);
        out.writeShort(1 | 1 << 4 | 1 << 14); // event id, user id, amount
        out.writeLong(BEGINNING);
        out.writeByte(PulseEvent.UNSCORED);
        org.apache.flink.types.StringValue.writeString("e-old", out);
        org.apache.flink.types.StringValue.writeString("u-old", out);
        out.writeLong(4200);
        PulseEvent e = SERIALIZER.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(e.getEventId()).isEqualTo("e-old");
        assertThat(e.getUserId()).isEqualTo("u-old");
        assertThat(e.getAmountMinor()).isEqualTo(4200);
        assertThat(e.getTs()).isEqualTo(BEGINNING);
        assertThat(e.getScore()).isZero();
        assertThat(e.getEvidence()).isNull();
        org.apache.flink.core.memory.DataOutputSerializer copied = new org.apache.flink.core.memory.DataOutputSerializer(64);
        SERIALIZER.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    }

    // ---------------------------------------------------------------- snapshots and migration

    @Test
    void shouldBeCompatibleAsIsWhenRestoringItsOwnSnapshot() throws IOException {
        TypeSerializerSnapshot<PulseEvent> restored = writeAndRead(SERIALIZER.snapshotConfiguration());
        assertThat(restored).isInstanceOf(PulseEventSerializerSnapshot.class);
        assertThat(restored.restoreSerializer()).isSameAs(SERIALIZER);
        assertThat(SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(restored).isCompatibleAsIs()).isTrue();
    }

    @Test
    void shouldMigrateWhenOldSnapshotIsPojoSerializers() throws IOException {
        TypeSerializer<PulseEvent> pojo = pojoSerializer();
        assertThat(pojo).isInstanceOf(PojoSerializer.class);
        TypeSerializerSnapshot<PulseEvent> old = writeAndRead(pojo.snapshotConfiguration());
        TypeSerializerSchemaCompatibility<PulseEvent> c = SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(old);
        assertThat(c.isCompatibleAfterMigration()).as(c.toString()).isTrue();

        // what RocksDB's migration does: read with the serializer restored from the old snapshot, write with the new
        TypeSerializer<PulseEvent> reader = old.restoreSerializer();
        for (PulseEvent e : List.of(fullMessage(), fullClick(), fullOrder(), sparseEvents().get(0))) {
            DataOutputSerializer out = new DataOutputSerializer(128);
            pojo.serialize(e, out);
            PulseEvent migrated = reader.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertSameFields(roundTrip(migrated), e);
        }
    }

    @Test
    void shouldMigrateNestedPojoSerializerWhenStateIsListOfEvents() throws IOException {
        // MemberActivityOperator's MapState<Long, List<PulseEvent>>: the list's snapshot asks its element's
        TypeSerializerSnapshot<List<PulseEvent>> old = writeAndRead(new ListSerializer<>(pojoSerializer()).snapshotConfiguration());
        TypeSerializerSchemaCompatibility<List<PulseEvent>> c = new ListSerializer<>(SERIALIZER).snapshotConfiguration().resolveSchemaCompatibility(old);
        assertThat(c.isCompatibleAfterMigration()).as(c.toString()).isTrue();
    }

    @Test
    void shouldBeIncompatibleWhenOldSnapshotIsAnotherSerializers() throws IOException {
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializerSnapshot<PulseEvent> strings = (TypeSerializerSnapshot) Types.STRING.createSerializer(new SerializerConfigImpl()).snapshotConfiguration();
        assertThat(SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(strings).isIncompatible()).isTrue();
    }

    @Test
    void shouldBeCompatibleAsIsWhenEnumConstantsWereOnlyAppended() throws IOException {
        String[] kinds = EnumCodec.namesOf(EventKind.class);
        TypeSerializerSnapshot<PulseEvent> old = withKinds(Arrays.copyOf(kinds, kinds.length - 1));
        assertThat(SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(old).isCompatibleAsIs()).isTrue();
    }

    @Test
    void shouldMigrateByNameWhenEnumConstantsWereReordered() throws IOException {
        String[] kinds = EnumCodec.namesOf(EventKind.class);
        String[] reordered = kinds.clone();
        reordered[0] = kinds[1];
        reordered[1] = kinds[0]; // POST <-> COMMENT
        TypeSerializerSnapshot<PulseEvent> old = withKinds(reordered);
        assertThat(SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(old).isCompatibleAfterMigration()).isTrue();

        TypeSerializer<PulseEvent> oldSerializer = old.restoreSerializer();
        PulseEvent post = Events.post("c1", "u1", BEGINNING);
        DataOutputSerializer out = new DataOutputSerializer(64);
        oldSerializer.serialize(post, out);
        assertThat(oldSerializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())).getKind()).isEqualTo(EventKind.POST);
        assertThat(SERIALIZER.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())).getKind())
                .as("read without migration, the shifted code would name another kind").isEqualTo(EventKind.COMMENT);
    }

    @Test
    void shouldBeIncompatibleWhenEnumConstantWasRemoved() throws IOException {
        String[] kinds = EnumCodec.namesOf(EventKind.class);
        String[] withGone = Arrays.copyOf(kinds, kinds.length + 1);
        withGone[kinds.length] = "RETRACTED";
        assertThat(SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(withKinds(withGone)).isIncompatible()).isTrue();
    }

    /**
     * The same move as a savepoint of 0.1.0, in process: list and map state written with the POJO
     * serializer on RocksDB, restored where the state descriptors name PulseEvent.class.
     */
    @Test
    void shouldReadPojoWrittenRocksDbStateWhenRestoredWithNewSerializer() throws Exception {
        List<PulseEvent> events = List.of(fullMessage(), fullClick(), fullOrder(), sparseEvents().get(1));
        OperatorSubtaskState snapshot;
        try (var before = harness(pojoTypeInfo())) {
            before.open();
            for (PulseEvent e : events) before.processElement(new StreamRecord<>(e, e.getTs()));
            snapshot = before.snapshot(1, BEGINNING);
        }
        try (var after = harness(TypeInformation.of(PulseEvent.class))) {
            after.initializeState(snapshot);
            after.open();
            PulseEvent dump = new PulseEvent();
            dump.setUserId("u1");
            after.processElement(new StreamRecord<>(dump, BEGINNING));
            List<PulseEvent> out = after.extractOutputValues();
            assertThat(out).hasSize(2 * events.size());
            for (int i = 0; i < events.size(); i++) {
                assertSameFields(out.get(i), events.get(i)); // list state
            }
            List<PulseEvent> fromMap = new ArrayList<>(out.subList(events.size(), out.size()));
            List<PulseEvent> expected = new ArrayList<>(events);
            fromMap.sort(Comparator.comparingLong(PulseEvent::getTs));
            expected.sort(Comparator.comparingLong(PulseEvent::getTs));
            for (int i = 0; i < events.size(); i++) {
                assertSameFields(fromMap.get(i), expected.get(i)); // map state of lists
            }
        }
    }

    /** Keeps every event in list state and in map state; an event without id emits them all. */
    static final class StateProbe extends KeyedProcessFunction<String, PulseEvent, PulseEvent> {
        private final TypeInformation<PulseEvent> type;
        private transient ListState<PulseEvent> list;
        private transient MapState<Long, List<PulseEvent>> map;

        StateProbe(TypeInformation<PulseEvent> type) {
            this.type = type;
        }

        @Override
        public void open(OpenContext ctx) {
            list = getRuntimeContext().getListState(new ListStateDescriptor<>("probe-list", type));
            map = getRuntimeContext().getMapState(new MapStateDescriptor<>("probe-map", Types.LONG, Types.LIST(type)));
        }

        @Override
        public void processElement(PulseEvent e, Context ctx, Collector<PulseEvent> out) throws Exception {
            if (e.getEventId() == null) {
                list.get().forEach(out::collect);
                for (List<PulseEvent> l : map.values()) l.forEach(out::collect);
                return;
            }
            list.add(e);
            map.put(e.getTs(), List.of(e));
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, PulseEvent, PulseEvent> harness(TypeInformation<PulseEvent> type) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new StateProbe(type)), PulseEvent::getUserId, Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    // ---------------------------------------------------------------- helpers

    private static List<Field> instanceFields() {
        List<Field> fields = new ArrayList<>();
        for (Field f : PulseEvent.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            f.setAccessible(true);
            fields.add(f);
        }
        return fields;
    }

    private static Object nonDefaultValue(Field f, int i) {
        Class<?> t = f.getType();
        if (t == String.class) return "v-" + f.getName();
        if (t.isEnum()) {
            Object[] constants = t.getEnumConstants();
            return constants[constants.length - 1];
        }
        if (t == long.class) return (1L << 40) + i;
        if (t == int.class) return 0x7000_0000 + i;
        if (t == byte.class) return (byte) (i % 100 + 1);
        if (t == double.class) return -0.5 - i / 1000.0;
        if (t == NegativeEvidence.class) return new NegativeEvidence(List.of("refund", "scam"), List.of("退款", "scam"), "** scam 退款",
                "** scam", -0.83, List.of("fraud: 'scam' after 'this is'"), true);
        throw new AssertionError("no test value for a field of type " + t.getName() + " (" + f.getName()
                + "): give it one here and carry it in PulseEventSerializer");
    }

    /** Field by field, so that a field missing from PulseEvent.equals is compared too. */
    private static void assertSameFields(PulseEvent actual, PulseEvent expected) {
        for (Field f : instanceFields()) {
            try {
                assertThat(Objects.deepEquals(f.get(actual), f.get(expected)))
                        .as("field %s: got %s, expected %s", f.getName(), f.get(actual), f.get(expected)).isTrue();
            } catch (IllegalAccessException ex) {
                throw new AssertionError(ex);
            }
        }
        assertThat(actual).isEqualTo(expected);
    }

    private static byte[] bytes(PulseEvent e) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SERIALIZER.serialize(e, out);
        return out.getCopyOfBuffer();
    }

    private static PulseEvent roundTrip(PulseEvent e) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes(e));
        PulseEvent back = SERIALIZER.deserialize(in);
        assertThat(in.available()).as("bytes left after reading %s", e).isZero();
        return back;
    }

    private static <T> TypeSerializerSnapshot<T> writeAndRead(TypeSerializerSnapshot<T> snapshot) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(out.getCopyOfBuffer()),
                PulseEventSerializerTest.class.getClassLoader());
    }

    private static TypeSerializerSnapshot<PulseEvent> withKinds(String[] kinds) throws IOException {
        PulseEventSerializer s = new PulseEventSerializer(SERIALIZER.types, new EnumCodec<>(EventKind.class, kinds), SERIALIZER.roles, SERIALIZER.attributions);
        return writeAndRead(s.snapshotConfiguration());
    }

    /** PulseEvent as Flink's type extraction saw it before the factory: a POJO of its fields (as 0.1.0 wrote savepoints). */
    private static PojoTypeInfo<PulseEvent> pojoTypeInfo() {
        List<PojoField> fields = new ArrayList<>();
        for (Field f : instanceFields()) {
            fields.add(new PojoField(f, TypeExtractor.createTypeInfo(f.getType())));
        }
        return new PojoTypeInfo<>(PulseEvent.class, fields);
    }

    private static TypeSerializer<PulseEvent> pojoSerializer() {
        return pojoTypeInfo().createSerializer(new SerializerConfigImpl());
    }
}
