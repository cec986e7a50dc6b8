package com.communitypulse.generator;

import com.communitypulse.events.PulseEvent;
import java.util.SplittableRandom;

/**
 * The population and its behaviour: produces the good events of a run in non-decreasing event-time
 * order, and records the planted truth.
 *
 * <p>A discrete-event simulation: every member, negative episode, campaign and pending refund is an
 * {@link Actor} in one {@link ActorSchedule} ordered by the time of its next event. An actor emits
 * events only at its own next time and then schedules a later one, so the output is sorted by
 * construction and memory is O(members + pending refunds + planted plans), independent of the
 * number of events.
 *
 * <p>This class only wires the parts together in a fixed order: {@link Population} (who is there),
 * {@link GroundTruthPlanter} (the signals to find), {@link EventEmitter} (events from actions), the
 * actors, and {@link SimTime} for local days. All of them draw from one seeded random stream in
 * that order, which is why the same seed and settings give the same bytes: reordering the setup
 * steps below changes the data.
 */
final class Simulation {
    private final SimTime time;
    private final Ids ids;
    private final GroundTruthPlanter planter;
    private final GroundTruth truth;
    private final EventEmitter emitter;
    private final ActorSchedule schedule = new ActorSchedule();
    /** Members safe to use for late events: present throughout, never leave, not planted. */
    final int[] stableMembers;
    private boolean finished;

    Simulation(GeneratorConfig cfg, GroundTruth truth) {
        this.truth = truth;
        SplittableRandom rnd = new SplittableRandom(cfg.seed());
        this.time = new SimTime(cfg);
        this.ids = new Ids(cfg.seed());
        Population population = new Population(cfg, rnd, time, ids);
        this.planter = new GroundTruthPlanter(cfg, rnd, time, population);
        this.emitter = new EventEmitter(rnd, time, population, ids, truth, schedule);
        planter.plantChurnersAndWeekly();
        population.plantJoinsAndLeaves();
        population.calibrate();
        planter.plantSpikes();
        this.stableMembers = population.stableMembers();
        planter.plantEpisodes(schedule, emitter);
        planter.plantCampaigns(schedule, emitter, ids);
        for (Member m : population.members) {
            MemberActor a = new MemberActor(schedule, emitter, rnd, cfg, time, population, ids, m);
            if (a.nextTs != Long.MAX_VALUE) schedule.add(a);
        }
    }

    /** The next good event in event-time order, or null when the simulation is over. */
    PulseEvent next() {
        while (!emitter.hasReady()) {
            if (!schedule.stepEarliest(time.end)) {
                finish();
                return null;
            }
        }
        return emitter.poll();
    }

    private void finish() {
        if (finished) return;
        finished = true;
        planter.recordTruth(truth);
    }

    /** A fresh, valid event of a stable member at {@code ts}; never counted as good. */
    PulseEvent lateEvent(SplittableRandom r, long ts, String eventId, String orderId) {
        return emitter.lateEvent(r, stableMembers, ts, eventId, orderId);
    }

    String tag() {
        return ids.tag();
    }
}
