package com.communitypulse.bench;

import com.communitypulse.events.EventParser;
import com.communitypulse.events.EventType;
import com.communitypulse.generator.EventGenerator;
import com.communitypulse.generator.GeneratedRecord;
import com.communitypulse.generator.GeneratorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Input records parsed per second per core by the job's validating {@link EventParser} (what each
 * Kafka source's deserializer does per record): generated message, click and order records in
 * their natural mix (incl. the generator's duplicates and malformed records). One operation = one record.
 *
 * <h2>How to run</h2>
 * <pre>
 * mvn -q -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar EventParserBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class EventParserBenchmark {
    private final List<byte[]> values = new ArrayList<>();
    private final List<EventType> types = new ArrayList<>();
    private EventParser parser;
    private int i;

    @Setup
    public void setup() {
        parser = new EventParser();
        EventGenerator g = new EventGenerator(GeneratorConfig.defaults().toBuilder().eventsTarget(20_000).build());
        while (g.hasNext()) {
            GeneratedRecord r = g.next();
            values.add(r.value());
            types.add(r.topic().endsWith("messages") ? EventType.MESSAGE : r.topic().endsWith("clicks") ? EventType.CLICK : EventType.ORDER);
        }
    }

    @Benchmark
    public Object parse() {
        int k = i++ % values.size();
        return parser.parse(types.get(k), values.get(k), "bench", 0, k);
    }
}
