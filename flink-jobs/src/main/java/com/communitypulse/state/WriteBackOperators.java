package com.communitypulse.state;

import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;

/**
 * Operators for {@link WriteBackFunction}s: Flink's keyed process operators plus the two things
 * a write-back cache needs from its operator, the keyed backend (to switch keys when it writes a
 * value back) and a flush in {@code snapshotState}, which runs before the keyed state is snapshotted.
 */
public final class WriteBackOperators {
    private WriteBackOperators() {}

    public static <K, I, O, F extends KeyedProcessFunction<K, I, O> & WriteBackFunction> KeyedProcessOperator<K, I, O> of(F fn) {
        return new OneInput<>(fn);
    }

    public static <K, I1, I2, O, F extends KeyedCoProcessFunction<K, I1, I2, O> & WriteBackFunction> KeyedCoProcessOperator<K, I1, I2, O> of(F fn) {
        return new TwoInput<>(fn);
    }

    static void bind(Object fn, KeyedStateBackend<?> backend) {
        for (WriteBackValue<?, ?> v : ((WriteBackFunction) fn).writeBackValues()) v.bind(backend);
    }

    static void flush(Object fn) throws Exception {
        for (WriteBackValue<?, ?> v : ((WriteBackFunction) fn).writeBackValues()) v.flush();
    }

    private static final class OneInput<K, I, O> extends KeyedProcessOperator<K, I, O> {
        private static final long serialVersionUID = 1L;

        OneInput(KeyedProcessFunction<K, I, O> fn) {
            super(fn);
        }

        @Override
        public void open() throws Exception {
            super.open();
            bind(userFunction, getKeyedStateBackend());
        }

        @Override
        public void snapshotState(StateSnapshotContext ctx) throws Exception {
            flush(userFunction);
            super.snapshotState(ctx);
        }
    }

    private static final class TwoInput<K, I1, I2, O> extends KeyedCoProcessOperator<K, I1, I2, O> {
        private static final long serialVersionUID = 1L;

        TwoInput(KeyedCoProcessFunction<K, I1, I2, O> fn) {
            super(fn);
        }

        @Override
        public void open() throws Exception {
            super.open();
            bind(userFunction, getKeyedStateBackend());
        }

        @Override
        public void snapshotState(StateSnapshotContext ctx) throws Exception {
            flush(userFunction);
            super.snapshotState(ctx);
        }
    }
}
