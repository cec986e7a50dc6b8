package com.communitypulse.state;

import com.communitypulse.events.PulseEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;

/**
 * Events of many keys held until the watermark passes them, for a keyed operator that must apply
 * each key's events in event-time order (member activity, order attribution). They wait on the
 * heap, not in RocksDB: the previous design wrote every event into a keyed list state and one
 * timer per event, and read both back at the watermark — six RocksDB operations and two
 * serialisations per event for data that is gone a few seconds of event time later.
 *
 * <p>Which keys are due is a heap priority queue of (event time, key), so a watermark touches only
 * the keys it releases and no Flink timer is registered per event.
 *
 * <p><b>Durability.</b> At each checkpoint ({@link #persist}, called from the operator's
 * {@code snapshotState} before the keyed state is snapshotted) the events still on the heap move
 * into the operator's keyed list state, under their own key, so the snapshot holds them and
 * rescaling hands them to whichever subtask owns the key. From then on those keys are
 * <i>persisted</i>: their next release reads and clears the list state (two operations, only for
 * events that waited across a checkpoint). An event is on the heap or in the list state, never
 * both. When more than {@code maxOnHeap} events wait (a replay whose inputs run far apart in event
 * time), further events go straight to the list state, so the heap stays bounded.
 *
 * <p><b>End of life</b>: an event leaves when the watermark passes its time; the list state of a
 * key is cleared by the release that takes its events.
 */
public final class HeldEvents {
    private record Due(long ts, String key) {}

    private final ListState<PulseEvent> state;
    private final KeyedStateBackend<String> backend;
    private final String stateName;
    private final int maxOnHeap;
    private final Map<String, List<PulseEvent>> heap = new HashMap<>();
    private final Set<String> persisted = new HashSet<>();
    private final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> Long.compare(a.ts, b.ts));
    private int onHeap;

    /**
     * @param state the operator's keyed list state for the events (its name is part of the savepoint layout)
     * @param stateName that state's name, to find its keys on restore
     */
    public HeldEvents(ListState<PulseEvent> state, String stateName, KeyedStateBackend<String> backend, int maxOnHeap) {
        this.state = state;
        this.stateName = stateName;
        this.backend = backend;
        this.maxOnHeap = maxOnHeap;
    }

    /** Holds {@code e} for {@code key}, which must be the backend's current key. */
    public void add(String key, PulseEvent e) throws Exception {
        if (onHeap < maxOnHeap) {
            heap.computeIfAbsent(key, k -> new ArrayList<>(2)).add(e);
            onHeap++;
        } else {
            state.add(e);
            persisted.add(key);
        }
        due.add(new Due(e.getTs(), key));
    }

    /** The keys holding an event at or before {@code watermark}, each once, earliest first. */
    public List<String> keysDueAt(long watermark) {
        Set<String> keys = new LinkedHashSet<>();
        while (!due.isEmpty() && due.peek().ts <= watermark) {
            keys.add(due.poll().key);
        }
        return new ArrayList<>(keys);
    }

    /**
     * Removes and returns every event held for {@code key} (the backend's current key), in no
     * particular order. The caller hands those it does not apply yet back with {@link #putBack};
     * their entries in the due queue are still there.
     */
    public List<PulseEvent> take(String key) throws Exception {
        List<PulseEvent> events = heap.remove(key);
        if (events == null) {
            events = new ArrayList<>();
        } else {
            onHeap -= events.size();
        }
        if (persisted.remove(key)) {
            Iterable<PulseEvent> stored = state.get();
            if (stored != null) {
                for (PulseEvent e : stored) events.add(e);
            }
            state.clear();
        }
        return events;
    }

    /** Holds again events that {@link #take} returned but that are not due yet. */
    public void putBack(String key, List<PulseEvent> later) {
        if (later.isEmpty()) {
            return;
        }
        heap.computeIfAbsent(key, k -> new ArrayList<>(later.size())).addAll(later);
        onHeap += later.size();
    }

    /** Moves every event on the heap into the keyed list state; call from {@code snapshotState}. */
    public void persist() throws Exception {
        for (Map.Entry<String, List<PulseEvent>> en : heap.entrySet()) {
            backend.setCurrentKey(en.getKey());
            state.addAll(en.getValue());
            persisted.add(en.getKey());
        }
        heap.clear();
        onHeap = 0;
    }

    /** After a restore: every key with events in the list state is due at its events' times. */
    public void restore() throws Exception {
        List<String> keys;
        try (Stream<String> s = backend.getKeys(stateName, VoidNamespace.INSTANCE)) {
            keys = s.toList();
        }
        for (String key : keys) {
            backend.setCurrentKey(key);
            Iterable<PulseEvent> stored = state.get();
            if (stored == null) continue;
            boolean any = false;
            for (PulseEvent e : stored) {
                due.add(new Due(e.getTs(), key));
                any = true;
            }
            if (any) persisted.add(key);
        }
    }

    /** Events waiting, on the heap and in the list state (for metrics and tests). */
    public int size() {
        return due.size();
    }

    public int onHeap() {
        return onHeap;
    }
}
