package com.communitypulse.generator;

import com.communitypulse.events.EventJson;
import com.communitypulse.events.EventType;
import com.communitypulse.events.PulseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Deterministic generator of the three input streams (CONTRACT §3) with planted ground truth.
 *
 * <p>Good events come from a seeded simulation of many communities (see {@code Simulation}):
 * Zipf-sized communities, an Asia/Shanghai daily rhythm, member archetypes (lurker, chatter, buyer,
 * opinion leader, staff), Chinese and English texts with moderation categories, replies and
 * reactions, joins and leaves, share-link clicks, orders with every attribution case, refunds, and
 * the planted churners, weekly members, negative episodes, churn spikes and campaigns recorded in
 * {@link #truth()}. This class then injects faults, from a separate random stream so that the good
 * events do not depend on the fault rates:
 * <ul>
 *   <li>out-of-order: a good event is held back until a later event (at most {@code maxDisorderMs}
 *       later in event time) has overtaken it; one that nothing overtakes in time stays GOOD, so the
 *       observed out-of-order share is below {@code outOfOrderRate} on sparse streams;</li>
 *   <li>duplicate: the same bytes again, released no later than {@code maxDisorderMs} after the
 *       event time (and after the original);</li>
 *   <li>late: an extra, fresh event (own id) whose time is {@code lateByMs} behind the stream time,
 *       only once the stream is two hours old and the late time is not before {@code startTs};</li>
 *   <li>malformed: an extra record that {@code EventParser} rejects.</li>
 * </ul>
 * Good events therefore leave in event-time order except the out-of-order and late ones; every
 * event id is unique (duplicates repeat bytes, not ids). Memory is bounded by the population and the
 * small delay queue, so 20 million events stream through in constant space.
 *
 * <h2>How to run</h2>
 * <pre>{@code
 * EventGenerator g = new EventGenerator(GeneratorConfig.defaults());
 * while (g.hasNext()) { GeneratedRecord r = g.next(); ... }
 * GroundTruth t = g.truth();   // complete now
 * }</pre>
 * or from a shell: {@code pulse generate --out /tmp/run} (see {@link GeneratorCli}).
 */
public final class EventGenerator implements Iterator<GeneratedRecord> {
    private static final long WARMUP_MS = 2 * SimTime.HOUR;

    private final GeneratorConfig cfg;
    private final GroundTruth truth;
    private final Simulation sim;
    private final SplittableRandom faults;
    private final ArrayDeque<GeneratedRecord> out = new ArrayDeque<>();
    private final java.util.ArrayList<GeneratedRecord> overtaken = new java.util.ArrayList<>();
    private final PriorityQueue<Pending> delayed = new PriorityQueue<>();
    private long pendingSeq;
    private long streamTs = Long.MIN_VALUE;
    private long lateSeq;
    private boolean simDone;

    private static final class Pending implements Comparable<Pending> {
        final long release;
        final long seq;
        final GeneratedRecord record;

        Pending(long release, long seq, GeneratedRecord record) {
            this.release = release;
            this.seq = seq;
            this.record = record;
        }

        @Override
        public int compareTo(Pending o) {
            if (release != o.release) return release < o.release ? -1 : 1;
            return Long.compare(seq, o.seq);
        }
    }

    public EventGenerator(GeneratorConfig c) {
        this.cfg = c;
        this.truth = new GroundTruth(c);
        this.sim = new Simulation(c, truth);
        this.faults = new SplittableRandom(c.seed() ^ 0x5DEECE66DL * 31 + 17);
    }

    public GeneratorConfig config() {
        return cfg;
    }

    /** The planted truth and record counts; complete once {@link #hasNext()} has returned false. */
    public GroundTruth truth() {
        return truth;
    }

    @Override
    public boolean hasNext() {
        fill();
        return !out.isEmpty();
    }

    @Override
    public GeneratedRecord next() {
        fill();
        GeneratedRecord r = out.poll();
        if (r == null) throw new NoSuchElementException("generator exhausted");
        truth.count(r.topic(), r.kind());
        if (r.kind() == GeneratedRecord.Kind.LATE) truth.addLate(r.eventId());
        return r;
    }

    private void fill() {
        while (out.isEmpty() && !simDone) {
            PulseEvent e = sim.next();
            if (e == null) {
                simDone = true;
                while (!delayed.isEmpty()) release(delayed.poll().record);
                return;
            }
            onGood(e);
        }
    }

    private void onGood(PulseEvent e) {
        long ts = e.getTs();
        // Due records go out after e, so that e overtakes them, unless e is already too far ahead.
        while (!delayed.isEmpty() && delayed.peek().release <= ts) {
            GeneratedRecord p = delayed.poll().record;
            if (ts - p.timestamp() > cfg.maxDisorderMs()) {
                release(p);
            } else {
                overtaken.add(p);
            }
        }
        if (cfg.lateRate() > 0 && faults.nextDouble() < cfg.lateRate()) addLate();
        if (cfg.malformedRate() > 0 && faults.nextDouble() < cfg.malformedRate()) addMalformed(e);

        GeneratedRecord r = record(e, GeneratedRecord.Kind.GOOD);
        long emittedAt = ts;
        if (cfg.outOfOrderRate() > 0 && faults.nextDouble() < cfg.outOfOrderRate()) {
            long delay = 1 + faults.nextLong(cfg.maxDisorderMs());
            emittedAt = ts + delay;
            delayed.add(new Pending(emittedAt, pendingSeq++, r.as(GeneratedRecord.Kind.OUT_OF_ORDER)));
        } else {
            release(r);
        }
        for (GeneratedRecord p : overtaken) release(p);
        overtaken.clear();
        if (cfg.duplicateRate() > 0 && faults.nextDouble() < cfg.duplicateRate()) {
            // Released after the original (later seq on ties) and within maxDisorderMs of the event time.
            long release = emittedAt + faults.nextLong(ts + cfg.maxDisorderMs() - emittedAt + 1);
            delayed.add(new Pending(release, pendingSeq++, r.as(GeneratedRecord.Kind.DUPLICATE)));
        }
    }

    /**
     * Emits a record and advances stream time (the largest event time of the unique, non-late records
     * emitted so far). A delayed record that nothing overtook is in order after all and is reported
     * as GOOD, so OUT_OF_ORDER always means "behind the stream by 1..maxDisorderMs".
     */
    private void release(GeneratedRecord r) {
        if (r.kind() == GeneratedRecord.Kind.OUT_OF_ORDER && streamTs <= r.timestamp()) r = r.as(GeneratedRecord.Kind.GOOD);
        out.add(r);
        if (r.kind() != GeneratedRecord.Kind.DUPLICATE) streamTs = Math.max(streamTs, r.timestamp());
    }

    private void addLate() {
        if (streamTs == Long.MIN_VALUE || streamTs < cfg.startTs() + WARMUP_MS || sim.stableMembers.length == 0) return;
        long lateTs = streamTs - cfg.lateByMs();
        if (lateTs < cfg.startTs()) return;
        String n = Long.toString(lateSeq++, 36);
        PulseEvent e = sim.lateEvent(faults, lateTs, "l" + sim.tag() + "-" + n, "ol" + sim.tag() + "-" + n);
        out.add(record(e, GeneratedRecord.Kind.LATE));
    }

    private void addMalformed(PulseEvent like) {
        EventType type = like.getType();
        long at = streamTs == Long.MIN_VALUE ? like.getTs() : streamTs;
        String community = like.getCommunityId() != null ? like.getCommunityId() : "c0";
        byte[] value = Malformed.build(faults, type, "x" + sim.tag() + "-" + Long.toString(pendingSeq++, 36),
                like.getUserId(), community, at);
        String key = type == EventType.MESSAGE ? community : like.getUserId();
        out.add(new GeneratedRecord(type.defaultTopic(), key.getBytes(StandardCharsets.UTF_8), value, at,
                GeneratedRecord.Kind.MALFORMED, null));
    }

    private static GeneratedRecord record(PulseEvent e, GeneratedRecord.Kind kind) {
        String key = e.getType() == EventType.MESSAGE ? e.getCommunityId() : e.getUserId();
        return new GeneratedRecord(e.getType().defaultTopic(), key.getBytes(StandardCharsets.UTF_8), EventJson.toJson(e),
                e.getTs(), kind, e.getEventId());
    }
}
