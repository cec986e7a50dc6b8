package com.communitypulse.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * The write-back cache against a plain map recount: random adds and clears over more keys than
 * the cache holds (so evictions write values back under their own key), snapshots and restores
 * in between, on RocksDB. After every restore each key must hold exactly its recounted total.
 */
class WriteBackValueTest {
    /** Adds the input's value to its key's total and emits (key, total); a value of 0 clears the key. */
    static final class Totals extends KeyedProcessFunction<String, Tuple2<String, Long>, Tuple2<String, Long>> implements WriteBackFunction {
        private static final long serialVersionUID = 1L;
        private final int cached;
        private transient WriteBackValue<Long, Long> total;

        Totals(int cached) {
            this.cached = cached;
        }

        @Override
        public void open(OpenContext ctx) {
            total = WriteBackValue.of(getRuntimeContext().getState(new ValueStateDescriptor<>("total", Types.LONG)), cached);
        }

        @Override
        public List<WriteBackValue<?, ?>> writeBackValues() {
            return List.of(total);
        }

        @Override
        public void processElement(Tuple2<String, Long> in, Context ctx, Collector<Tuple2<String, Long>> out) throws Exception {
            if (in.f1 == 0) {
                total.clear();
                out.collect(Tuple2.of(in.f0, 0L));
                return;
            }
            Long t = total.value();
            long next = (t == null ? 0 : t) + in.f1;
            total.update(next);
            out.collect(Tuple2.of(in.f0, next));
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Tuple2<String, Long>, Tuple2<String, Long>> harness(int cached) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(WriteBackOperators.of(new Totals(cached)), (Tuple2<String, Long> t) -> t.f0, Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    @Test
    void everyKeyHoldsItsRecountedTotalAcrossEvictionsSnapshotsAndRestores() throws Exception {
        Random rnd = new Random(7);
        Map<String, Long> recount = new HashMap<>();
        OperatorSubtaskState snapshot = null;
        int evictionsSeen = 0;
        for (int round = 0; round < 6; round++) {
            try (var h = harness(3)) {
                h.setup();
                if (snapshot != null) h.initializeState(snapshot);
                h.open();
                for (int i = 0; i < 400; i++) {
                    String key = "k" + rnd.nextInt(12);
                    long v = rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(5);
                    h.processElement(new StreamRecord<>(Tuple2.of(key, v)));
                    if (v == 0) recount.remove(key); else recount.merge(key, v, Long::sum);
                }
                // What the operator emitted last per key is what it computed from its cache.
                Map<String, Long> emitted = new HashMap<>();
                for (Object o : h.getOutput()) {
                    @SuppressWarnings("unchecked")
                    Tuple2<String, Long> t = ((StreamRecord<Tuple2<String, Long>>) o).getValue();
                    emitted.put(t.f0, t.f1);
                }
                for (Map.Entry<String, Long> e : emitted.entrySet()) {
                    assertThat(e.getValue()).as(e.getKey()).isEqualTo(recount.getOrDefault(e.getKey(), 0L));
                }
                evictionsSeen += emitted.size() > 3 ? 1 : 0;
                snapshot = h.snapshot(round, round);
            }
        }
        assertThat(evictionsSeen).as("more keys than the cache holds in every round").isEqualTo(6);
        // A fresh operator that restores the last snapshot reads every total from the backend.
        try (var h = harness(100)) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            List<String> keys = new ArrayList<>();
            for (int k = 0; k < 12; k++) keys.add("k" + k);
            for (String key : keys) {
                h.processElement(new StreamRecord<>(Tuple2.of(key, 1L)));
            }
            Map<String, Long> read = new HashMap<>();
            for (Object o : h.getOutput()) {
                @SuppressWarnings("unchecked")
                Tuple2<String, Long> t = ((StreamRecord<Tuple2<String, Long>>) o).getValue();
                read.put(t.f0, t.f1 - 1);
            }
            for (String key : keys) {
                assertThat(read.get(key)).as(key).isEqualTo(recount.getOrDefault(key, 0L));
            }
        }
    }

    @Test
    void unboundReadsAndWritesTheStateDirectly() throws Exception {
        // A plain operator never binds the cache: each value() is a backend read.
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(new Totals(1)),
                (Tuple2<String, Long> t) -> t.f0, Types.STRING)) {
            h.open();
            h.processElement(new StreamRecord<>(Tuple2.of("a", 2L)));
            h.processElement(new StreamRecord<>(Tuple2.of("b", 5L)));
            h.processElement(new StreamRecord<>(Tuple2.of("a", 3L)));
            @SuppressWarnings("unchecked")
            Tuple2<String, Long> last = ((StreamRecord<Tuple2<String, Long>>) h.getOutput().toArray()[2]).getValue();
            assertThat(last).isEqualTo(Tuple2.of("a", 5L));
        }
    }
}
