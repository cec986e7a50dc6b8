package com.communitypulse.generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Who is in the run: Zipf-sized communities, each member's archetype and language, ordinary joins
 * and leaves, and the calibration that scales everyone's activity to the run's event target.
 *
 * <p>Separate from the planted truth ({@link GroundTruthPlanter}) and from behaviour (the actors):
 * this is the background population the planted signals must stand out from, and the baseline
 * expectations (how much a community normally talks) that the planter sizes its signals against.
 */
final class Population {
    private final GeneratorConfig cfg;
    private final SplittableRandom rnd;
    private final SimTime time;
    final Member[] members;
    final Community[] communities;

    /** Builds the communities and members; the planter and {@link #calibrate()} refine them afterwards. */
    Population(GeneratorConfig cfg, SplittableRandom rnd, SimTime time, Ids ids) {
        this.cfg = cfg;
        this.rnd = rnd;
        this.time = time;
        this.communities = new Community[cfg.communities()];
        this.members = new Member[cfg.members()];
        build(ids);
    }

    private void build(Ids ids) {
        int nc = communities.length;
        double[] cdf = new double[nc];
        double s = 0;
        for (int c = 0; c < nc; c++) {
            s += 1.0 / Math.pow(c + 1, 1.1);
            cdf[c] = s;
        }
        int[] sizes = new int[nc];
        int[] assign = new int[members.length];
        // Every community gets three members so it has a staff member and some chat; the rest follow Zipf.
        for (int i = 0; i < members.length; i++) {
            int c;
            if (i < 3 * nc) {
                c = i % nc;
            } else {
                double u = rnd.nextDouble() * s;
                c = Arrays.binarySearch(cdf, u);
                if (c < 0) c = -c - 1;
                if (c >= nc) c = nc - 1;
            }
            assign[i] = c;
            sizes[c]++;
        }
        int[][] lists = new int[nc][];
        int[] fill = new int[nc];
        for (int c = 0; c < nc; c++) {
            communities[c] = new Community(c);
            lists[c] = new int[sizes[c]];
        }
        double zh = cfg.zhShare();
        for (int i = 0; i < members.length; i++) {
            Member m = new Member(i, assign[i]);
            m.joinTs = time.start;
            m.lang = rnd.nextDouble() < zh ? Texts.ZH : Texts.EN;
            members[i] = m;
            lists[assign[i]][fill[assign[i]]++] = i;
        }
        for (int c = 0; c < nc; c++) {
            Community com = communities[c];
            com.members = lists[c];
            List<Integer> leaders = new ArrayList<>();
            for (int k = 0; k < lists[c].length; k++) {
                Member m = members[lists[c][k]];
                if (k == 0 || (k % 200 == 0)) {
                    m.arch = Archetype.STAFF;
                    if (com.staff < 0) com.staff = m.idx;
                } else {
                    double u = rnd.nextDouble();
                    m.arch = u < 0.45 ? Archetype.LURKER : u < 0.77 ? Archetype.CHATTER : u < 0.94 ? Archetype.BUYER : Archetype.LEADER;
                    if (m.arch == Archetype.LEADER) leaders.add(m.idx);
                }
            }
            com.leaders = leaders.stream().mapToInt(Integer::intValue).toArray();
            for (int k = 0; k < 2; k++) com.addShare(ids.newShareId(), Distributions.item(rnd));
        }
    }

    /** Some ordinary members join during the run, a few leave it (with a leave event). Planted members and staff stay. */
    void plantJoinsAndLeaves() {
        long span = time.end - time.start;
        for (Member m : members) {
            if (m.planted() || m.arch == Archetype.STAFF) continue;
            double u = rnd.nextDouble();
            if (u < 0.10) {
                m.joinTs = time.start + (long) (span * (0.05 + 0.75 * rnd.nextDouble()));
            } else if (u < 0.12) {
                m.endTs = time.start + (long) (span * (0.1 + 0.85 * rnd.nextDouble()));
                m.emitsLeave = true;
            }
        }
    }

    /** Scales actions per active day so that the expected number of good events is about eventsTarget. */
    void calibrate() {
        double base = 0;
        double spanDays = cfg.days();
        for (Member m : members) {
            base += expectedActiveDays(m, spanDays) * m.arch.actionsPerDay;
        }
        double f = cfg.eventsTarget() / Math.max(1.0, base);
        for (Member m : members) {
            double mean = m.arch.actionsPerDay * f;
            double p = m.planted() ? 1.0 : m.arch.pDay;
            if (mean < 1) {
                if (m.planted()) {
                    mean = 1;
                } else {
                    p *= mean;
                    mean = 1;
                }
            }
            m.pDay = p;
            m.meanActions = mean;
            Community c = communities[m.community];
            double alive = Math.max(0, Math.min(m.endTs, time.end) - m.joinTs) / (double) (time.end - time.start);
            c.speakingPerDay += alive * (m.planted() ? 1.0 / m.cadenceDays : p) * mean * m.arch.speakingShare();
        }
    }

    private double expectedActiveDays(Member m, double spanDays) {
        if (m.plan == Member.CHURNER) return (m.stopDay + 1.0) / m.cadenceDays;
        if (m.plan == Member.WEEKLY) return Math.max(1, spanDays / 7);
        double alive = Math.max(0, Math.min(m.endTs, time.end) - m.joinTs) / (double) SimTime.DAY;
        return alive * m.arch.pDay;
    }

    /** Present for the whole run, never leaving, not planted, not staff: safe to borrow for planted signals and late events. */
    boolean isStable(Member m) {
        return !m.planted() && m.arch != Archetype.STAFF && m.joinTs == time.start && m.endTs == Long.MAX_VALUE;
    }

    /** Indexes of the {@link #isStable stable} members. */
    int[] stableMembers() {
        int n = 0;
        for (Member m : members) if (isStable(m)) n++;
        int[] out = new int[n];
        n = 0;
        for (Member m : members) if (isStable(m)) out[n++] = m.idx;
        return out;
    }

    /** Community indexes, largest first (ties by index). */
    List<Integer> communitiesBySize() {
        List<Integer> ids = new ArrayList<>();
        for (int c = 0; c < communities.length; c++) ids.add(c);
        ids.sort((a, b) -> communities[b].members.length != communities[a].members.length
                ? Integer.compare(communities[b].members.length, communities[a].members.length) : Integer.compare(a, b));
        return ids;
    }

    Community communityOf(Member m) {
        return communities[m.community];
    }
}
