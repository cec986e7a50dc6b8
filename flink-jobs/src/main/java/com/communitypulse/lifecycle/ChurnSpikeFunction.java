package com.communitypulse.lifecycle;

import com.communitypulse.alerts.AlertIds;
import com.communitypulse.alerts.AlertRecord;
import com.communitypulse.alerts.AlertState;
import com.communitypulse.alerts.AlertType;
import com.communitypulse.alerts.Evidence;
import com.communitypulse.alerts.Severity;
import com.communitypulse.alerts.WallClock;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * {@code CHURN_SPIKE} episodes (CONTRACT §6): a community's leaves + churned members in the trailing
 * 24 h exceed max({@code min-count}, k × its own baseline).
 *
 * <p><b>Input</b>: {@link LifecycleRecord}s keyed by community; only transitions into
 * {@code churned} count (a member who leaves counts once, whether they left or went inactive first).
 * <b>Output</b>: one {@code firing} {@link AlertRecord} per episode, one {@code resolved} when the
 * trailing count is back at or below the level.
 *
 * <p><b>Baseline</b>: exponentially weighted means (half-life {@code baseline-half-life}) of the
 * trailing 24 h count, of all churned and of leaves alone, sampled at each UTC midnight, days
 * without any churn included as zeros, days inside an episode left out. <b>Fires</b> when the
 * leaves exceed max(min-count, k × leave baseline) or all churned exceed max(min-count, k ×
 * baseline); the latter only once the baseline has learnt {@value #BASELINE_MIN_DAYS} days after
 * the first inactivity churn (that churn starts a whole churn period after members are first seen,
 * after a deployment or in a new community: a step that is not a spike). <b>Resolves</b> after
 * both have stayed at or below their levels for 6 h (no flapping).
 *
 * <p><b>Time semantics</b>: event time ({@code event_ts} of the transition). Counts go into hour
 * buckets on arrival; decisions are taken only by event-time timers at hour boundaries, one per
 * hour while the trailing window holds counts or an episode is open. A record for an hour that has
 * left the window of the next evaluation cannot change anything and is ignored.
 *
 * <p><b>State</b> per community: one {@link ChurnWindow} (hourly counts of the window, baselines, episode). When
 * the window is empty and no episode is open, the hourly chain stops and a single timer keeps the
 * baseline for {@code baseline-retention}; then the state is cleared.
 */
public class ChurnSpikeFunction extends KeyedProcessFunction<String, LifecycleRecord, AlertRecord> {
    private static final long serialVersionUID = 1L;
    static final long HOUR = 3_600_000L;
    static final long DAY = 86_400_000L;
    /** Days the all-churn baseline learns (after inactivity churn first appears) before it is used. */
    static final int BASELINE_MIN_DAYS = 7;
    static final long RESOLVE_AFTER = 6 * HOUR;

    private final LifecycleSettings s;
    private final WallClock clock;
    private transient ValueState<ChurnWindow> window;

    public ChurnSpikeFunction(LifecycleSettings settings, WallClock clock) {
        this.s = settings;
        this.clock = clock;
    }

    @Override
    public void open(OpenContext ctx) {
        window = getRuntimeContext().getState(new ValueStateDescriptor<>("churn-window", TypeInformation.of(ChurnWindow.class)));
    }

    @Override
    public void processElement(LifecycleRecord r, Context ctx, Collector<AlertRecord> out) throws Exception {
        if (r.getTo() != LifecycleStage.CHURNED) {
            return;
        }
        long hour = Math.floorDiv(r.getEventTs(), HOUR);
        ChurnWindow w = window.value();
        if (w == null) w = new ChurnWindow();
        long hourEnd = (hour + 1) * HOUR;
        long watermark = ctx.timerService().currentWatermark();
        // Ignored only when evaluations have passed its hour and no later one's window reaches back to
        // it. A record ahead of the watermark always counts, however far the chain has been scheduled.
        if (w.getNextEvaluation() != ChurnWindow.NONE && hourEnd <= w.getNextEvaluation() - DAY && hourEnd <= watermark) {
            return;
        }
        if (w.getNextEvaluation() == ChurnWindow.NONE) {
            if (w.getRetentionAt() != ChurnWindow.NONE) {
                ctx.timerService().deleteEventTimeTimer(w.getRetentionAt());
                w.setRetentionAt(ChurnWindow.NONE);
            }
            w.setNextEvaluation(hourEnd);
            ctx.timerService().registerEventTimeTimer(hourEnd);
        } else if (hourEnd < w.getNextEvaluation() && hourEnd > watermark) {
            // An earlier hour that no evaluation has passed yet (transitions from parallel lifecycle
            // subtasks arrive in no fixed order, e.g. all at once at the end of a bounded input):
            // start the chain there, so the evaluated hours do not depend on arrival order.
            ctx.timerService().deleteEventTimeTimer(w.getNextEvaluation());
            w.setNextEvaluation(hourEnd);
            ctx.timerService().registerEventTimeTimer(hourEnd);
        }
        boolean left = "left".equals(r.getReason());
        if (!left && w.getInactiveSince() == ChurnWindow.NONE
                && (w.getPendingInactiveSince() == ChurnWindow.NONE || r.getEventTs() < w.getPendingInactiveSince())) {
            // Applied by the next evaluation past it (see evaluate), not here: records from parallel
            // lifecycle subtasks may arrive days ahead of the evaluations.
            w.setPendingInactiveSince(r.getEventTs());
        }
        w.add(hour, left);
        window.update(w);
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<AlertRecord> out) throws Exception {
        ChurnWindow w = window.value();
        if (w == null) return;
        if (w.getNextEvaluation() == t) {
            evaluate(t, w, ctx, out);
        } else if (w.getRetentionAt() == t && w.getNextEvaluation() == ChurnWindow.NONE) {
            window.clear();
        }
    }

    private void evaluate(long t, ChurnWindow w, OnTimerContext ctx, Collector<AlertRecord> out) throws Exception {
        String c = ctx.getCurrentKey();
        Thresholds th = s.of(c);
        if (w.getPendingInactiveSince() != ChurnWindow.NONE && w.getPendingInactiveSince() < t) {
            w.setInactiveSince(w.getPendingInactiveSince());
            w.setPendingInactiveSince(ChurnWindow.NONE);
            // Inactivity churn only starts a churn period after the members were first seen (a deployment, a
            // new community): a step, not a spike. The all-churn baseline learns afresh from here.
            w.setSamples(0);
        }
        long toHour = t / HOUR;
        int current = w.sum(toHour - 24, toHour, false);
        int leaves = w.sum(toHour - 24, toHour, true);
        w.dropBefore(toHour - 23);
        double level = Math.max(th.spikeMinCount, th.spikeK * w.getBaseline());
        double leaveLevel = Math.max(th.spikeMinCount, th.spikeK * w.getLeaveBaseline());
        boolean allMature = w.getInactiveSince() == ChurnWindow.NONE || w.getSamples() >= BASELINE_MIN_DAYS;
        boolean high = leaves > leaveLevel || (allMature && current > level);
        if (w.getEpisodeStart() == ChurnWindow.NONE) {
            if (high) {
                String id = AlertIds.of(AlertType.CHURN_SPIKE, c, null, t, AlertState.FIRING.wireName());
                Severity sev = current > 2 * level ? Severity.CRITICAL : Severity.WARNING;
                out.collect(new AlertRecord(id, AlertType.CHURN_SPIKE, sev, c, null, t, clock.now(), AlertState.FIRING,
                        evidence(t, current, leaves, level, leaveLevel, allMature, w, null)));
                w.setEpisodeStart(t);
                w.setFiringAlertId(id);
                w.setPeak(current);
                w.setCalmSince(ChurnWindow.NONE);
            }
        } else {
            w.setPeak(Math.max(w.getPeak(), current));
            if (high) {
                w.setCalmSince(ChurnWindow.NONE);
            } else {
                if (w.getCalmSince() == ChurnWindow.NONE) w.setCalmSince(t);
                // Calm for a while before resolving: a count hovering at the level must not flap.
                if (t - w.getCalmSince() >= RESOLVE_AFTER) {
                    String id = AlertIds.of(AlertType.CHURN_SPIKE, c, null, w.getEpisodeStart(), AlertState.RESOLVED.wireName());
                    out.collect(new AlertRecord(id, AlertType.CHURN_SPIKE, Severity.INFO, c, null, t, clock.now(), AlertState.RESOLVED,
                            evidence(t, current, leaves, level, leaveLevel, allMature, w, id)));
                    w.setEpisodeStart(ChurnWindow.NONE);
                    w.setFiringAlertId(null);
                    w.setPeak(0);
                    w.setCalmSince(ChurnWindow.NONE);
                }
            }
        }
        if (t % DAY == 0) {
            if (w.getEpisodeStart() == ChurnWindow.NONE) {
                sample(w, t / DAY, current, leaves);
            } else {
                // Spike days do not teach the baseline (else a young baseline would resolve its own first spike); not zeros either.
                w.setLastSampleDay(t / DAY);
            }
        }
        // Only counts up to this evaluation keep the chain going: counts of later hours (records ahead
        // of the watermark, e.g. another subtask's end-of-input flush) restart it at their own hour,
        // so whether they arrived before or after this moment changes nothing.
        long first = w.firstFrom(toHour - 23); // the first count in the trailing day or, failing that, after it
        boolean more = first != ChurnWindow.NONE && first <= toHour || w.getEpisodeStart() != ChurnWindow.NONE;
        if (more) {
            w.setNextEvaluation(t + HOUR);
            ctx.timerService().registerEventTimeTimer(t + HOUR);
        } else if (first != ChurnWindow.NONE) {
            w.setNextEvaluation((first + 1) * HOUR);
            ctx.timerService().registerEventTimeTimer(w.getNextEvaluation());
        } else {
            w.setNextEvaluation(ChurnWindow.NONE);
            w.setRetentionAt(t + s.spikeRetentionMs);
            ctx.timerService().registerEventTimeTimer(w.getRetentionAt());
        }
        window.update(w);
    }

    /** One daily sample; the days the chain did not run (no churn at all) count as zeros. */
    private void sample(ChurnWindow w, long day, int count, int leaves) {
        double alpha = 1 - Math.pow(0.5, (double) DAY / s.spikeHalfLifeMs);
        long missed = w.getLastSampleDay() == ChurnWindow.NONE ? 0 : Math.max(0, day - w.getLastSampleDay() - 1);
        double mean = w.getBaseline() * Math.pow(1 - alpha, missed);
        int n = w.getSamples() + (int) Math.min(missed, 1_000_000);
        // Early samples get weight 1/n (a plain average), so a young baseline is not its first day.
        double a = Math.max(alpha, 1.0 / (n + 1));
        w.setBaseline(mean + a * (count - mean));
        double lm = w.getLeaveBaseline() * Math.pow(1 - alpha, missed);
        w.setLeaveBaseline(lm + Math.max(alpha, 1.0 / (w.getLeaveSamples() + missed + 1)) * (leaves - lm));
        w.setLeaveSamples(w.getLeaveSamples() + (int) Math.min(missed, 1_000_000) + 1);
        w.setSamples(n + 1);
        w.setLastSampleDay(day);
    }

    private String evidence(long t, int current, int leaves, double level, double leaveLevel, boolean allMature, ChurnWindow w,
                            String resolvedId) {
        return Evidence.object(g -> {
            g.writeNumberField("window_start", t - DAY);
            g.writeNumberField("window_end", t);
            g.writeNumberField("churned_24h", current);
            g.writeNumberField("left_24h", leaves);
            g.writeNumberField("level", Evidence.round(level));
            g.writeNumberField("leave_level", Evidence.round(leaveLevel));
            g.writeBooleanField("inactivity_baseline_mature", allMature);
            g.writeNumberField("baseline_daily", Evidence.round(w.getBaseline()));
            g.writeNumberField("leave_baseline_daily", Evidence.round(w.getLeaveBaseline()));
            g.writeNumberField("baseline_days", w.getSamples());
            g.writeStringField("summary", summary(t, current, leaves, level, leaveLevel, allMature, w, resolvedId != null));
            if (resolvedId != null) {
                g.writeStringField("firing_alert_id", w.getFiringAlertId());
                g.writeNumberField("episode_start", w.getEpisodeStart());
                g.writeNumberField("peak_churned_24h", w.getPeak());
            }
        });
    }

    /**
     * The 24 hours against the community's usual day, in a moderator's words, e.g. "14 members churned
     * in the 24 h to 2026-11-20 21:00 Asia/Shanghai (9 of them left); usually 2.1 churned and 0.8 left a
     * day, a spike from 6.3 churned or 3 left".
     */
    private String summary(long t, int current, int leaves, double level, double leaveLevel, boolean allMature, ChurnWindow w, boolean resolved) {
        String end = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
                .format(java.time.Instant.ofEpochMilli(t).atZone(java.time.ZoneId.of(s.zone))) + " " + s.zone;
        StringBuilder b = new StringBuilder();
        if (resolved) b.append("back to normal: ");
        b.append(current).append(current == 1 ? " member" : " members").append(" churned in the 24 h to ").append(end)
                .append(" (").append(leaves).append(" of them left)");
        b.append("; usually ").append(Evidence.round(w.getBaseline())).append(" churned and ")
                .append(Evidence.round(w.getLeaveBaseline())).append(" left a day");
        if (allMature) {
            b.append(", a spike from ").append(Evidence.round(level)).append(" churned or ").append(Evidence.round(leaveLevel)).append(" left");
        } else {
            b.append(", a spike from ").append(Evidence.round(leaveLevel)).append(" left (churn by inactivity is still learning its usual day)");
        }
        if (resolved) b.append("; the spike peaked at ").append(w.getPeak()).append(" churned");
        return b.toString();
    }
}
