package com.communitypulse.metrics;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class WindowPartialSerializerTest {
    private static final WindowPartialSerializer SERIALIZER = WindowPartialSerializer.INSTANCE;
    private static final int SLOTS = WindowAccumulator.NAMES.length;

    private static WindowPartial chatMinute() {
        long[] c = new long[SLOTS];
        c[WindowAccumulator.MESSAGES] = 17;
        c[WindowAccumulator.POSTS] = 12;
        c[WindowAccumulator.REPLIES] = 5;
        c[WindowAccumulator.ACTIVE] = 9;
        return new WindowPartial("community-0042", Granularity.BASE, BEGINNING, c);
    }

    private static byte[] bytes(WindowPartial p) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SERIALIZER.serialize(p, out);
        return out.getCopyOfBuffer();
    }

    private static WindowPartial roundTrip(WindowPartial p) throws IOException {
        return SERIALIZER.deserialize(new DataInputDeserializer(bytes(p)));
    }

    @Test
    void shouldReadBackEveryFieldWhenRoundTripped() throws IOException {
        long[] extremes = new long[SLOTS];
        for (int i = 0; i < SLOTS; i++) extremes[i] = i % 2 == 0 ? Long.MAX_VALUE - i : Long.MIN_VALUE + i;
        long[] refunds = new long[SLOTS];
        refunds[WindowAccumulator.REFUNDS] = 1;
        refunds[WindowAccumulator.GMV] = -12_900;
        List<WindowPartial> partials = List.of(chatMinute(),
                new WindowPartial(MemberActivityOperator.GLOBAL, Granularity.DAY, DAY_START, refunds),
                new WindowPartial("", Granularity.HOUR, -ONE_HOUR, new long[SLOTS]),
                new WindowPartial("社区-😀", Granularity.HOUR, Long.MIN_VALUE, extremes));
        for (WindowPartial p : partials) {
            assertThat(roundTrip(p)).isEqualTo(p);
            assertThat(SERIALIZER.copy(p)).isEqualTo(p).isNotSameAs(p);
            assertThat(SERIALIZER.copy(p).getCounts()).isNotSameAs(p.getCounts());
        }
    }

    @Test
    void shouldCopyBytesUnchangedWhenCopiedBetweenViews() throws IOException {
        byte[] original = bytes(chatMinute());
        DataOutputSerializer out = new DataOutputSerializer(64);
        SERIALIZER.copy(new DataInputDeserializer(original), out);
        assertThat(out.getCopyOfBuffer()).isEqualTo(original);
    }

    @Test
    void shouldTakeFewBytesWhenMostCountsAreZero() throws IOException {
        // format, id (1 + 14), granularity, start (6), mask (3), four small counts
        assertThat(bytes(chatMinute())).hasSizeLessThanOrEqualTo(30);
    }

    @Test
    void shouldFailWithClearMessageWhenFormatIsUnknown() throws IOException {
        byte[] b = bytes(chatMinute());
        b[0] = 9;
        assertThatThrownBy(() -> SERIALIZER.deserialize(new DataInputDeserializer(b)))
                .isInstanceOf(IOException.class).hasMessageContaining("format 9");
    }

    @Test
    void shouldFindSerializerByTypeExtractionWhenAskedForTheClass() {
        TypeInformation<WindowPartial> type = TypeInformation.of(WindowPartial.class);
        assertThat(type).isEqualTo(WindowPartialTypeInfo.INSTANCE);
        assertThat(type.createSerializer(new SerializerConfigImpl())).isSameAs(SERIALIZER);
    }

    @Test
    void shouldBeCompatibleAsIsWhenSlotsOnlyAppendedAndIncompatibleWhenMoved() throws IOException {
        TypeSerializerSnapshot<WindowPartial> current = SERIALIZER.snapshotConfiguration();
        assertThat(current.resolveSchemaCompatibility(restored(current)).isCompatibleAsIs()).isTrue();
        String[] older = Arrays.copyOf(WindowAccumulator.NAMES, SLOTS - 1);
        assertThat(current.resolveSchemaCompatibility(new WindowPartialSerializerSnapshot(older)).isCompatibleAsIs()).isTrue();
        String[] moved = WindowAccumulator.NAMES.clone();
        moved[0] = WindowAccumulator.NAMES[1];
        moved[1] = WindowAccumulator.NAMES[0];
        assertThat(current.resolveSchemaCompatibility(new WindowPartialSerializerSnapshot(moved)).isIncompatible()).isTrue();
        assertThat(restored(current).restoreSerializer()).isSameAs(SERIALIZER);
    }

    /** As Flink writes and reads a snapshot into and from a checkpoint. */
    private static TypeSerializerSnapshot<WindowPartial> restored(TypeSerializerSnapshot<WindowPartial> s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, s);
        return TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(out.getCopyOfBuffer()), loader());
    }

    private static ClassLoader loader() {
        return WindowPartialSerializerTest.class.getClassLoader();
    }

    @Test
    void shouldKeepWindowsRevisionsAndCountsWhenOpenWindowsAreEncodedAndDecoded() throws IOException {
        OpenWindows ws = new OpenWindows("c1");
        OpenWindows.Window fired = ws.open(Granularity.BASE, BEGINNING, BEGINNING + ONE_MINUTE);
        fired.add(chatMinute().getCounts());
        fired.nextRevision = 3;
        OpenWindows.Window pending = ws.open(Granularity.DAY, DAY_START, DAY_START + ONE_DAY);
        pending.pending = true;
        pending.counts[WindowAccumulator.GMV] = -500;
        OpenWindows.Window earlier = ws.open(Granularity.HOUR, BEGINNING - 5 * ONE_HOUR, BEGINNING - 4 * ONE_HOUR);
        earlier.nextRevision = 1;
        earlier.pending = true;

        OpenWindows back = OpenWindows.decode("c1", ws.encode());
        assertThat(back.windows()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            OpenWindows.Window a = ws.windows().get(i), b = back.windows().get(i);
            assertThat(b.owner).isSameAs(back);
            assertThat(new long[] {b.g, b.start, b.end, b.nextRevision}).containsExactly(a.g, a.start, a.end, a.nextRevision);
            assertThat(b.pending).isEqualTo(a.pending);
            assertThat(b.counts).containsExactly(a.counts);
        }
    }

    @Test
    void shouldRefuseOpenWindowsOfUnknownFormat() {
        byte[] b = new OpenWindows("c1").encode();
        b[0] = 7;
        assertThatThrownBy(() -> OpenWindows.decode("c1", b)).isInstanceOf(IllegalStateException.class).hasMessageContaining("c1");
    }
}
