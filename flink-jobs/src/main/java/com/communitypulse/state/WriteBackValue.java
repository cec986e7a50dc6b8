package com.communitypulse.state;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.runtime.state.KeyedStateBackend;

/**
 * A bounded heap write-back cache in front of one keyed {@link ValueState}: the value of a key is
 * read from the state backend once, then read and changed on the heap, and written back once per
 * checkpoint ({@link #flush}, called from the operator's {@code snapshotState}, before the keyed
 * state is snapshotted) instead of once per event. With RocksDB every {@code value()} is a JNI
 * lookup through memtables and SST files plus a deserialisation, and every {@code update()} a
 * serialisation and a memtable insert that the next checkpoint uploads again: in the user-keyed
 * chain these were the largest cost after the network stack (docs/BENCHMARKS.md, "Seventh round").
 *
 * <p><b>Exactness.</b> The backend holds a key's latest value whenever a snapshot is taken (every
 * dirty entry is written first), so checkpoints, savepoints, restores and rescaling see exactly
 * what an uncached operator would have written. Entries are bounded ({@code maxEntries}); the
 * least recently used one leaves first and, when dirty, is written under its own key on the way
 * out. Callers change a value only through {@link #update} (the object {@link #value} returns is the
 * cached one; a change without {@code update} would reach the backend only by chance).
 *
 * <p><b>Unbound.</b> Until {@link #bind} gives it the operator's keyed backend, it reads and writes
 * the state directly (a function run by a plain operator, as in some harness tests).
 *
 * <p><b>End of life</b>: {@link #clear} drops the value (a tombstone until the next flush deletes
 * it from the backend); clean entries are only a copy and leave the heap by the bound.
 *
 * @param <S> the type the state stores
 * @param <V> the type callers work with (the same as {@code S}, or decoded from it)
 */
public final class WriteBackValue<S, V> {
    private static final class Entry<V> {
        V value;
        boolean dirty;

        Entry(V value, boolean dirty) {
            this.value = value;
            this.dirty = dirty;
        }
    }

    private final ValueState<S> state;
    private final Function<S, V> decode;
    private final Function<V, S> encode;
    private final int maxEntries;
    private KeyedStateBackend<Object> backend;
    private final LinkedHashMap<Object, Entry<V>> entries;
    private int dirty;

    private WriteBackValue(ValueState<S> state, Function<S, V> decode, Function<V, S> encode, int maxEntries) {
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be at least 1");
        this.state = state;
        this.decode = decode;
        this.encode = encode;
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(Math.min(maxEntries, 1 << 16), 0.75f, true);
    }

    /** A cache of {@code state} holding its values as they are. */
    public static <V> WriteBackValue<V, V> of(ValueState<V> state, int maxEntries) {
        return new WriteBackValue<>(state, Function.identity(), Function.identity(), maxEntries);
    }

    /** A cache of {@code state} holding decoded values, encoded again when they are written back. */
    public static <S, V> WriteBackValue<S, V> of(ValueState<S> state, Function<S, V> decode, Function<V, S> encode, int maxEntries) {
        return new WriteBackValue<>(state, decode, encode, maxEntries);
    }

    /** From now on values are cached; {@code backend} is the operator's, whose current key selects the value. */
    @SuppressWarnings("unchecked")
    public WriteBackValue<S, V> bind(KeyedStateBackend<?> backend) {
        this.backend = (KeyedStateBackend<Object>) backend;
        return this;
    }

    /** The current key's value, or null. */
    public V value() throws Exception {
        if (backend == null) {
            S s = state.value();
            return s == null ? null : decode.apply(s);
        }
        Object key = backend.getCurrentKey();
        Entry<V> e = entries.get(key);
        if (e == null) {
            S s = state.value();
            e = new Entry<>(s == null ? null : decode.apply(s), false);
            entries.put(key, e);
            evictBeyondBound(key);
        }
        return e.value;
    }

    /** Sets the current key's value (null clears it). */
    public void update(V value) throws Exception {
        if (backend == null) {
            if (value == null) state.clear();
            else state.update(encode.apply(value));
            return;
        }
        Object key = backend.getCurrentKey();
        Entry<V> e = entries.get(key);
        if (e == null) {
            entries.put(key, new Entry<>(value, true));
            dirty++;
            evictBeyondBound(key);
        } else {
            if (!e.dirty) dirty++;
            e.value = value;
            e.dirty = true;
        }
    }

    public void clear() throws Exception {
        update(null);
    }

    /** Writes every changed value to the backend; call before the keyed state is snapshotted. */
    public void flush() throws Exception {
        if (backend == null || dirty == 0) {
            return;
        }
        Object current = backend.getCurrentKey();
        for (Map.Entry<Object, Entry<V>> en : entries.entrySet()) {
            Entry<V> e = en.getValue();
            if (e.dirty) {
                write(en.getKey(), e);
            }
        }
        dirty = 0;
        if (current != null) backend.setCurrentKey(current);
    }

    /** Values on the heap (for metrics and tests). */
    public int size() {
        return entries.size();
    }

    /** Values changed since the last flush. */
    public int dirty() {
        return dirty;
    }

    private void evictBeyondBound(Object current) throws Exception {
        if (entries.size() <= maxEntries) {
            return;
        }
        Iterator<Map.Entry<Object, Entry<V>>> it = entries.entrySet().iterator();
        boolean switched = false;
        while (entries.size() > maxEntries && it.hasNext()) {
            Map.Entry<Object, Entry<V>> eldest = it.next();
            if (eldest.getKey().equals(current)) continue;
            if (eldest.getValue().dirty) {
                write(eldest.getKey(), eldest.getValue());
                dirty--;
                switched = true;
            }
            it.remove();
        }
        if (switched) backend.setCurrentKey(current);
    }

    private void write(Object key, Entry<V> e) throws Exception {
        backend.setCurrentKey(key);
        if (e.value == null) state.clear();
        else state.update(encode.apply(e.value));
        e.dirty = false;
    }
}
