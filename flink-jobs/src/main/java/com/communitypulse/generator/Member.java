package com.communitypulse.generator;

import java.util.BitSet;

/**
 * One member: the profile the population and the planted truth give them, and the little history
 * their actor and the ground truth need while the run goes on.
 *
 * <p>A plain mutable record shared by the setup classes and the actors, so that a member's whole
 * state sits in one object (memory is O(members) for any number of events).
 */
final class Member {
    /** Plans: an ordinary member, or one planted for the ground truth. */
    static final byte ORDINARY = 0, CHURNER = 1, WEEKLY = 2;

    final int idx;
    final String id;
    final int community;
    Archetype arch;
    int lang;
    byte plan = ORDINARY;
    long joinTs;
    long endTs = Long.MAX_VALUE;
    boolean emitsLeave;
    boolean spikeLeaver;
    boolean episodeAuthor;
    double pDay;
    double meanActions;
    int cadenceDays;
    int phaseDay;
    int stopDay = Integer.MAX_VALUE;
    long timeOfDay;
    /** Weekly members: how long their weekly burst lasts (planned; the actions spread over it). */
    long burstMs;
    /** Ordinary members: gaps between active days scatter widely (heavy tail) instead of keeping a steady rhythm. */
    boolean irregular;
    boolean buyerChurner;
    long lastClickTs = Long.MIN_VALUE;
    String lastShareId;
    long firstTs = -1;
    long lastTs = -1;
    int lastActiveDay = -1;
    /** Ordinary members with a rhythm: the next day they will be active (-1 before the first). */
    int nextActiveDay = -1;
    int paidOrders;
    /** Planted members only: the local days they were active on, for the ground truth. */
    BitSet activeDays;

    Member(int idx, int community) {
        this.idx = idx;
        this.id = "u" + idx;
        this.community = community;
    }

    boolean planted() {
        return plan != ORDINARY;
    }

    boolean aliveDuring(long from, long to) {
        return joinTs <= from && endTs > to;
    }
}
