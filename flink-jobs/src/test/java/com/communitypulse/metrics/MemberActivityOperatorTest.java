package com.communitypulse.metrics;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.events.EventKind;
import com.communitypulse.events.PulseEvent;
import com.communitypulse.testutils.Events;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemberActivityOperatorTest {
    private static final OutputTag<GaugeDelta> DELTAS = new OutputTag<>("d") {};
    private static final OutputTag<RetentionDelta> RETENTION = new OutputTag<>("r") {};
    private static final Granularity G = new Granularity(Duration.ofMinutes(1), ZoneId.of("Asia/Shanghai"));
    private KeyedOneInputStreamOperatorTestHarness<String, PulseEvent, PulseEvent> h;

    @BeforeEach
    void setUp() throws Exception {
        h = harness();
        h.open();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, PulseEvent, PulseEvent> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new MemberActivityOperator(G, ONE_MINUTE, 90 * ONE_DAY, DELTAS, RETENTION),
                PulseEvent::getUserId, Types.STRING);
    }

    private void send(PulseEvent e) throws Exception {
        h.processElement(new StreamRecord<>(e, e.getTs()));
        h.processWatermark(e.getTs());
    }

    @Test
    void shouldHoldEventsUntilWatermarkAndApplyThemInEventTimeOrder() throws Exception {
        h.processElement(new StreamRecord<>(Events.message("c1", "u1", BEGINNING + ONE_MINUTE, EventKind.LEAVE), BEGINNING + ONE_MINUTE));
        h.processElement(new StreamRecord<>(Events.message("c1", "u1", BEGINNING, EventKind.JOIN), BEGINNING));
        assertThat(h.extractOutputValues()).isEmpty();
        h.processWatermark(BEGINNING + ONE_MINUTE);
        assertThat(h.extractOutputValues()).extracting(PulseEvent::getKind).containsExactly(EventKind.JOIN, EventKind.LEAVE);
        assertThat(sum("c1", GaugeDelta.MEMBERS)).isZero();
        assertThat(deltas()).anySatisfy(d -> assertThat(d.getDelta()[GaugeDelta.MEMBERS]).isEqualTo(1));
    }

    @Test
    void shouldEnterEveryRollingSetAndMembershipWhenMemberPostsFirstTime() throws Exception {
        send(Events.post("c1", "u1", BEGINNING + 5 * ONE_SECOND));
        List<GaugeDelta> d = deltas();
        assertThat(d).hasSize(2);
        for (GaugeDelta g : d) {
            assertThat(g.getAt()).isEqualTo(BEGINNING + ONE_MINUTE);
            assertThat(g.getDelta()).containsExactly(1, 1, 1, 1, 1, 0, 0);
        }
        assertThat(d).extracting(GaugeDelta::getCommunityId).containsExactlyInAnyOrder("c1", "*");
        PulseEvent out = h.extractOutputValues().get(0);
        for (int g = 0; g < Granularity.COUNT; g++) {
            assertThat(MemberTouches.has(out.getTouches(), MemberTouches.COMMUNITY, g, MemberTouches.ACTIVE)).isTrue();
            assertThat(MemberTouches.has(out.getTouches(), MemberTouches.GLOBAL, g, MemberTouches.SPEAKING)).isTrue();
            assertThat(MemberTouches.has(out.getTouches(), MemberTouches.COMMUNITY, g, MemberTouches.CLICKER)).isFalse();
        }
    }

    @Test
    void shouldNotTouchWindowsTwiceWhenMemberPostsAgainInSameMinute() throws Exception {
        send(Events.post("c1", "u1", BEGINNING));
        send(Events.post("c1", "u1", BEGINNING + 30 * ONE_SECOND));
        assertThat(h.extractOutputValues().get(1).getTouches()).isZero();
        send(Events.post("c1", "u1", BEGINNING + 90 * ONE_SECOND));
        int t = h.extractOutputValues().get(2).getTouches();
        assertThat(MemberTouches.has(t, MemberTouches.COMMUNITY, Granularity.BASE, MemberTouches.ACTIVE)).isTrue();
        assertThat(MemberTouches.has(t, MemberTouches.COMMUNITY, Granularity.HOUR, MemberTouches.ACTIVE)).isFalse();
    }

    @Test
    void shouldRetireFromEachSetAndClearStateWhenMemberLeavesAndGoesQuiet() throws Exception {
        send(Events.post("c1", "u1", BEGINNING));
        send(Events.message("c1", "u1", BEGINNING + ONE_HOUR, EventKind.LEAVE));
        h.getOutput().clear();
        h.getSideOutput(DELTAS).clear();
        h.processWatermark(BEGINNING + ONE_DAY);
        assertThat(sum("c1", GaugeDelta.DAU)).isEqualTo(-1);
        h.processWatermark(BEGINNING + 40 * ONE_DAY);
        assertThat(sum("c1", GaugeDelta.MAU)).isEqualTo(-1);
        assertThat(sum("c1", GaugeDelta.WAU)).isEqualTo(-1);
        assertThat(storedEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldExpireMembershipWhenMemberInactiveBeyondHorizon() throws Exception {
        send(Events.message("c1", "u1", BEGINNING, EventKind.JOIN));
        h.getOutput().clear();
        h.getSideOutput(DELTAS).clear();
        h.processWatermark(BEGINNING + 91 * ONE_DAY);
        assertThat(sum("c1", GaugeDelta.MEMBERS)).isEqualTo(-1);
        assertThat(storedEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldMoveEntryEarlierWithoutDoubleCountingWhenLateActivityArrivesWithinLateness() throws Exception {
        send(Events.post("c1", "u1", BEGINNING + 5 * ONE_MINUTE));
        h.processElement(new StreamRecord<>(Events.post("c1", "u1", BEGINNING + ONE_MINUTE), BEGINNING + ONE_MINUTE));
        h.processWatermark(BEGINNING + 5 * ONE_MINUTE + 1); // a late event is applied at the next watermark
        // net effect: +1 at minute 1 only
        long at1 = 0, at5 = 0;
        for (GaugeDelta g : deltas()) {
            if (!g.getCommunityId().equals("c1")) continue;
            if (g.getAt() == BEGINNING + ONE_MINUTE) at1 += g.getDelta()[GaugeDelta.DAU];
            if (g.getAt() == BEGINNING + 5 * ONE_MINUTE) at5 += g.getDelta()[GaugeDelta.DAU];
        }
        assertThat(at1).isEqualTo(1);
        assertThat(at5).isZero();
    }

    @Test
    void shouldGiveSameResultsWhenRestoredFromSnapshot() throws Exception {
        h.processElement(new StreamRecord<>(Events.post("c1", "u1", BEGINNING), BEGINNING));
        OperatorSubtaskState snap = h.snapshot(1, BEGINNING);
        h.close();
        h = harness();
        h.initializeState(snap);
        h.open();
        h.processWatermark(BEGINNING);
        assertThat(h.extractOutputValues()).hasSize(1);
        h.getOutput().clear();
        h.getSideOutput(DELTAS).clear();
        send(Events.post("c1", "u1", BEGINNING + 10 * ONE_SECOND));
        assertThat(h.extractOutputValues().get(0).getTouches()).isZero();
        h.processWatermark(BEGINNING + 2 * ONE_DAY);
        assertThat(sum("c1", GaugeDelta.DAU)).isEqualTo(-1);
    }

    @Test
    void shouldCountRepeatBuyerUntilEarlierOrderIsThirtyDaysOld() throws Exception {
        send(Events.paid("o1", "u1", BEGINNING, 100, "c1", null));
        send(Events.paid("o2", "u1", BEGINNING + ONE_DAY, 100, "c1", null));
        assertThat(sum("c1", GaugeDelta.BUYERS_30D)).isEqualTo(1);
        assertThat(sum("c1", GaugeDelta.REPEAT_BUYERS_30D)).isEqualTo(1);
        h.processWatermark(BEGINNING + 30 * ONE_DAY + ONE_MINUTE);
        assertThat(sum("c1", GaugeDelta.REPEAT_BUYERS_30D)).isZero();
        assertThat(sum("c1", GaugeDelta.BUYERS_30D)).isEqualTo(1);
        h.processWatermark(BEGINNING + 31 * ONE_DAY + ONE_MINUTE);
        assertThat(sum("c1", GaugeDelta.BUYERS_30D)).isZero();
    }

    @Test
    void shouldEmitCohortAndRetentionDaysOnceWhenJoinedMemberReturns() throws Exception {
        send(Events.message("c1", "u1", BEGINNING, EventKind.JOIN));
        send(Events.post("c1", "u1", BEGINNING + ONE_DAY));
        send(Events.post("c1", "u1", BEGINNING + ONE_DAY + ONE_HOUR));
        send(Events.post("c1", "u1", BEGINNING + 7 * ONE_DAY));
        List<Integer> slots = new ArrayList<>();
        h.getSideOutput(RETENTION).forEach(r -> slots.add(r.getValue().getSlot()));
        assertThat(slots).containsExactly(RetentionDelta.COHORT, RetentionDelta.D1, RetentionDelta.D7);
    }

    /**
     * A user saved by release 0.1.0 (a map state per community, a timer value, held events in a map
     * by time) carries on after a restore exactly as if the current layout had been used all along.
     */
    @Test
    void shouldCarryOnUnchangedWhenRestoredFromReleaseZeroOneLayout() throws Exception {
        PulseEvent first = Events.post("c1", "u1", BEGINNING);
        PulseEvent held = Events.message("c1", "u1", BEGINNING + 10 * ONE_SECOND, EventKind.LEAVE);
        send(first.copy());
        h.processElement(new StreamRecord<>(held.copy(), held.getTs()));
        MemberStates saved = currentStates("u1");
        assertThat(saved.nextTimer()).isNotEqualTo(MemberStates.NO_TIMER);
        h.getOutput().clear();
        h.getSideOutput(DELTAS).clear();
        h.processWatermark(BEGINNING + 40 * ONE_DAY);
        List<PulseEvent> expectedOut = h.extractOutputValues();
        List<GaugeDelta> expectedDeltas = deltas();
        assertThat(expectedDeltas).isNotEmpty();

        var old = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ReleaseZeroOneLayout(saved)),
                PulseEvent::getUserId, Types.STRING);
        old.open();
        old.processElement(new StreamRecord<>(held.copy(), held.getTs()));
        OperatorSubtaskState snap = old.snapshot(1, BEGINNING);
        old.close();
        h.close();
        h = harness();
        h.initializeState(snap);
        h.open();
        h.processWatermark(BEGINNING + 40 * ONE_DAY);

        assertThat(h.extractOutputValues()).usingRecursiveFieldByFieldElementComparator().isEqualTo(expectedOut);
        assertThat(deltas()).usingRecursiveFieldByFieldElementComparator().isEqualTo(expectedDeltas);
        assertThat(storedEntries(h)).as("old layout cleared, member gone after the leave").isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    private MemberStates currentStates(String user) throws Exception {
        h.snapshot(++checkpoints, checkpoints); // the operator's cached values written back
        var backend = h.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(user);
        byte[] bytes = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("member-states", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)).value();
        return MemberStates.decode(bytes);
    }

    /** Writes state as release 0.1.0 did: the given member states and timer, and each element held in a map by its time. */
    private static final class ReleaseZeroOneLayout extends KeyedProcessFunction<String, PulseEvent, PulseEvent> {
        private final Map<String, MemberState> members = new TreeMap<>();
        private final long nextTimer;

        ReleaseZeroOneLayout(MemberStates saved) {
            saved.entries().forEach(en -> members.put(en.getKey(), en.getValue()));
            nextTimer = saved.nextTimer();
        }

        @Override
        public void processElement(PulseEvent e, Context ctx, Collector<PulseEvent> out) throws Exception {
            MapState<String, MemberState> m = getRuntimeContext().getMapState(
                    new MapStateDescriptor<>(MemberActivityOperator.LEGACY_MEMBERS, String.class, MemberState.class));
            ValueState<Long> timer = getRuntimeContext().getState(new ValueStateDescriptor<>(MemberActivityOperator.LEGACY_NEXT_TIMER, Long.class));
            MapState<Long, List<PulseEvent>> pending = getRuntimeContext().getMapState(new MapStateDescriptor<>(
                    MemberActivityOperator.LEGACY_PENDING, Types.LONG, Types.LIST(TypeInformation.of(PulseEvent.class))));
            m.putAll(members);
            timer.update(nextTimer);
            ctx.timerService().registerEventTimeTimer(nextTimer);
            pending.put(e.getTs(), new ArrayList<>(List.of(e)));
            ctx.timerService().registerEventTimeTimer(e.getTs());
        }
    }

    private long sum(String community, int gauge) {
        long s = 0;
        for (GaugeDelta g : deltas()) {
            if (g.getCommunityId().equals(community)) s += g.getDelta()[gauge];
        }
        return s;
    }

    private List<GaugeDelta> deltas() {
        List<GaugeDelta> out = new ArrayList<>();
        var q = h.getSideOutput(DELTAS);
        if (q != null) q.forEach(r -> out.add(r.getValue()));
        return out;
    }

    private static long checkpoints;

    /** Keyed state entries in the backend once a checkpoint has written the cached values back. */
    private static int storedEntries(KeyedOneInputStreamOperatorTestHarness<String, PulseEvent, PulseEvent> x) throws Exception {
        x.snapshot(++checkpoints, checkpoints);
        return x.numKeyedStateEntries();
    }
}
