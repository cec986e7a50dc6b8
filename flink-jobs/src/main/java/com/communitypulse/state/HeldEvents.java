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
 * {@code snapshotState} before the keyed state is snapshotted) the events that arrived since the
 * previous checkpoint are appended to the operator's keyed list state, under their own key, so the
 * snapshot holds them and rescaling hands them to whichever subtask owns the key. They stay on the
 * heap as well: their release clears the list state without reading it (in a replay one input can
 * run days of event time ahead of another, and its events then wait across many checkpoints).
 * When more than {@code maxOnHeap} events wait, further events go to the list state only, and the
 * release of such a key reads it; the heap stays bounded.
 *
 * <p><b>End of life</b>: an event leaves when the watermark passes its time; the list state of a
 * key is cleared by the release that takes its events.
 */
public final class HeldEvents {
    private record Due(long ts, String key) {}

    /** A key's events on the heap; the first {@code persisted} of them are also in the list state. */
    private static final class Held {
        final List<PulseEvent> events = new ArrayList<>(2);
        int persisted;
        /** Events past the heap bound, or restored, are in the list state only. */
        boolean stateOnly;
    }

    private final ListState<PulseEvent> state;
    private final KeyedStateBackend<String> backend;
    private final String stateName;
    private final int maxOnHeap;
    private final Map<String, Held> heap = new HashMap<>();
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
        Held h = heap.computeIfAbsent(key, k -> new Held());
        if (onHeap < maxOnHeap) {
            h.events.add(e);
            onHeap++;
        } else {
            state.add(e);
            h.stateOnly = true;
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
     * particular order, and clears the key's list state if it holds any. The caller hands those it
     * does not apply yet back with {@link #putBack}; their entries in the due queue are still there.
     */
    public List<PulseEvent> take(String key) throws Exception {
        Held h = heap.remove(key);
        if (h == null) {
            return new ArrayList<>();
        }
        onHeap -= h.events.size();
        if (!h.stateOnly) {
            if (h.persisted > 0) state.clear();
            return h.events;
        }
        // Some events are only in the list state: it holds the persisted ones as well.
        List<PulseEvent> events = new ArrayList<>();
        Iterable<PulseEvent> stored = state.get();
        if (stored != null) {
            for (PulseEvent e : stored) events.add(e);
        }
        events.addAll(h.events.subList(h.persisted, h.events.size()));
        state.clear();
        return events;
    }

    /** Removes and returns the events of {@code key} (the backend's current key) at or before {@code watermark}; the later ones stay held. */
    public List<PulseEvent> takeDue(String key, long watermark) throws Exception {
        List<PulseEvent> all = take(key);
        List<PulseEvent> due = new ArrayList<>(all.size());
        List<PulseEvent> later = new ArrayList<>(0);
        for (PulseEvent p : all) {
            (p.getTs() <= watermark ? due : later).add(p);
        }
        putBack(key, later);
        return due;
    }

    /** Holds again events that {@link #take} returned but that are not due yet. */
    public void putBack(String key, List<PulseEvent> later) {
        if (later.isEmpty()) {
            return;
        }
        Held h = heap.computeIfAbsent(key, k -> new Held());
        h.events.addAll(later);
        onHeap += later.size();
    }

    /**
     * Writes the events that arrived since the previous checkpoint into the keyed list state; call
     * from {@code snapshotState}. They stay on the heap too, so their release needs no read.
     */
    public void persist() throws Exception {
        for (Map.Entry<String, Held> en : heap.entrySet()) {
            Held h = en.getValue();
            if (h.events.size() > h.persisted) {
                backend.setCurrentKey(en.getKey());
                state.addAll(new ArrayList<>(h.events.subList(h.persisted, h.events.size())));
                h.persisted = h.events.size();
            }
        }
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
            if (any) heap.computeIfAbsent(key, k -> new Held()).stateOnly = true;
        }
    }

    /** Events waiting, on the heap and in the list state only (for metrics and tests). */
    public int size() {
        return due.size();
    }

    public int onHeap() {
        return onHeap;
    }
}
