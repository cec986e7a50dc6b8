package com.communitypulse.job;

import com.communitypulse.events.PulseEvent;
import com.communitypulse.events.PulseEventTypeInfo;
import com.communitypulse.lifecycle.LifecycleRecord;
import com.communitypulse.metrics.GaugeDelta;
import com.communitypulse.metrics.RetentionDelta;
import com.communitypulse.metrics.WindowPartial;
import com.communitypulse.sentiment.ScoredMessage;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Head of the community task: after the one {@code keyBy(community)}, hands each record to the
 * operators of its kind, chained behind it on the same key ({@link PulseTopology}). Window partials
 * leave on the main output, every other kind on its own side output. No state.
 */
public final class CommunityRouter extends ProcessFunction<CommunityInput, WindowPartial> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<GaugeDelta> GAUGE = new OutputTag<>("community-gauge-deltas", TypeInformation.of(GaugeDelta.class));
    public static final OutputTag<RetentionDelta> RETENTION = new OutputTag<>("community-retention-deltas", TypeInformation.of(RetentionDelta.class));
    public static final OutputTag<PulseEvent> ENGAGEMENT = new OutputTag<>("community-engagement", PulseEventTypeInfo.INSTANCE);
    public static final OutputTag<ScoredMessage> SCORED = new OutputTag<>("community-scored-messages", TypeInformation.of(ScoredMessage.class));
    public static final OutputTag<LifecycleRecord> LIFECYCLE = new OutputTag<>("community-lifecycle", TypeInformation.of(LifecycleRecord.class));

    @Override
    public void processElement(CommunityInput in, Context ctx, Collector<WindowPartial> out) {
        switch (in.kind()) {
            case PARTIAL -> out.collect((WindowPartial) in.value());
            case GAUGE -> ctx.output(GAUGE, (GaugeDelta) in.value());
            case RETENTION -> ctx.output(RETENTION, (RetentionDelta) in.value());
            case ENGAGEMENT -> ctx.output(ENGAGEMENT, (PulseEvent) in.value());
            case SCORED -> ctx.output(SCORED, (ScoredMessage) in.value());
            case LIFECYCLE -> ctx.output(LIFECYCLE, (LifecycleRecord) in.value());
        }
    }

    /** Wraps one kind for the community shuffle; chained to its producer, no state. */
    public static final class Wrap<T> implements org.apache.flink.api.common.functions.MapFunction<T, CommunityInput> {
        private static final long serialVersionUID = 1L;
        private final CommunityInput.Kind kind;

        public Wrap(CommunityInput.Kind kind) {
            this.kind = kind;
        }

        @Override
        public CommunityInput map(T value) {
            return new CommunityInput(kind, value);
        }
    }
}
