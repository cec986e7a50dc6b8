/**
 * Member lifecycle and churn (CONTRACT §5) and the churn alerts (CONTRACT §6: {@code MEMBER_AT_RISK},
 * {@code MEMBER_CHURNED}, {@code CHURN_SPIKE}).
 *
 * <pre>
 *  member activity (user-keyed, events released in event-time order) ─ forward ─┐
 *  replies/reactions ─ keyBy(reply_to_user) ─────────────────────────────────────┤
 *                                                                                ▼
 *        LifecycleFunction: MemberLifecycle per community × member, one timer per user
 *            │ LifecycleRecord (every transition) ─────────────────────────────▶ pulse.lifecycle
 *            │ MEMBER_AT_RISK / MEMBER_CHURNED (valuable members, side output) ─▶ pulse.alerts
 *            └ keyBy(community) ─ ChurnSpikeFunction (24 h churned vs baseline) ─▶ pulse.alerts
 * </pre>
 *
 * <h2>Stages</h2>
 * {@code new} (joined &lt; {@code lifecycle.new-for}) · {@code active} · {@code silent} (no
 * post/comment/reply for {@code lifecycle.silent-after}) · {@code at_risk} (no activity for
 * max({@code lifecycle.at-risk-min}, {@code lifecycle.at-risk-cadence-factor} × p90 of the quiet
 * stretches between the member's latest {@code lifecycle.history-days} activity sessions)) · {@code churned}
 * (left, or no activity for {@code lifecycle.churned-after}) · {@code reactivated} (active again
 * after at_risk/churned; back to {@code active} on the next active day). Activity = CONTRACT §4 (any
 * message action but join/leave, or a click in the community); staff and bots are not tracked.
 *
 * <h2>Configuration</h2>
 * Global: the {@code lifecycle.*} and {@code alerts.churn-spike.*} options of
 * {@link com.communitypulse.config.PulseConfig}. Per community: the properties file named by
 * {@code thresholds.overrides} ({@link com.communitypulse.config.CommunityOverrides}, shared with
 * the sentiment alerts), lines {@code <community_id>.<key> = value} with keys
 * {@code new-for}, {@code silent-after}, {@code at-risk-min}, {@code at-risk-cadence-factor},
 * {@code churned-after}, {@code churn-spike.min-count}, {@code churn-spike.k}, e.g.
 * <pre>
 * # thresholds-overrides.properties
 * c42.at-risk-min = 10d
 * c42.churn-spike.min-count = 25
 * </pre>
 * Read at job start (see {@link com.communitypulse.lifecycle.LifecycleSettings}).
 *
 * <h2>Decisions and deviations</h2>
 * <ul>
 *   <li><b>Keyed by user</b>, chained behind member activity, so events arrive in event-time order
 *       without another buffer; the community is a map key inside the user's state.</li>
 *   <li><b>Valuable</b>: bought = a paid order <em>attributed to the community</em> (CONTRACT §4) within
 *       90 d; "last 28 days" end at the member's last active day (the alert fires after a quiet
 *       week or more); top contributor = at least {@code lifecycle.valuable.received} replies +
 *       reactions received in those 28 days (an approximation of CONTRACT §4's daily top N).</li>
 *   <li><b>MEMBER_AT_RISK needs an established cadence</b> (deviation from CONTRACT §6): the alert fires
 *       only when the cadence rests on at least {@code lifecycle.at-risk-alert.min-active-days}
 *       (default 8) active days. The {@code at_risk} stage itself follows CONTRACT §5 for everyone.
 *       Set the option to 1 for the literal CONTRACT §5 rule.</li>
 *   <li><b>CHURN_SPIKE</b> counts transitions into {@code churned} (a leave, or 30 d without
 *       activity), so a member counts once. Hourly evaluation of the trailing 24 h; fires when the
 *       count exceeds max(min-count, k × baseline), or the leaves alone exceed max(min-count, k ×
 *       leave baseline); resolves after 6 h at or below. Deviation: the all-churn test waits until
 *       its baseline has learnt 7 days past the first inactivity churn, because inactivity churn
 *       only begins a churn period after members are first seen (deployment, new community), a
 *       step that is not a spike. Baselines (EW means of the daily counts, zeros included) do not
 *       learn from days inside an episode.</li>
 *   <li><b>Replies received</b> arrive on a second input (re-keyed by the member replied to) that
 *       is not ordered against the member's own events: another source may run days ahead. They
 *       are kept sparse per day for 64 days behind the newest, so early arrivals never push out a
 *       day an alert still reads. A leave is decided on arrival, when replies of its own day may or
 *       may not be here yet, so for a leave the "top contributor" test and {@code received_last_28}
 *       count the 28 days up to the day <em>before</em> the leave (at-risk and inactivity churn are
 *       decided by timers, after the watermark, and count up to the last active day). The 1M-event
 *       recount found one {@code MEMBER_CHURNED} that one mode emitted and the other did not before
 *       this rule. Still not strictly deterministic if an upstream subtask lags by most of a day.</li>
 *   <li><b>The member's rhythm</b> (docs/SEMANTICS.md, Lifecycle): a session is activity without a break over
 *       12 h, so a burst that runs past midnight counts once (a median of the gaps between active
 *       days read a weekly night owl's 1, 6, 1, 6 … as "daily", and a week's quiet as unusual).
 *       The rhythm is the p90 by nearest rank of the quiet stretches between the latest sessions,
 *       in whole hours: robust to one holiday (the second largest of 16), and it keeps the long
 *       breaks of irregular members that a median hides. Per member at most
 *       {@code lifecycle.history-days} gaps of one or two bytes. State format 2 adds them; a value
 *       of format 1 (and the 0.1.0 map state) restores with the gaps read from the active days
 *       (24 h per day apart) until new sessions replace them.</li>
 *   <li><b>Evidence</b> of {@code MEMBER_AT_RISK} names the rhythm and the silence in words
 *       ({@code summary}, local time of {@code metrics.timezone}) beside the numbers
 *       {@code usual_gap_days} (median quiet stretch), {@code p90_gap_days},
 *       {@code history_session_gaps} and {@code at_risk_after_days}.</li>
 *   <li><b>Generated data</b>: the generator's ordinary members keep a personal rhythm (gaps of
 *       0.6–1.4× their typical gap, a break of up to 2.2× now and then), or, one in ten, an
 *       irregular one (streaks of 0.4–0.8× the typical gap, and one gap in four a break of
 *       2–3.5×); planted weekly members burst once a week, half of them across midnight; {@code pulse generate --random-days} makes ordinary
 *       members memoryless instead, a stress case in which many valuable members go quiet for a
 *       week by chance.</li>
 *   <li><b>Bounded inputs</b> (file mode): at the end of input event time jumps to the end of time,
 *       so pending transitions of every member are flushed with their (future) due times.</li>
 * </ul>
 *
 * <h2>Test</h2>
 * <pre>
 * mvn -B -q -o -pl flink-jobs -am verify -Dtest='com.communitypulse.lifecycle.*Test' -Dit.test='LifecycleITCase' \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false [-Dpulse.lifecycle.events=300000]
 * </pre>
 */
package com.communitypulse.lifecycle;
