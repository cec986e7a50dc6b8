package com.communitypulse.lifecycle;

import com.communitypulse.alerts.AlertIds;
import com.communitypulse.alerts.AlertRecord;
import com.communitypulse.alerts.AlertType;
import com.communitypulse.alerts.Evidence;
import com.communitypulse.alerts.Severity;
import com.communitypulse.alerts.WallClock;
import com.communitypulse.events.EventKind;
import com.communitypulse.events.PulseEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import com.communitypulse.state.WriteBackFunction;
import com.communitypulse.state.WriteBackValue;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Member lifecycle per community × member (CONTRACT §5) and the member churn alerts (CONTRACT §6
 * {@code MEMBER_AT_RISK}, {@code MEMBER_CHURNED}).
 *
 * <p><b>Keying.</b> Keyed by {@code user_id}, with one {@link MemberLifecycle} per community in a
 * map. Decision: input 1 is the output of {@code MemberActivityOperator} (same key, same
 * parallelism, forward), which already releases each user's events in event-time order once the
 * watermark passes them; so this function needs no buffer of its own, and needs no shuffle of
 * the full event stream. Input 2 carries only replies and reactions, re-keyed by
 * {@code reply_to_user}: what a member <em>received</em> (top contributor test).
 *
 * <p><b>Stages</b> ({@link LifecycleStage}): join → {@code new}; first activity without a join →
 * {@code active}; {@code new} ends after {@code new-for} (→ {@code silent} if the member has not
 * spoken since joining, else {@code active}); no post/comment/reply for {@code silent-after} →
 * {@code silent} (speaking again → {@code active}); no activity for max({@code at-risk-min},
 * factor × p90 of the quiet stretches between the member's latest {@code history-days} activity
 * sessions — a session is activity without a break over 12 h, so a burst across midnight counts
 * once) → {@code at_risk}; leave, or no activity for {@code churned-after} → {@code churned}; activity in
 * {@code at_risk}/{@code churned} → {@code reactivated}, which settles into {@code active} on the
 * next active day; a join after {@code churned} → {@code new}. Every change is one
 * {@link LifecycleRecord} (main output). Staff and bot events, and events without a community
 * (organic clicks, unattributed orders) do not take part.
 *
 * <p><b>Valuable</b> (evaluated when the alert would fire): a paid order attributed to the community
 * within {@code buyer-window}; or active on at least {@code active-days} of the 28 days up to the
 * last active day; or at least {@code received} replies + reactions received in those 28 days
 * (top contributor, approximated: CONTRACT §4 ranks daily top N, here a fixed bar). The 28 days end at
 * the last active day, not at the alert: an at-risk member has by definition been quiet for a week
 * or more, and their value is what they did before going quiet.
 *
 * <p><b>Alerts</b> (side output): {@code MEMBER_CHURNED} when a valuable member leaves or churns;
 * {@code MEMBER_AT_RISK} when a valuable member enters {@code at_risk} and their cadence rests on at
 * least {@code at-risk-alert.min-active-days} active days (deviation from CONTRACT §6, see the package
 * docs: a median of one or two gaps says little about a member's rhythm and alerts on it were
 * mostly noise). Ids are deterministic: type, community, member, transition time (and reason).
 *
 * <p><b>Time semantics</b>: event time. An event first applies every time-based transition due
 * before its own time (with that due time as {@code event_ts}), then itself; an event-time timer
 * applies the transitions of members who stay quiet. So the output does not depend on how
 * watermarks and events interleave.
 *
 * <p><b>State and its end of life</b>: per user one value ({@link LifecycleStates}) with a
 * {@link MemberLifecycle} per community the user acts in and the time of exactly one event-time
 * timer (the earliest due transition or cleanup over the user's communities; a timer that fires
 * early finds nothing due and re-arms for the next). A community entry is removed once the member
 * is {@code churned} and had no event for {@code retention} (default 90 d); an entry that only
 * holds facts (orders, replies received by someone never seen acting) after {@code retention}
 * without an event. When the last entry goes, the value and the timer go too.
 *
 * <p>The value is read and changed on the heap and written back at each checkpoint
 * ({@link WriteBackValue}; run by {@link com.communitypulse.state.WriteBackOperators}).
 *
 * <p><b>Upgrade.</b> Release 0.1.0 kept a map state per community and a timer value; a restored
 * user is moved to the current value on their first event or timer, then the old state is cleared.
 */
public class LifecycleFunction extends KeyedCoProcessFunction<String, PulseEvent, PulseEvent, LifecycleRecord> implements WriteBackFunction {
    private static final long serialVersionUID = 1L;
    static final long DAY = 86_400_000L;
    static final String LEGACY_MEMBERS = "lifecycle-members";
    static final String LEGACY_TIMER = "lifecycle-timer";
    /** Users whose decoded value stays on the heap between checkpoints. */
    static final int CACHED_USERS = 100_000;

    private final LifecycleSettings s;
    private final OutputTag<AlertRecord> alertTag;
    private final WallClock clock;

    private transient WriteBackValue<byte[], LifecycleStates> states;
    private transient MapState<String, MemberLifecycle> legacyMembers;
    private transient ValueState<Long> legacyTimer;
    private transient ZoneRules zone;

    public LifecycleFunction(LifecycleSettings settings, OutputTag<AlertRecord> alertTag, WallClock clock) {
        this.s = settings;
        this.alertTag = alertTag;
        this.clock = clock;
    }

    @Override
    public void open(OpenContext ctx) {
        states = WriteBackValue.of(getRuntimeContext().getState(new ValueStateDescriptor<>("lifecycle-states", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)),
                LifecycleStates::decode, LifecycleStates::encode, CACHED_USERS);
        legacyMembers = getRuntimeContext().getMapState(new MapStateDescriptor<>(LEGACY_MEMBERS, Types.STRING,
                TypeInformation.of(MemberLifecycle.class)));
        legacyTimer = getRuntimeContext().getState(new ValueStateDescriptor<>(LEGACY_TIMER, Types.LONG));
        zone = ZoneId.of(s.zone).getRules();
    }

    /** The member's own events, in event-time order. */
    @Override
    public void processElement1(PulseEvent e, Context ctx, Collector<LifecycleRecord> out) throws Exception {
        String c = e.getCommunityId();
        if (c == null || e.isStaffOrBot()) {
            return;
        }
        LifecycleStates all = load();
        MemberLifecycle st = all.get(c);
        // Strictly before: an event at the very instant a threshold is reached comes first (the member was not quiet that long).
        if (st == null || !advance(c, st, e.getTs() - 1, ctx, out)) {
            st = new MemberLifecycle();
        }
        apply(c, st, e, ctx, out);
        all.put(c, st);
        schedule(all, due(c, st), ctx);
        states.update(all);
    }

    /** A reply or reaction that another member addressed to this one. */
    @Override
    public void processElement2(PulseEvent e, Context ctx, Collector<LifecycleRecord> out) throws Exception {
        String c = e.getCommunityId();
        if (c == null || e.isStaffOrBot()) {
            return;
        }
        LifecycleStates all = load();
        MemberLifecycle st = all.get(c);
        if (st == null) {
            // Kept even before the member's own first event: the two inputs are not ordered against each other.
            st = new MemberLifecycle();
        }
        st.addReceived(day(e.getTs()));
        if (st.getStage() == null) {
            st.setLastEvent(Math.max(st.getLastEvent(), e.getTs()));
        }
        all.put(c, st);
        schedule(all, due(c, st), ctx);
        states.update(all);
    }

    /**
     * The user's states (empty when none). A user restored from a 0.1.0 savepoint is moved to the
     * current value here; the old timer value is looked up only while the user has no current value.
     */
    private LifecycleStates load() throws Exception {
        LifecycleStates cached = states.value();
        if (cached != null) {
            return cached;
        }
        LifecycleStates all = new LifecycleStates();
        Long old = legacyTimer.value();
        if (old != null) {
            for (Map.Entry<String, MemberLifecycle> en : legacyMembers.entries()) {
                MemberLifecycle st = en.getValue();
                st.setGapHours(null); // not in that layout: read the rhythm from the member's active days
                all.put(en.getKey(), st);
            }
            all.setTimer(old); // still registered
            legacyMembers.clear();
            legacyTimer.clear();
        }
        return all;
    }

    @Override
    public List<WriteBackValue<?, ?>> writeBackValues() {
        return List.of(states);
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<LifecycleRecord> out) throws Exception {
        LifecycleStates all = load();
        if (all.timer() > t) {
            return;
        }
        List<String> expired = new ArrayList<>();
        long next = LifecycleStates.NO_TIMER;
        for (Map.Entry<String, MemberLifecycle> en : all.entries()) {
            MemberLifecycle st = en.getValue();
            if (due(en.getKey(), st) <= t && !advance(en.getKey(), st, t, ctx, out)) {
                expired.add(en.getKey());
                continue;
            }
            next = Math.min(next, due(en.getKey(), st));
        }
        all.removeAll(expired);
        if (all.isEmpty()) {
            states.clear();
            return;
        }
        ctx.timerService().registerEventTimeTimer(next);
        all.setTimer(next);
        states.update(all);
    }

    private void apply(String c, MemberLifecycle st, PulseEvent e, Context ctx, Collector<LifecycleRecord> out) {
        long ts = e.getTs();
        EventKind k = e.getKind();
        LifecycleStage stage = st.getStage();
        st.setLastEvent(Math.max(st.getLastEvent(), ts));
        if (k == EventKind.JOIN) {
            st.setJoinTs(ts);
            if (stage == null || stage == LifecycleStage.CHURNED) {
                st.setActiveRef(Math.max(st.getActiveRef(), ts));
                st.setSpeakRef(Math.max(st.getSpeakRef(), ts));
                move(c, st, LifecycleStage.NEW, ts, stage == null ? "joined" : "rejoined", ctx, out);
            }
        } else if (k == EventKind.LEAVE) {
            if (stage != LifecycleStage.CHURNED) {
                move(c, st, LifecycleStage.CHURNED, ts, "left", ctx, out);
            }
        } else if (k == EventKind.PAID) {
            st.setOrders(st.getOrders() + 1);
            st.setGmvMinor(st.getGmvMinor() + e.getAmountMinor());
            st.setLastPaid(Math.max(st.getLastPaid(), ts));
        } else if (k == EventKind.REFUNDED) {
            st.setGmvMinor(st.getGmvMinor() - e.getAmountMinor());
        } else if (k.isActivity()) {
            int d = day(ts);
            st.addDay(d, s.historyDays);
            st.addActivity(ts, st.getLastActive(), s.historyDays);
            st.setLastActive(Math.max(st.getLastActive(), ts));
            st.setActiveRef(Math.max(st.getActiveRef(), ts));
            if (k.isSpeaking() || stage == null || stage.isLapsed()) {
                // First sighting and comebacks restart the no-speaking clock too.
                st.setSpeakRef(Math.max(st.getSpeakRef(), ts));
            }
            if (stage == null) {
                move(c, st, LifecycleStage.ACTIVE, ts, "first_activity", ctx, out);
            } else if (stage.isLapsed()) {
                move(c, st, LifecycleStage.REACTIVATED, ts, "active_again", ctx, out);
            } else if (stage == LifecycleStage.SILENT && k.isSpeaking()) {
                move(c, st, LifecycleStage.ACTIVE, ts, "spoke", ctx, out);
            } else if (stage == LifecycleStage.REACTIVATED && d > day(st.getStageSince())) {
                move(c, st, LifecycleStage.ACTIVE, ts, "settled", ctx, out);
            }
        }
    }

    /** Applies the time-based transitions due at or before {@code now}; false when the entry has reached its end of life. */
    private boolean advance(String c, MemberLifecycle st, long now, Context ctx, Collector<LifecycleRecord> out) {
        Thresholds th = s.of(c);
        while (true) {
            LifecycleStage stage = st.getStage();
            if (stage == null || stage == LifecycleStage.CHURNED) {
                return st.getLastEvent() + s.retentionMs > now;
            }
            long churn = st.getActiveRef() + th.churnedAfterMs;
            long risk = stage == LifecycleStage.AT_RISK ? Long.MAX_VALUE : st.getActiveRef() + atRiskAfter(st, th);
            long newEnd = stage == LifecycleStage.NEW ? st.getJoinTs() + th.newForMs : Long.MAX_VALUE;
            long silent = stage == LifecycleStage.ACTIVE || stage == LifecycleStage.REACTIVATED ? st.getSpeakRef() + th.silentAfterMs : Long.MAX_VALUE;
            long first = Math.min(Math.min(churn, risk), Math.min(newEnd, silent));
            if (first > now) {
                return true;
            }
            // On ties the more severe stage wins: churned, then at_risk, then the rest.
            if (churn == first) {
                move(c, st, LifecycleStage.CHURNED, churn, "inactive", ctx, out);
            } else if (risk == first) {
                move(c, st, LifecycleStage.AT_RISK, risk, "no_activity", ctx, out);
            } else if (silent == first) {
                move(c, st, LifecycleStage.SILENT, silent, "no_speaking", ctx, out);
            } else {
                boolean spoke = st.getSpeakRef() + th.silentAfterMs > newEnd;
                move(c, st, spoke ? LifecycleStage.ACTIVE : LifecycleStage.SILENT, newEnd, spoke ? "new_period_over" : "no_speaking", ctx, out);
            }
        }
    }

    /** The earliest time at which {@link #advance} would change or remove this entry. */
    private long due(String c, MemberLifecycle st) {
        Thresholds th = s.of(c);
        LifecycleStage stage = st.getStage();
        if (stage == null || stage == LifecycleStage.CHURNED) {
            return st.getLastEvent() + s.retentionMs;
        }
        long d = st.getActiveRef() + th.churnedAfterMs;
        if (stage != LifecycleStage.AT_RISK) d = Math.min(d, st.getActiveRef() + atRiskAfter(st, th));
        if (stage == LifecycleStage.NEW) d = Math.min(d, st.getJoinTs() + th.newForMs);
        if (stage == LifecycleStage.ACTIVE || stage == LifecycleStage.REACTIVATED) d = Math.min(d, st.getSpeakRef() + th.silentAfterMs);
        return d;
    }

    private static long atRiskAfter(MemberLifecycle st, Thresholds th) {
        return th.atRiskAfter(rhythmGapMs(st));
    }

    /** The member's rhythm: a high quantile of the quiet stretches between their sessions (docs/SEMANTICS.md, Lifecycle). */
    private static long rhythmGapMs(MemberLifecycle st) {
        return st.gapQuantileHours(MemberLifecycle.RHYTHM_QUANTILE) * MemberLifecycle.HOUR_MS;
    }

    /** Keeps one timer per user: moves it only when something is due earlier (onTimer re-arms for the rest). */
    private static void schedule(LifecycleStates all, long due, Context ctx) {
        long current = all.timer();
        if (due < current) {
            if (current != LifecycleStates.NO_TIMER) ctx.timerService().deleteEventTimeTimer(current);
            ctx.timerService().registerEventTimeTimer(due);
            all.setTimer(due);
        }
    }

    private void move(String c, MemberLifecycle st, LifecycleStage to, long at, String reason, Context ctx, Collector<LifecycleRecord> out) {
        LifecycleStage from = st.getStage();
        String user = ctx.getCurrentKey();
        st.setStage(to);
        st.setStageSince(at);
        out.collect(new LifecycleRecord(c, user, from, to, at, reason));
        if (to == LifecycleStage.AT_RISK || to == LifecycleStage.CHURNED) {
            List<String> why = valuable(st, at, reason);
            if (why.isEmpty()) return;
            if (to == LifecycleStage.AT_RISK && st.getDays().length < s.alertMinActiveDays) return;
            AlertType type = to == LifecycleStage.AT_RISK ? AlertType.MEMBER_AT_RISK : AlertType.MEMBER_CHURNED;
            String id = to == LifecycleStage.AT_RISK ? AlertIds.of(type, c, user, at) : AlertIds.of(type, c, user, at, reason);
            ctx.output(alertTag, new AlertRecord(id, type, Severity.WARNING, c, user, at, clock.now(), null, evidence(c, st, from, to, at, reason, why)));
        }
    }

    /** Why the member is valuable at {@code now}, the time of a move for {@code reason}; empty when not. */
    private List<String> valuable(MemberLifecycle st, long now, String reason) {
        List<String> why = new ArrayList<>(3);
        if (st.getLastPaid() != MemberLifecycle.NONE && now - st.getLastPaid() <= s.buyerWindowMs) why.add("recent_buyer");
        int lastDay = st.getDays().length > 0 ? st.getDays()[st.getDays().length - 1] : day(now);
        if (st.activeDaysUpTo(lastDay) >= s.valuableActiveDays) why.add("frequent");
        if (st.receivedUpTo(receivedUpToDay(lastDay, now, reason)) >= s.valuableReceived) why.add("top_contributor");
        return why;
    }

    /**
     * The last day whose replies received count. For a leave, the day before it: a leave is decided on
     * arrival, and replies to the member reach this operator on the other input, from other subtasks,
     * in no fixed order relative to it — a reply of the leave's own day may or may not be here yet.
     * Earlier days are complete unless an upstream subtask lags by most of a day, so the verdict is
     * the same in file mode, on Kafka and on replay (found by the 1M-event recount).
     */
    private int receivedUpToDay(int lastDay, long at, String reason) {
        return "left".equals(reason) ? Math.min(lastDay, day(at) - 1) : lastDay;
    }

    private String evidence(String c, MemberLifecycle st, LifecycleStage from, LifecycleStage to, long at, String reason, List<String> why) {
        Thresholds th = s.of(c);
        int[] days = st.getDays();
        int lastDay = days.length > 0 ? days[days.length - 1] : day(at);
        double usual = Evidence.round(st.gapQuantileHours(0.5) / 24.0);
        double p90 = Evidence.round(rhythmGapMs(st) / (double) DAY);
        double after = Evidence.round((double) th.atRiskAfter(rhythmGapMs(st)) / DAY);
        int gaps = st.gapHours().length;
        return Evidence.object(g -> {
            g.writeStringField("from", from == null ? LifecycleStage.NONE : from.wireName());
            g.writeStringField("to", to.wireName());
            g.writeStringField("reason", reason);
            if (st.getLastActive() != MemberLifecycle.NONE) {
                g.writeNumberField("last_active_ts", st.getLastActive());
                g.writeNumberField("days_since_active", Evidence.round((double) (at - st.getLastActive()) / DAY));
            }
            g.writeNumberField("usual_gap_days", usual);
            g.writeNumberField("p90_gap_days", p90);
            g.writeNumberField("history_session_gaps", gaps);
            g.writeNumberField("at_risk_after_days", after);
            if (to == LifecycleStage.AT_RISK) g.writeStringField("summary", rhythmSummary(st, at, usual, p90, gaps, after));
            if (to == LifecycleStage.CHURNED) g.writeStringField("summary", churnSummary(st, at, reason, usual, gaps, th, why));
            g.writeNumberField("history_active_days", days.length);
            g.writeNumberField("active_days_last_28", st.activeDaysUpTo(lastDay));
            g.writeNumberField("received_last_28", st.receivedUpTo(receivedUpToDay(lastDay, at, reason)));
            g.writeNumberField("lifetime_orders", st.getOrders());
            g.writeNumberField("lifetime_gmv_minor", st.getGmvMinor());
            if (st.getLastPaid() != MemberLifecycle.NONE) g.writeNumberField("last_paid_ts", st.getLastPaid());
            g.writeArrayFieldStart("valuable_because");
            for (String w : why) g.writeString(w);
            g.writeEndArray();
        });
    }

    /**
     * The rhythm against the silence in a moderator's words, e.g. "usually back within 2 d
     * (median quiet stretch between 15 sessions; p90 3 d), silent 9.1 d since 2026-11-20 21:40
     * Asia/Shanghai; at risk after 9 d".
     */
    private String rhythmSummary(MemberLifecycle st, long at, double usual, double p90, int gaps, double after) {
        StringBuilder b = new StringBuilder();
        if (gaps == 0) {
            b.append("no earlier break between sessions to learn a rhythm from");
        } else {
            b.append("usually back within ").append(span(usual)).append(" (median quiet stretch between ").append(gaps + 1)
                    .append(" sessions; p90 ").append(span(p90)).append(')');
        }
        if (st.getLastActive() != MemberLifecycle.NONE) {
            b.append(", silent ").append(span(Evidence.round((double) (at - st.getLastActive()) / DAY))).append(" since ")
                    .append(LOCAL.format(Instant.ofEpochMilli(st.getLastActive()).atZone(ZoneId.of(s.zone)))).append(' ').append(s.zone);
        }
        return b.append("; at risk after ").append(span(after)).toString();
    }

    /**
     * Why a valuable member counts as churned, in a moderator's words, e.g. "left the community on
     * 2026-11-20 21:40 Asia/Shanghai; valuable: recent buyer, frequent" or "silent 30 d since
     * 2026-10-21 09:15 Asia/Shanghai (usually back within 2 d); churned after 30 d without activity;
     * valuable: top contributor".
     */
    private String churnSummary(MemberLifecycle st, long at, String reason, double usual, int gaps, Thresholds th, List<String> why) {
        StringBuilder b = new StringBuilder();
        if ("left".equals(reason)) {
            b.append("left the community on ").append(local(at));
        } else {
            if (st.getLastActive() != MemberLifecycle.NONE) {
                b.append("silent ").append(span(Evidence.round((double) (at - st.getLastActive()) / DAY))).append(" since ")
                        .append(local(st.getLastActive()));
            } else {
                b.append("no activity seen");
            }
            if (gaps > 0) b.append(" (usually back within ").append(span(usual)).append(')');
            b.append("; churned after ").append(span((double) th.churnedAfterMs / DAY)).append(" without activity");
        }
        if (!why.isEmpty()) {
            b.append("; valuable: ").append(String.join(", ", why.stream().map(w -> w.replace('_', ' ')).toList()));
        }
        return b.toString();
    }

    private String local(long ts) {
        return LOCAL.format(Instant.ofEpochMilli(ts).atZone(ZoneId.of(s.zone))) + " " + s.zone;
    }

    /** Days to a tenth, or hours under a day: "3 d", "2.5 d", "14 h". */
    static String span(double days) {
        if (days < 1) return Math.round(days * 24) + " h";
        double r = Math.round(days * 10) / 10.0;
        return (r == Math.rint(r) ? String.valueOf((long) r) : String.valueOf(r)) + " d";
    }

    private static final java.time.format.DateTimeFormatter LOCAL = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    int day(long ts) {
        int offset = zone.getOffset(Instant.ofEpochMilli(ts)).getTotalSeconds();
        return (int) Math.floorDiv(ts + offset * 1000L, DAY);
    }
}
