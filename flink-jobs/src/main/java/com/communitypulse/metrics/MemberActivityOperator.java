package com.communitypulse.metrics;

import com.communitypulse.events.EventKind;
import com.communitypulse.events.EventType;
import com.communitypulse.events.PulseEvent;
import com.communitypulse.state.HeldEvents;
import com.communitypulse.state.WriteBackValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Per-member bookkeeping for the engagement metrics, keyed by {@code user_id}, for each community
 * the member acts in and for the global total ({@code "*"}).
 *
 * <p><b>Window distinct counts.</b> Each event is stamped with {@link MemberTouches} bits: "first
 * activity / speech / click / paid order of this member in this base window, hour, day". The
 * window aggregators then count distinct members as sums, with no member sets in window state.
 *
 * <p><b>Rolling gauges.</b> dau/wau/mau and speakers-in-the-last-day are sets of members whose last
 * activity lies in {@code (t − P, t]}. They are published at boundaries {@code t} (multiples of the
 * rolling emit interval). A member enters a set at the first boundary at or after an activity and
 * leaves at the first boundary at or after {@code last activity + P}; each change is sent as a
 * {@link GaugeDelta} to {@link RollingGaugeFunction}. Activity out of order or late (within the
 * allowed lateness) moves an entry earlier with a +1/-1 pair, never double-counts. Membership:
 * +1 on a join or on the first message activity when not a member, -1 on a leave or after
 * {@code memberHorizon} without any event (decision: an inactive member eventually stops counting,
 * so state has an end). Only message events change membership: they share one partition per
 * community, so joins, leaves and posts of a member arrive in the order they were produced,
 * whereas clicks come from another topic in no fixed order relative to them. The global
 * {@code members} gauge is the sum of community memberships (a member of two communities counts
 * twice); global dau/wau/mau count distinct users.
 *
 * <p><b>Order.</b> Events wait ({@link HeldEvents}, on the heap) until the watermark reaches them
 * and are applied in event-time order (ties: by kind, then event id), so the results do not depend
 * on how fast each partition was read. A watermark releases, per user, every event it passed; the
 * user's events are applied one instant at a time, with the retirements due at or before each
 * instant first, which is exactly the sequence that one timer per event time produced before, at
 * one state read and one write per user and watermark instead of per event.
 *
 * <p><b>State and its end of life.</b> Per user one value holding a {@link MemberState} per
 * community plus one for {@code "*"} and the time of the user's one retirement timer
 * ({@link MemberStates}, compact format), read and changed on the heap and written back at each
 * checkpoint ({@link WriteBackValue}); events still waiting at a checkpoint go into a keyed list
 * state and leave it at their release. Timers: one per user, for the earliest pending set exit,
 * membership expiry or cleanup. A community's state is removed once the member is out of every
 * rolling set, is no longer a member, and two days have passed since its last event (window marks
 * are moot by then); the value goes with the last one.
 *
 * <p><b>Upgrade.</b> Release 0.1.0 kept a map state per community, a timer value and a map of
 * waiting events. On restore, every user with such state is moved into the current layout before
 * the first record is processed (the old per-event timers still fire and find nothing to do).
 */
public class MemberActivityOperator extends AbstractStreamOperator<PulseEvent>
        implements OneInputStreamOperator<PulseEvent, PulseEvent>, Triggerable<String, VoidNamespace> {
    private static final long serialVersionUID = 1L;
    public static final String GLOBAL = "*";
    private static final long DAY = 86_400_000L;
    /** Period of each rolling set, indexed like {@link GaugeDelta} (index 4, members, is not a rolling set). */
    private static final long[] PERIODS = {DAY, 7 * DAY, 30 * DAY, DAY, 0, 30 * DAY, 30 * DAY};
    private static final long CLEANUP_AFTER = 2 * DAY;
    private static final long NO_TIMER = MemberStates.NO_TIMER;
    /** Same order in every run: by time, then kind, then event id. */
    private static final Comparator<PulseEvent> ORDER = Comparator.comparingLong(PulseEvent::getTs)
            .thenComparing((PulseEvent p) -> p.getKind().ordinal()).thenComparing(PulseEvent::getEventId);
    /** Events on the heap before further ones wait in the list state (about 100 bytes each). */
    static final int MAX_HELD_ON_HEAP = 200_000;
    /** Users whose decoded value stays on the heap between checkpoints (a few hundred bytes each). */
    static final int CACHED_USERS = 100_000;

    // Part of the savepoint layout (uid member-activity): never rename.
    static final String STATES = "member-states";
    static final String HELD = "held-events";
    static final String TIMERS = "user-timers";
    static final String LEGACY_MEMBERS = "member-state";
    static final String LEGACY_NEXT_TIMER = "next-timer";
    static final String LEGACY_PENDING = "pending-events";

    private final Granularity granularity;
    private final long emitIntervalMs;
    private final long memberHorizonMs;
    private final OutputTag<GaugeDelta> deltaTag;
    private final OutputTag<RetentionDelta> retentionTag;

    private transient WriteBackValue<byte[], MemberStates> states;
    private transient HeldEvents held;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient List<GaugeDelta> pendingDeltas;
    private transient List<RetentionDelta> retentionDeltas;
    private transient StreamRecord<PulseEvent> reuse;

    public MemberActivityOperator(Granularity granularity, long emitIntervalMs, long memberHorizonMs, OutputTag<GaugeDelta> deltaTag,
                                  OutputTag<RetentionDelta> retentionTag) {
        this.granularity = granularity;
        this.emitIntervalMs = emitIntervalMs;
        this.memberHorizonMs = memberHorizonMs;
        this.deltaTag = deltaTag;
        this.retentionTag = retentionTag;
    }

    @Override
    public void initializeState(StateInitializationContext ctx) throws Exception {
        super.initializeState(ctx);
        states = WriteBackValue.of(getPartitionedState(new ValueStateDescriptor<>(STATES, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)),
                MemberStates::decode, MemberStates::encode, CACHED_USERS);
        ListState<PulseEvent> list = getPartitionedState(new ListStateDescriptor<>(HELD, TypeInformation.of(PulseEvent.class)));
        held = new HeldEvents(list, HELD, getKeyedStateBackend(), MAX_HELD_ON_HEAP);
        pendingDeltas = new ArrayList<>();
        retentionDeltas = new ArrayList<>();
        if (ctx.isRestored()) {
            migrateLegacy(list);
            held.restore();
        }
        states.bind(getKeyedStateBackend());
    }

    @Override
    public void open() throws Exception {
        super.open();
        timers = getInternalTimerService(TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        reuse = new StreamRecord<>(null);
        getMetricGroup().gauge("heldEvents", (Gauge<Integer>) () -> held.size());
    }

    @Override
    public void processElement(StreamRecord<PulseEvent> r) throws Exception {
        // Held until the watermark reaches it: partitions and topics may be read at very different
        // speeds (a replayed click topic can run days ahead of the messages), and first-in-window
        // marks, rolling sets and joins/leaves must not depend on that.
        held.add((String) getCurrentKey(), r.getValue());
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        // Released before the timers fire and before the watermark goes on, as the per-event timers were.
        long wm = mark.getTimestamp();
        for (String user : held.keysDueAt(wm)) {
            setCurrentKey(user);
            release(user, wm);
        }
        super.processWatermark(mark);
    }

    @Override
    public void snapshotState(StateSnapshotContext ctx) throws Exception {
        held.persist();
        states.flush();
        super.snapshotState(ctx);
    }

    /** Applies the current user's events up to {@code wm}, one event-time instant after another. */
    private void release(String user, long wm) throws Exception {
        List<PulseEvent> due = held.takeDue(user, wm);
        if (due.isEmpty()) {
            return;
        }
        due.sort(ORDER);
        MemberStates st = load();
        if (st == null) {
            st = new MemberStates();
        }
        long registered = st.nextTimer();
        for (int i = 0; i < due.size(); ) {
            long t = due.get(i).getTs();
            // Retirements first, then the events of this instant: an exit due now happens before a new activity.
            long next = st.nextTimer() <= t ? retire(st, t) : st.nextTimer();
            for (; i < due.size() && due.get(i).getTs() == t; i++) {
                // Only an earlier due time needs the timer moved; a timer that fires too early finds
                // nothing due and reschedules itself exactly (see retire).
                next = Math.min(next, apply(st, due.get(i)));
            }
            flushDeltas(t);
            st.setNextTimer(next);
        }
        reschedule(st, registered);
        store(st);
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        long t = timer.getTimestamp();
        MemberStates st = load();
        if (st == null || st.nextTimer() > t) {
            return; // a timer of the old per-event layout, or one moved earlier already
        }
        long registered = st.nextTimer();
        st.setNextTimer(retire(st, t));
        flushDeltas(t);
        reschedule(st, registered == t ? NO_TIMER : registered);
        store(st);
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        // no processing-time timers
    }

    /** Keeps exactly one registered timer per user: at {@link MemberStates#nextTimer()}. */
    private void reschedule(MemberStates st, long registered) {
        long next = st.nextTimer();
        if (next == registered) {
            return;
        }
        if (registered != NO_TIMER) {
            timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, registered);
        }
        if (next != NO_TIMER) {
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, next);
        }
    }

    private MemberStates load() throws Exception {
        return states.value();
    }

    private void store(MemberStates st) throws Exception {
        states.update(st.isEmpty() ? null : st);
    }

    /**
     * Moves every user of a 0.1.0 savepoint into the current layout: the community map and timer
     * value into one {@link MemberStates} value (the old timer is still registered, so it is kept
     * as the user's timer), the old waiting events into the held-events list (their release
     * comes with the watermark).
     */
    private void migrateLegacy(ListState<PulseEvent> heldList) throws Exception {
        MapState<String, MemberState> legacyMembers = getPartitionedState(new MapStateDescriptor<>(LEGACY_MEMBERS, String.class, MemberState.class));
        ValueState<Long> legacyNextTimer = getPartitionedState(new ValueStateDescriptor<>(LEGACY_NEXT_TIMER, Long.class));
        MapState<Long, List<PulseEvent>> legacyPending = getPartitionedState(new MapStateDescriptor<>(LEGACY_PENDING, Types.LONG,
                Types.LIST(TypeInformation.of(PulseEvent.class))));
        java.util.Set<String> users = new java.util.TreeSet<>();
        for (String name : List.of(LEGACY_MEMBERS, LEGACY_NEXT_TIMER, LEGACY_PENDING)) {
            org.apache.flink.runtime.state.KeyedStateBackend<String> backend = getKeyedStateBackend();
            try (Stream<String> keys = backend.getKeys(name, VoidNamespace.INSTANCE)) {
                keys.forEach(users::add);
            }
        }
        for (String user : users) {
            setCurrentKey(user);
            MemberStates st = load();
            if (st == null) st = new MemberStates();
            for (Map.Entry<String, MemberState> en : legacyMembers.entries()) {
                st.put(en.getKey(), en.getValue());
            }
            Long oldTimer = legacyNextTimer.value();
            if (oldTimer != null) st.setNextTimer(oldTimer);
            for (List<PulseEvent> at : legacyPending.values()) {
                heldList.addAll(at);
            }
            legacyMembers.clear();
            legacyNextTimer.clear();
            legacyPending.clear();
            store(st);
        }
    }

    /** Applies one event in its event-time turn; returns the earliest due time of the states it touched. */
    private long apply(MemberStates states, PulseEvent e) {
        int touches = 0;
        long due = NO_TIMER;
        if (e.getCommunityId() != null) {
            MemberState st = states.getOrCreate(e.getCommunityId());
            touches |= update(e.getCommunityId(), st, MemberTouches.COMMUNITY, e);
            due = dueOf(st);
        }
        MemberState global = states.getOrCreate(GLOBAL);
        touches |= update(GLOBAL, global, MemberTouches.GLOBAL, e);
        due = Math.min(due, dueOf(global));
        e.setTouches(touches);
        output.collect(reuse.replace(e, e.getTs()));
        return due;
    }

    private int update(String key, MemberState st, int scope, PulseEvent e) {
        long ts = e.getTs();
        EventKind k = e.getKind();
        int touches = 0;
        if (k.isActivity()) {
            touches |= mark(st, scope, MemberTouches.ACTIVE, ts);
            for (int p = 0; p < 3; p++) {
                enter(key, st, p, ceil(ts), ceil(ts + PERIODS[p]));
            }
            st.setLastActive(Math.max(st.getLastActive(), ts));
            if (scope == MemberTouches.COMMUNITY) {
                retained(key, st, ts);
            }
        }
        if (k.isSpeaking()) {
            touches |= mark(st, scope, MemberTouches.SPEAKING, ts);
            enter(key, st, GaugeDelta.SPEAKERS_1D, ceil(ts), ceil(ts + DAY));
            st.setLastSpeak(Math.max(st.getLastSpeak(), ts));
        }
        if (k == EventKind.CLICK) {
            touches |= mark(st, scope, MemberTouches.CLICKER, ts);
        }
        if (k == EventKind.PAID) {
            touches |= mark(st, scope, MemberTouches.BUYER, ts);
            enter(key, st, GaugeDelta.BUYERS_30D, ceil(ts), ceil(ts + 30 * DAY));
            // With this order the member has two in (t - 30 d, t] until the previous one is 30 days old.
            long previous = st.getLastPaid();
            if (previous != MemberState.NONE && ts >= previous) {
                enter(key, st, GaugeDelta.REPEAT_BUYERS_30D, ceil(ts), ceil(previous + 30 * DAY));
                st.setPrevPaid(previous);
            }
            if (ts >= st.getLastPaid() || st.getLastPaid() == MemberState.NONE) {
                st.setLastPaid(ts);
            }
        }
        if (scope == MemberTouches.COMMUNITY && k == EventKind.JOIN) {
            // A (re-)join starts a new cohort membership; retention counts from this join day.
            st.setJoinDay(granularity.dayStart(ts));
            st.setRetained(0);
            retentionDeltas.add(new RetentionDelta(key, st.getJoinDay(), RetentionDelta.COHORT));
        }
        if (scope == MemberTouches.COMMUNITY && e.getType() == EventType.MESSAGE) {
            if (k == EventKind.LEAVE) {
                if (st.isMember()) {
                    st.setMember(false);
                    membership(key, ceil(ts), -1);
                }
            } else if (!st.isMember()) {
                st.setMember(true);
                membership(key, ceil(ts), +1);
            }
        }
        st.setLastEvent(Math.max(st.getLastEvent(), ts));
        return touches;
    }

    private int mark(MemberState st, int scope, int type, long ts) {
        int bits = 0;
        for (int g = 0; g < Granularity.COUNT; g++) {
            if (st.markFirst(g * MemberTouches.TYPES + type, granularity.index(g, ts))) {
                bits |= MemberTouches.bit(scope, g, type);
            }
        }
        return bits;
    }

    /** Retention: the member joined on day d and is active on day d+1, d+7 or d+30 (each counted once). */
    private void retained(String key, MemberState st, long ts) {
        if (st.getJoinDay() == MemberState.NONE) {
            return;
        }
        long days = (granularity.dayStart(ts) - st.getJoinDay()) / DAY;
        int slot = days == 1 ? RetentionDelta.D1 : days == 7 ? RetentionDelta.D7 : days == 30 ? RetentionDelta.D30 : 0;
        int bit = 1 << slot;
        if (slot != 0 && (st.getRetained() & bit) == 0) {
            st.setRetained(st.getRetained() | bit);
            retentionDeltas.add(new RetentionDelta(key, st.getJoinDay(), slot));
        }
    }

    /** Counts the member in rolling set {@code p} at boundaries {@code [in, out)}. */
    private void enter(String key, MemberState st, int p, long in, long out) {
        long prevExit = st.getPrevExit()[p];
        if (prevExit != MemberState.NONE) {
            in = Math.max(in, prevExit);
        }
        if (in >= out) {
            return; // entirely inside an interval that was already counted
        }
        long since = st.getInSince()[p];
        if (since == MemberState.NONE) {
            delta(key, in, p, +1);
            st.getInSince()[p] = in;
        } else if (in < since) {
            if (out >= since) {
                delta(key, in, p, +1);
                delta(key, since, p, -1);
                st.getInSince()[p] = in;
            } else {
                // A separate, earlier interval (only possible with a lagging watermark).
                delta(key, in, p, +1);
                delta(key, out, p, -1);
            }
        }
    }

    /** Processes the exits, expiries and cleanups due at {@code timestamp}; returns the next due time of what is left. */
    private long retire(MemberStates states, long timestamp) {
        List<String> remove = new ArrayList<>();
        long due = NO_TIMER;
        for (Map.Entry<String, MemberState> en : states.entries()) {
            String key = en.getKey();
            MemberState st = en.getValue();
            for (int p = 0; p < MemberState.SETS; p++) {
                if (st.getInSince()[p] != MemberState.NONE) {
                    long exit = exitOf(st, p);
                    if (exit <= timestamp) {
                        delta(key, exit, p, -1);
                        st.getInSince()[p] = MemberState.NONE;
                        st.getPrevExit()[p] = exit;
                    }
                }
            }
            if (st.isMember() && st.getLastEvent() + memberHorizonMs <= timestamp) {
                st.setMember(false);
                membership(key, ceil(st.getLastEvent() + memberHorizonMs), -1);
            }
            if (!st.isMember() && !st.anySetIn() && st.getLastEvent() + CLEANUP_AFTER <= timestamp) {
                remove.add(key);
                continue;
            }
            due = Math.min(due, dueOf(st));
        }
        states.removeAll(remove);
        return due;
    }

    private long exitOf(MemberState st, int p) {
        long last;
        switch (p) {
            case GaugeDelta.SPEAKERS_1D: last = st.getLastSpeak(); break;
            case GaugeDelta.BUYERS_30D: last = st.getLastPaid(); break;
            case GaugeDelta.REPEAT_BUYERS_30D: last = st.getPrevPaid(); break;
            default: last = st.getLastActive();
        }
        return ceil(last + PERIODS[p]);
    }

    /** The earliest exit, membership expiry or cleanup time of one state. */
    private long dueOf(MemberState st) {
        long due = NO_TIMER;
        for (int p = 0; p < MemberState.SETS; p++) {
            if (st.getInSince()[p] != MemberState.NONE) {
                due = Math.min(due, exitOf(st, p));
            }
        }
        if (st.isMember()) {
            due = Math.min(due, st.getLastEvent() + memberHorizonMs);
        } else if (!st.anySetIn()) {
            due = Math.min(due, st.getLastEvent() + CLEANUP_AFTER);
        }
        return due;
    }

    /** A community membership change; the global {@code members} gauge is the sum of memberships. */
    private void membership(String community, long at, long d) {
        delta(community, at, GaugeDelta.MEMBERS, d);
        delta(GLOBAL, at, GaugeDelta.MEMBERS, d);
    }

    private long ceil(long t) {
        return Math.floorDiv(t + emitIntervalMs - 1, emitIntervalMs) * emitIntervalMs;
    }

    private void delta(String community, long at, int gauge, long d) {
        for (GaugeDelta g : pendingDeltas) {
            if (g.getAt() == at && g.getCommunityId().equals(community)) {
                g.getDelta()[gauge] += d;
                return;
            }
        }
        pendingDeltas.add(new GaugeDelta(community, at, gauge, d));
    }

    private void flushDeltas(long at) {
        for (GaugeDelta g : pendingDeltas) {
            for (long v : g.getDelta()) {
                if (v != 0) {
                    output.collect(deltaTag, new StreamRecord<>(g, at));
                    break;
                }
            }
        }
        pendingDeltas.clear();
        for (RetentionDelta r : retentionDeltas) {
            output.collect(retentionTag, new StreamRecord<>(r, at));
        }
        retentionDeltas.clear();
    }
}
