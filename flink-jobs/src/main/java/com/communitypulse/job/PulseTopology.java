package com.communitypulse.job;

import com.communitypulse.alerts.AlertRecord;
import com.communitypulse.alerts.NegativeMessageFunction;
import com.communitypulse.alerts.NegativeSpikeFunction;
import com.communitypulse.alerts.SpikeSettings;
import com.communitypulse.alerts.WallClock;
import com.communitypulse.config.CommunityOverrides;
import com.communitypulse.config.PulseConfig;
import com.communitypulse.events.DeadLetter;
import com.communitypulse.events.LateEvent;
import com.communitypulse.events.PulseEvent;
import com.communitypulse.events.PulseEventTypeInfo;
import com.communitypulse.lifecycle.ChurnSpikeFunction;
import com.communitypulse.lifecycle.LifecycleFunction;
import com.communitypulse.lifecycle.LifecycleRecord;
import com.communitypulse.lifecycle.LifecycleSettings;
import com.communitypulse.metrics.AttributionOperator;
import com.communitypulse.metrics.GaugeDelta;
import com.communitypulse.metrics.GaugeDeltaPreAggregator;
import com.communitypulse.metrics.Granularity;
import com.communitypulse.metrics.MemberActivityOperator;
import com.communitypulse.metrics.MetricRecord;
import com.communitypulse.metrics.RetentionDelta;
import com.communitypulse.metrics.RetentionFunction;
import com.communitypulse.metrics.RollingGaugeFunction;
import com.communitypulse.metrics.TopContributorsFunction;
import com.communitypulse.metrics.CommunityWindowsOperator;
import com.communitypulse.metrics.WindowPartial;
import com.communitypulse.metrics.WindowPartialTypeInfo;
import com.communitypulse.metrics.WindowPreAggregator;
import com.communitypulse.privacy.OutputIds;
import com.communitypulse.privacy.PrivacyKeys;
import com.communitypulse.privacy.Pseudonymizer;
import com.communitypulse.sentiment.ScoredMessage;
import com.communitypulse.sentiment.ScoredMessageSplit;
import com.communitypulse.sentiment.SentimentFunction;
import com.communitypulse.state.WriteBackOperators;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/**
 * The one place that builds the community-pulse dataflow. Sources and sinks are parameters, so
 * the Kafka job, file mode and tests run the very same topology.
 *
 * <pre>
 *  pulse.messages ─ parse+watermarks ─ route ─ score sentiment, drop text ─┐ dead letters ──────▶ pulse.dlq
 *  pulse.clicks ─── parse+watermarks ─ route ────────────────────────────────┤ late (own partition) ▶ pulse.late
 *  pulse.orders ─── parse+watermarks ─ route ────────────────────────────────┘
 *                  keyBy(user_id)
 *                             ▼
 *                  deduplicate (event_id) ─── late vs. watermark (idle partitions) ────▶ pulse.late
 *                             ├─ scored messages ───────────────────────────────┐
 *                  attribute orders (share_id / last click)   [chained]          │
 *                             ▼                                                 │
 *                  member activity (first-in-window bits, rolling-set deltas)   │
 *                     ├ window partials (heap, per community + "*") ───────────┤
 *                     ├ gauge delta sums (heap, per community and boundary) ───┤
 *                     ├ retention deltas ──────────────────────────────────────┤
 *                     ├ replies/reactions ─────────────────────────────────────┤
 *                     │     └ keyBy(reply_to_user) ──┐ (received)              │
 *                     ▼ forward                      ▼                         │
 *                  member lifecycle (community × member stages) ─▶ pulse.lifecycle, MEMBER_AT_RISK/CHURNED ▶ pulse.alerts
 *                     └ transitions ───────────────────────────────────────────┤
 *                                                                keyBy(community): one shuffle of CommunityInput
 *                                                                              ▼
 *                  community router ─┬ window metrics: base (1m) / hour / day ─────────────▶ pulse.metrics
 *                    [one task; the  ├ rolling gauges (dau/wau/mau/members) ───────────────▶ pulse.metrics
 *                    operators below ├ retention D1/D7/D30, top contributors ──────────────▶ pulse.metrics
 *                    chained on the  ├ negative message (candidates, rate-limited) ─────────▶ pulse.alerts
 *                    same key]       ├ negative spike (episodes) ───────────────────────────▶ pulse.alerts
 *                                    └ churn spike (24 h vs baseline) ──────────────────────▶ pulse.alerts
 *
 *  sinks: one exactly-once sink for metrics, lifecycle, dlq and late; one at-least-once sink for alerts
 * </pre>
 */
public final class PulseTopology {
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};
    public static final OutputTag<LateEvent> LATE = new OutputTag<>("late-events") {};
    public static final OutputTag<GaugeDelta> GAUGE_DELTAS = new OutputTag<>("gauge-deltas") {};
    public static final OutputTag<PulseEvent> WINDOW_LATE = new OutputTag<>("window-late") {};
    public static final OutputTag<RetentionDelta> RETENTION = new OutputTag<>("retention-deltas") {};
    public static final OutputTag<ScoredMessage> SCORED_MESSAGES = new OutputTag<>("scored-messages") {};
    public static final OutputTag<AlertRecord> MEMBER_ALERTS = new OutputTag<>("member-alerts") {};

    /** Membership expires after this long without any event (state end of life; see MemberActivityOperator). */
    public static final Duration MEMBER_HORIZON = Duration.ofDays(90);
    /** Partials a window pre-aggregator holds before it sends them early (about 200 bytes each). */
    static final int WINDOW_PARTIALS_HELD = 50_000;
    /** Gauge delta sums a pre-aggregator holds before it sends them early (about 150 bytes each). */
    static final int GAUGE_SUMS_HELD = 50_000;
    /** How long a user's clicks, shares and orders are kept for attribution and refunds. */
    public static final Duration ATTRIBUTION_HORIZON = Duration.ofDays(30);

    private PulseTopology() {}

    /** Wraps an event dropped by a window as a late record (the watermark is not known there). */
    static final class ToLateEvent implements org.apache.flink.api.common.functions.MapFunction<PulseEvent, LateEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public LateEvent map(PulseEvent e) {
            return new LateEvent(e, Long.MIN_VALUE);
        }
    }

    /** As {@link #build(PulseSources, PulseConfig, Pseudonymizer)} with the key of {@code cfg} (file or {@code PULSE_PRIVACY_KEY}). */
    public static PulseOutputs build(PulseSources sources, PulseConfig cfg) {
        return build(sources, cfg, PrivacyKeys.pseudonymizer(cfg, System.getenv()));
    }

    /**
     * Builds the dataflow. Member ids are sealed by the router (see {@link RouteInputFunction}) and
     * turned into pseudonyms — or, for alerts when configured, back into original ids — only by
     * {@link PulseSinks}, with the same {@code ids} carried in the outputs.
     */
    public static PulseOutputs build(PulseSources sources, PulseConfig cfg, Pseudonymizer ids) {
        long lateness = cfg.millis(PulseConfig.ALLOWED_LATENESS);
        // Read once here (each alert family takes its keys from it), so a bad file fails the build of the job.
        CommunityOverrides overrides = CommunityOverrides.from(cfg);

        DataStream<PulseEvent> events = null;
        List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();
        List<DataStream<LateEvent>> late = new ArrayList<>();
        for (PulseSources.Input in : sources.inputs()) {
            // Same parallelism as the source: chained, so each partition's order survives to the keyBy and
            // the router's lateness state is snapshotted at the same point as the source offsets.
            SingleOutputStreamOperator<PulseEvent> routed = in.stream()
                    .process(new RouteInputFunction(DEAD_LETTERS, LATE, ids, cfg.millis(PulseConfig.OUT_OF_ORDERNESS), lateness))
                    .setParallelism(in.stream().getParallelism())
                    .name("Route " + in.id()).uid(OperatorIds.ROUTE_PREFIX + in.id());
            // Scored and stripped of its text before the first shuffle (chained to the source): chat
            // text never crosses a network edge, so unaligned checkpoints cannot persist it in flight.
            SingleOutputStreamOperator<PulseEvent> scoredIn = routed
                    .process(new SentimentFunction(cfg.get(PulseConfig.SENTIMENT_MODEL)))
                    .setParallelism(in.stream().getParallelism())
                    .name("Score sentiment " + in.id()).uid(OperatorIds.SENTIMENT + "-" + in.id());
            events = events == null ? scoredIn : events.union(scoredIn);
            deadLetters.add(routed.getSideOutput(DEAD_LETTERS));
            late.add(routed.getSideOutput(LATE));
        }

        SingleOutputStreamOperator<PulseEvent> unique = events
                .keyBy(PulseEvent::getUserId, Types.STRING)
                .transform("Deduplicate and route late events", PulseEventTypeInfo.INSTANCE,
                        WriteBackOperators.of(new DeduplicateFunction(lateness, cfg.millis(PulseConfig.DEDUP_HORIZON), LATE)))
                .uid(OperatorIds.DEDUPLICATE);

        // Chained right after dedup: each unique scored message goes to the alert functions once.
        SingleOutputStreamOperator<PulseEvent> scored = unique
                .process(new ScoredMessageSplit(SCORED_MESSAGES))
                .name("Scored messages to alerts").uid(OperatorIds.SCORED_SPLIT);

        SingleOutputStreamOperator<PulseEvent> attributed = byUser(scored)
                .transform("Attribute orders", PulseEventTypeInfo.INSTANCE,
                        new AttributionOperator(cfg.millis(PulseConfig.ATTRIBUTION_WINDOW), ATTRIBUTION_HORIZON.toMillis()))
                .uid(OperatorIds.ATTRIBUTION);

        Granularity granularity = new Granularity(cfg.get(PulseConfig.WINDOW), cfg.get(PulseConfig.TIMEZONE));
        long emitInterval = cfg.millis(PulseConfig.ROLLING_EMIT);
        SingleOutputStreamOperator<PulseEvent> touched = byUser(attributed)
                .transform("Member activity", PulseEventTypeInfo.INSTANCE,
                        new MemberActivityOperator(granularity, emitInterval, MEMBER_HORIZON.toMillis(), GAUGE_DELTAS, RETENTION))
                .uid(OperatorIds.MEMBER_ACTIVITY);

        // Summed per community and boundary on the heap of each subtask (chained, no state), so the
        // community shuffle carries one record per community and boundary instead of one per member.
        DataStream<GaugeDelta> gaugeSums = touched.getSideOutput(GAUGE_DELTAS)
                .transform("Gauge delta sums", TypeInformation.of(GaugeDelta.class), new GaugeDeltaPreAggregator(GAUGE_SUMS_HELD))
                .uid(OperatorIds.GAUGE_SUMS);

        // Replies and reactions to another member: all that top contributors and the lifecycle's
        // "received" input need (a small share of all events), filtered before either shuffle.
        DataStream<PulseEvent> engagement = touched
                .filter(new ReceivedEngagementFilter()).name("Replies and reactions received").uid(OperatorIds.RECEIVED_ENGAGEMENT);

        // Window metrics: partial counts per (community or "*", granularity, window) summed on the heap
        // of each subtask and sent when the watermark completes their window or a checkpoint barrier
        // comes, so the community shuffle carries partials instead of two copies of every event.
        SingleOutputStreamOperator<WindowPartial> partials = touched
                .transform("Window partials", WindowPartialTypeInfo.INSTANCE,
                        new WindowPreAggregator(granularity, lateness, WINDOW_LATE, WINDOW_PARTIALS_HELD))
                .uid(OperatorIds.WINDOW_PARTIALS);
        // A safety net that upstream lateness checks keep empty: an event too late for its base window
        // is reported once instead of being dropped silently.
        DataStream<LateEvent> lateAtWindows = partials.getSideOutput(WINDOW_LATE)
                .map(new ToLateEvent()).name("Late at windows as records").uid(OperatorIds.WINDOW_PREFIX + "late");

        LifecycleSettings lc = LifecycleSettings.from(cfg, overrides);
        // Replies and reactions re-keyed by the member who received them (top contributor test); small next to all events.
        KeyedStream<PulseEvent, String> received = engagement.keyBy(PulseEvent::getReplyToUser, Types.STRING);
        SingleOutputStreamOperator<LifecycleRecord> lifecycle = byUser(touched)
                .connect(received)
                .transform("Member lifecycle", TypeInformation.of(LifecycleRecord.class),
                        WriteBackOperators.of(new LifecycleFunction(lc, MEMBER_ALERTS, WallClock.system())))
                .uid(OperatorIds.LIFECYCLE);

        // One community shuffle for everything keyed by community: window partials, gauge sums,
        // retention deltas, replies received, scored messages and lifecycle transitions travel as
        // CommunityInput, and the router hands each kind to its operator chained behind it on the
        // same key. One task instead of seven (each with its own thread, watermark and barrier
        // handling, snapshots and metrics; docs/BENCHMARKS.md, tenth round); the operators and their
        // uids and state are those of the seven tasks.
        DataStream<CommunityInput> toCommunities = wrap(partials, CommunityInput.Kind.PARTIAL)
                .union(wrap(gaugeSums, CommunityInput.Kind.GAUGE),
                        wrap(touched.getSideOutput(RETENTION), CommunityInput.Kind.RETENTION),
                        wrap(engagement, CommunityInput.Kind.ENGAGEMENT),
                        wrap(scored.getSideOutput(SCORED_MESSAGES), CommunityInput.Kind.SCORED),
                        wrap(lifecycle, CommunityInput.Kind.LIFECYCLE));
        SingleOutputStreamOperator<WindowPartial> community = toCommunities
                .keyBy(CommunityInput::communityId, Types.STRING)
                .process(new CommunityRouter()).name("Community router").uid(OperatorIds.COMMUNITY_ROUTER);

        List<DataStream<MetricRecord>> metrics = new ArrayList<>();
        metrics.add(byCommunity(community.getSideOutput(CommunityRouter.GAUGE), GaugeDelta::getCommunityId)
                .transform("Rolling gauges", TypeInformation.of(MetricRecord.class), WriteBackOperators.of(new RollingGaugeFunction(emitInterval)))
                .uid(OperatorIds.ROLLING));
        metrics.add(byCommunity(community.getSideOutput(CommunityRouter.RETENTION), RetentionDelta::getCommunityId)
                .process(new RetentionFunction(lateness))
                .name("Retention D1/D7/D30").uid(OperatorIds.RETENTION));
        metrics.add(byCommunity(community.getSideOutput(CommunityRouter.ENGAGEMENT), PulseEvent::getCommunityId)
                .process(new TopContributorsFunction(granularity, cfg.get(PulseConfig.TOP_N), lateness))
                .name("Top contributors").uid(OperatorIds.TOP_CONTRIBUTORS));
        metrics.add(byCommunity(community, WindowPartial::getCommunityId)
                .transform("Window metrics", TypeInformation.of(MetricRecord.class), new CommunityWindowsOperator(granularity, lateness))
                .uid(OperatorIds.WINDOWS));

        List<DataStream<AlertRecord>> alerts = new ArrayList<>(negativeAlerts(community.getSideOutput(CommunityRouter.SCORED), cfg, overrides));
        DataStream<AlertRecord> churnSpikes = byCommunity(community.getSideOutput(CommunityRouter.LIFECYCLE), LifecycleRecord::getCommunityId)
                .process(new ChurnSpikeFunction(lc, WallClock.system()))
                .name("Churn spike alerts").uid(OperatorIds.CHURN_SPIKES);
        alerts.add(lifecycle.getSideOutput(MEMBER_ALERTS));
        alerts.add(churnSpikes);
        late.add(unique.getSideOutput(LATE));
        late.add(lateAtWindows);

        return new PulseOutputs(metrics, deadLetters, late, alerts, lifecycle,
                new OutputIds(ids, cfg.get(PulseConfig.ALERTS_ORIGINAL_ID)));
    }

    private static Map<String, Double> maxScoreOverrides(PulseConfig cfg, CommunityOverrides o) {
        Map<String, Double> m = new HashMap<>();
        for (String c : o.communitiesWithAny(List.of(CommunityOverrides.NEGATIVE_MESSAGE_MAX_SCORE))) {
            m.put(c, o.get(c, CommunityOverrides.NEGATIVE_MESSAGE_MAX_SCORE, cfg.get(PulseConfig.NEG_MESSAGE_SCORE)));
        }
        return m;
    }

    /** NEGATIVE_MESSAGE and NEGATIVE_SPIKE alerts from the scored messages, already partitioned by community (CONTRACT §6). */
    private static List<DataStream<AlertRecord>> negativeAlerts(DataStream<ScoredMessage> scored, PulseConfig cfg, CommunityOverrides overrides) {
        NegativeMessageFunction negativeMessages = new NegativeMessageFunction(cfg.get(PulseConfig.NEG_MESSAGE_SCORE),
                maxScoreOverrides(cfg, overrides), cfg.millis(PulseConfig.NEG_MESSAGE_INTERVAL), WallClock.system());
        // Behind the community router: the candidates filter runs on the community side, so a
        // candidate crosses the shuffle once, as the scored message the spike function reads too.
        DataStream<ScoredMessage> candidates = byCommunity(scored, ScoredMessage::getCommunityId)
                .filter(negativeMessages.candidates()).name("Negative message candidates").uid(OperatorIds.NEGATIVE_MESSAGES + "-candidates");
        DataStream<AlertRecord> messages = byCommunity(candidates, ScoredMessage::getCommunityId)
                .process(negativeMessages)
                .name("Negative message alerts").uid(OperatorIds.NEGATIVE_MESSAGES);
        DataStream<AlertRecord> spikes = byCommunity(scored, ScoredMessage::getCommunityId)
                .transform("Negative spike alerts", TypeInformation.of(AlertRecord.class),
                        WriteBackOperators.of(new NegativeSpikeFunction(SpikeSettings.from(cfg, overrides), WallClock.system())))
                .uid(OperatorIds.NEGATIVE_SPIKES);
        return List.of(messages, spikes);
    }

    /** The stream is already partitioned by community (behind the community router): no shuffle. */
    private static <T> KeyedStream<T, String> byCommunity(DataStream<T> s, org.apache.flink.api.java.functions.KeySelector<T, String> community) {
        return DataStreamUtils.reinterpretAsKeyedStream(s, community, Types.STRING);
    }

    /** One kind of record, wrapped for the community shuffle (chained to its producer, no state). */
    private static <T> DataStream<CommunityInput> wrap(DataStream<T> s, CommunityInput.Kind kind) {
        return s.map(new CommunityRouter.Wrap<T>(kind)).returns(CommunityInputTypeInfo.INSTANCE)
                .setParallelism(s.getParallelism())
                .name("To communities: " + kind.name().toLowerCase(java.util.Locale.ROOT))
                .uid(OperatorIds.COMMUNITY_ROUTER + "-in-" + kind.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** The stream is already partitioned by user id (produced by a user-keyed operator): no shuffle. */
    private static KeyedStream<PulseEvent, String> byUser(DataStream<PulseEvent> s) {
        return DataStreamUtils.reinterpretAsKeyedStream(s, PulseEvent::getUserId, Types.STRING);
    }
}
