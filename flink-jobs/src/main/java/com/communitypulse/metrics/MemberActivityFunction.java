package com.communitypulse.metrics;

import com.communitypulse.events.EventKind;
import com.communitypulse.events.EventType;
import com.communitypulse.events.PulseEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
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
 * <p><b>Order.</b> Events are held until the watermark reaches them and applied in event-time order
 * (ties: by kind, then event id), so the results do not depend on how fast each partition was read.
 *
 * <p><b>State and its end of life.</b> One {@link MemberState} per community (map key) plus one for
 * {@code "*"}; events waiting for the watermark (gone when it passes them); one event-time timer
 * per user for the earliest pending set exit, membership expiry or cleanup, plus one per waiting
 * event time. A state is removed once the member is out of every rolling set,
 * is no longer a member, and two days have passed since its last event (window marks are moot by then).
 */
public class MemberActivityFunction extends KeyedProcessFunction<String, PulseEvent, PulseEvent> {
    private static final long serialVersionUID = 1L;
    public static final String GLOBAL = "*";
    private static final long DAY = 86_400_000L;
    /** Period of each rolling set, indexed like {@link GaugeDelta} (index 4, members, is not a rolling set). */
    private static final long[] PERIODS = {DAY, 7 * DAY, 30 * DAY, DAY, 0, 30 * DAY, 30 * DAY};
    private static final long CLEANUP_AFTER = 2 * DAY;

    private final Granularity granularity;
    private final long emitIntervalMs;
    private final long memberHorizonMs;
    private final OutputTag<GaugeDelta> deltaTag;
    private final OutputTag<RetentionDelta> retentionTag;

    private transient MapState<String, MemberState> members;
    private transient ValueState<Long> nextTimer;
    private transient MapState<Long, List<PulseEvent>> pending;
    private transient List<GaugeDelta> pendingDeltas;
    private transient List<RetentionDelta> retentionDeltas;

    public MemberActivityFunction(Granularity granularity, long emitIntervalMs, long memberHorizonMs, OutputTag<GaugeDelta> deltaTag,
                                  OutputTag<RetentionDelta> retentionTag) {
        this.granularity = granularity;
        this.emitIntervalMs = emitIntervalMs;
        this.memberHorizonMs = memberHorizonMs;
        this.deltaTag = deltaTag;
        this.retentionTag = retentionTag;
    }

    @Override
    public void open(OpenContext ctx) {
        members = getRuntimeContext().getMapState(new MapStateDescriptor<>("member-state", String.class, MemberState.class));
        nextTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("next-timer", Long.class));
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-events", Types.LONG,
                Types.LIST(TypeInformation.of(PulseEvent.class))));
        pendingDeltas = new ArrayList<>();
        retentionDeltas = new ArrayList<>();
    }

    @Override
    public void processElement(PulseEvent e, Context ctx, Collector<PulseEvent> out) throws Exception {
        // Held until the watermark reaches it, then applied in event-time order: partitions and
        // topics may be read at very different speeds (a replayed click topic can run days ahead of
        // the messages), and first-in-window marks, rolling sets and joins/leaves must not depend on that.
        List<PulseEvent> at = pending.get(e.getTs());
        if (at == null) {
            at = new ArrayList<>(1);
        }
        ctx.timerService().registerEventTimeTimer(e.getTs());
        at.add(e);
        pending.put(e.getTs(), at);
    }

    private void apply(PulseEvent e, Context ctx, Collector<PulseEvent> out) throws Exception {
        int touches = 0;
        long due = Long.MAX_VALUE;
        if (e.getCommunityId() != null) {
            MemberState st = members.get(e.getCommunityId());
            if (st == null) st = new MemberState();
            touches |= update(e.getCommunityId(), st, MemberTouches.COMMUNITY, e);
            due = dueOf(st);
        }
        MemberState global = members.get(GLOBAL);
        if (global == null) global = new MemberState();
        touches |= update(GLOBAL, global, MemberTouches.GLOBAL, e);
        due = Math.min(due, dueOf(global));
        e.setTouches(touches);
        flushDeltas(ctx);
        // Only an earlier due time needs the timer moved; a timer that fires too early finds
        // nothing due and reschedules itself after a full scan (see onTimer).
        Long current = nextTimer.value();
        if (current == null || due < current) {
            if (current != null) {
                deleteTimer(current, ctx);
            }
            ctx.timerService().registerEventTimeTimer(due);
            nextTimer.update(due);
        }
        out.collect(e);
    }

    private int update(String key, MemberState st, int scope, PulseEvent e) throws Exception {
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
        members.put(key, st);
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

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PulseEvent> out) throws Exception {
        Long due = nextTimer.value();
        if (due != null && due <= timestamp) {
            retire(timestamp, ctx);
        }
        List<PulseEvent> at = pending.get(timestamp);
        if (at != null) {
            pending.remove(timestamp);
            // Same order in every run: by kind, then event id.
            at.sort(Comparator.comparing((PulseEvent p) -> p.getKind().ordinal()).thenComparing(PulseEvent::getEventId));
            for (PulseEvent e : at) {
                apply(e, ctx, out);
            }
        }
    }

    /** Processes the exits, expiries and cleanups due at {@code timestamp}; then keeps one timer for the next. */
    private void retire(long timestamp, Context ctx) throws Exception {
        List<String> remove = new ArrayList<>();
        List<Map.Entry<String, MemberState>> changed = new ArrayList<>();
        long due = Long.MAX_VALUE;
        boolean any = false;
        for (Iterator<Map.Entry<String, MemberState>> it = members.iterator(); it.hasNext(); ) {
            Map.Entry<String, MemberState> en = it.next();
            String key = en.getKey();
            MemberState st = en.getValue();
            boolean dirty = false;
            for (int p = 0; p < MemberState.SETS; p++) {
                if (st.getInSince()[p] != MemberState.NONE) {
                    long exit = exitOf(st, p);
                    if (exit <= timestamp) {
                        delta(key, exit, p, -1);
                        st.getInSince()[p] = MemberState.NONE;
                        st.getPrevExit()[p] = exit;
                        dirty = true;
                    }
                }
            }
            if (st.isMember() && st.getLastEvent() + memberHorizonMs <= timestamp) {
                st.setMember(false);
                membership(key, ceil(st.getLastEvent() + memberHorizonMs), -1);
                dirty = true;
            }
            if (!st.isMember() && !st.anySetIn() && st.getLastEvent() + CLEANUP_AFTER <= timestamp) {
                remove.add(key);
                continue;
            }
            if (dirty) {
                changed.add(Map.entry(key, st));
            }
            // The next due time is computed in the same pass (no second scan of the user's states).
            any = true;
            due = Math.min(due, dueOf(st));
        }
        for (String k : remove) {
            members.remove(k);
        }
        for (Map.Entry<String, MemberState> c : changed) {
            members.put(c.getKey(), c.getValue());
        }
        flushDeltas(ctx);
        nextTimer.clear();
        reschedule(ctx, any, due);
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
        long due = Long.MAX_VALUE;
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

    /** Keeps exactly one timer: {@code due}, the earliest due time of any of the user's states (none when {@code !any}: no state left). */
    private void reschedule(Context ctx, boolean any, long due) throws Exception {
        Long current = nextTimer.value();
        if (current != null && (!any || current != due)) {
            deleteTimer(current, ctx);
            nextTimer.clear();
            current = null;
        }
        if (any && current == null) {
            ctx.timerService().registerEventTimeTimer(due);
            nextTimer.update(due);
        }
    }

    /** Deletes the retirement timer unless events wait for the same instant (timers are per key and time). */
    private void deleteTimer(long t, Context ctx) throws Exception {
        if (!pending.contains(t)) {
            ctx.timerService().deleteEventTimeTimer(t);
        }
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

    private void flushDeltas(Context ctx) {
        for (GaugeDelta g : pendingDeltas) {
            for (long v : g.getDelta()) {
                if (v != 0) {
                    ctx.output(deltaTag, g);
                    break;
                }
            }
        }
        pendingDeltas.clear();
        for (RetentionDelta r : retentionDeltas) {
            ctx.output(retentionTag, r);
        }
        retentionDeltas.clear();
    }
}
