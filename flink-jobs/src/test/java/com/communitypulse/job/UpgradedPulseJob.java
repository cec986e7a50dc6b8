package com.communitypulse.job;

import com.communitypulse.alerts.AlertRecord;
import com.communitypulse.config.PulseConfig;
import com.communitypulse.kafka.KafkaSinks;
import com.communitypulse.kafka.KafkaSources;
import java.util.HashMap;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * Test-only "next release" of the job for the upgrade test: the production topology plus one added
 * stateful operator (alerts counted per type, new uids). Together with a {@code SpikeBaseline} that
 * gains a field (compiled into the upgraded jar by the test) it is what a real upgrade looks like:
 * new state, evolved state, and every existing uid unchanged. Production code knows nothing of it.
 */
public final class UpgradedPulseJob {
    static final String AUDIT_UID = "upgrade-alert-audit";

    private UpgradedPulseJob() {}

    public static void main(String[] args) throws Exception {
        PulseConfig cfg = PulseConfig.fromArgs(List.of(args), System.getenv(), List.of(), new HashMap<>());
        StreamExecutionEnvironment env = PulseEnvironment.create(cfg, PulseEnvironment.Mode.STREAMING);
        PulseOutputs out = PulseTopology.build(KafkaSources.create(env, cfg), cfg);
        out.alerts().keyBy(a -> a.getType().name(), Types.STRING)
                .process(new AlertAudit()).name("Alert audit (added in the upgrade)").uid(AUDIT_UID)
                .sinkTo(new DiscardingSink<>()).name("Alert audit sink").uid(AUDIT_UID + "-sink");
        PulseSinks.attach(out, new KafkaSinks(cfg));
        env.execute(PulseJob.JOB_NAME + " (upgraded)");
    }

    /** Counts alerts per type: state that did not exist in the savepoint it starts from. */
    static final class AlertAudit extends KeyedProcessFunction<String, AlertRecord, Long> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext ctx) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("alerts-seen", Types.LONG));
        }

        @Override
        public void processElement(AlertRecord a, Context ctx, Collector<Long> out) throws Exception {
            long n = count.value() == null ? 1 : count.value() + 1;
            count.update(n);
            out.collect(n);
        }
    }
}
