package com.communitypulse.generator;

/**
 * Something that emits events over time: a member, a negative episode, a campaign, a pending
 * refund. The {@link ActorSchedule} always steps the actor with the earliest next time.
 *
 * <p>An actor emits events only at its own next time and then moves that time later, which is
 * what makes the simulation's output sorted by event time by construction.
 */
abstract class Actor implements Comparable<Actor> {
    long nextTs;
    private final int seq;

    Actor(ActorSchedule schedule) {
        this.seq = schedule.nextSeq();
    }

    /** By next time, then creation order, so ties resolve the same way in every run. */
    @Override
    public final int compareTo(Actor o) {
        if (nextTs != o.nextTs) return nextTs < o.nextTs ? -1 : 1;
        return Integer.compare(seq, o.seq);
    }

    /** Emits this actor's events at {@link #nextTs} and sets the next time ({@code Long.MAX_VALUE}: done). */
    abstract void step();
}
