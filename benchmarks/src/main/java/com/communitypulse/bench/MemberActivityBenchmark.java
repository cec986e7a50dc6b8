package com.communitypulse.bench;

import com.communitypulse.events.EventParser;
import com.communitypulse.events.EventType;
import com.communitypulse.events.ParsedRecord;
import com.communitypulse.events.PulseEvent;
import com.communitypulse.generator.EventGenerator;
import com.communitypulse.generator.GeneratedRecord;
import com.communitypulse.generator.GeneratorConfig;
import com.communitypulse.metrics.GaugeDelta;
import com.communitypulse.metrics.Granularity;
import com.communitypulse.metrics.MemberActivityOperator;
import com.communitypulse.metrics.RetentionDelta;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-member state update: generated events through the real {@link MemberActivityOperator}
 * (keyed by user; hold until the watermark, first-in-window marks, rolling-set deltas, one timer per
 * user) in Flink's operator test harness, on RocksDB with heap timers (as in the job) and on the heap backend (the
 * cost of the logic without RocksDB). A watermark follows every 64 events, so held events are
 * applied as in the job. One operation = one event; outputs are discarded after each batch.
 *
 * <h2>How to run</h2>
 * <pre>
 * mvn -q -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar MemberActivityBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class MemberActivityBenchmark {
    private static final OutputTag<GaugeDelta> DELTAS = new OutputTag<>("deltas") {};
    private static final OutputTag<RetentionDelta> RETENTION = new OutputTag<>("retention") {};

    @Param({"rocksdb", "heap"})
    public String backend;

    private final List<PulseEvent> events = new ArrayList<>();
    private KeyedOneInputStreamOperatorTestHarness<String, PulseEvent, PulseEvent> h;
    private int i;
    private long shift;
    private long span;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        GeneratorConfig cfg = GeneratorConfig.defaults().toBuilder().members(20_000).communities(200).days(7)
                .eventsTarget(200_000).build().toBuilder().noFaults().build();
        EventGenerator g = new EventGenerator(cfg);
        EventParser parser = new EventParser();
        while (g.hasNext()) {
            GeneratedRecord r = g.next();
            EventType t = r.topic().endsWith("messages") ? EventType.MESSAGE : r.topic().endsWith("clicks") ? EventType.CLICK : EventType.ORDER;
            ParsedRecord p = parser.parse(t, r.value(), r.topic(), 0, 0);
            if (p.isEvent()) {
                PulseEvent e = p.getEvent();
                e.setText(null); // dropped after scoring in the job
                events.add(e);
            }
        }
        span = cfg.days() * GeneratorConfig.DAY_MS;
        Granularity gr = new Granularity(Duration.ofMinutes(1), ZoneId.of("Asia/Shanghai"));
        h = new KeyedOneInputStreamOperatorTestHarness<>(
                new MemberActivityOperator(gr, 60_000L, 90L * GeneratorConfig.DAY_MS, DELTAS, RETENTION),
                PulseEvent::getUserId, Types.STRING);
        if (backend.equals("rocksdb")) {
            EmbeddedRocksDBStateBackend rocks = new EmbeddedRocksDBStateBackend(true);
            rocks.setPriorityQueueStateType(EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP); // as in the job
            h.setStateBackend(rocks);
        }
        h.open();
    }

    @Benchmark
    public void update() throws Exception {
        int k = i % events.size();
        if (k == 0 && i > 0) {
            shift += span; // replay the data set as the next weeks, so state and timers stay realistic
        }
        PulseEvent e = events.get(k);
        long ts = e.getTs();
        e.setTs(ts + shift);
        h.processElement(e, e.getTs());
        e.setTs(ts);
        i++;
        if ((i & 63) == 0) {
            h.processWatermark(ts + shift - 10_000);
            h.getOutput().clear();
            if (h.getSideOutput(DELTAS) != null) h.getSideOutput(DELTAS).clear();
            if (h.getSideOutput(RETENTION) != null) h.getSideOutput(RETENTION).clear();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        h.close();
    }
}
