package com.communitypulse.generator;

import java.util.Arrays;

/**
 * The simulation's clock: every actor in one binary min-heap ordered by next event time, and the
 * step that advances the earliest one.
 *
 * <p>Hand-written rather than a {@link java.util.PriorityQueue} for its in-place "top changed"
 * step: the usual poll-then-add costs two sifts per event, which dominated generation time. Memory
 * is O(actors), independent of the number of events.
 */
final class ActorSchedule {
    private Actor[] heap = new Actor[64];
    private int size;
    private int actorSeq;

    /** Creation order of a new actor: breaks ties between actors due at the same time. */
    int nextSeq() {
        return actorSeq++;
    }

    void add(Actor x) {
        if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Actor p = heap[parent];
            if (x.compareTo(p) >= 0) break;
            heap[i] = p;
            i = parent;
        }
        heap[i] = x;
    }

    /**
     * Steps the actor due first; it leaves the schedule once its next time reaches {@code end}.
     * Returns false when no actor is left.
     */
    boolean stepEarliest(long end) {
        if (size == 0) return false;
        Actor a = heap[0];
        // Actors added during step() start no earlier than a's current time and sort after it.
        a.step();
        if (a.nextTs < end) {
            topChanged();
        } else {
            removeTop();
        }
        return true;
    }

    private void removeTop() {
        Actor last = heap[--size];
        heap[size] = null;
        if (size > 0) siftDown(last);
    }

    /** Restores order after the top actor's time moved later. */
    private void topChanged() {
        siftDown(heap[0]);
    }

    private void siftDown(Actor x) {
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int c = 2 * i + 1;
            Actor child = heap[c];
            int r = c + 1;
            if (r < size && child.compareTo(heap[r]) > 0) child = heap[c = r];
            if (x.compareTo(child) <= 0) break;
            heap[i] = child;
            i = c;
        }
        heap[i] = x;
    }
}
