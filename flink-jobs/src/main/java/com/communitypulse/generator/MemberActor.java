package com.communitypulse.generator;

import com.communitypulse.events.EventKind;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One member's behaviour over the run: which days they are active, how many actions in how many
 * sessions, and what each action is; plus their join and leave.
 *
 * <p>Plans a day at a time, so its state is a few sessions, never the member's whole history.
 * Ordinary members keep a rhythm of their own (or act on random days with {@code randomDays});
 * planted churners and weekly members follow the cadence the planter gave them, which is what
 * makes their ground truth exact.
 */
final class MemberActor extends Actor {
    /** How far a weekly member's burst start moves from week to week, either way. */
    static final long WEEKLY_JITTER = 30 * SimTime.MINUTE;
    /** Share of ordinary members without a steady rhythm (heavy-tailed gaps between active days). */
    static final double IRREGULAR_SHARE = 0.1;
    /** Share of an irregular member's gaps that are breaks (2-3.5 typical gaps) rather than streaks. */
    static final double IRREGULAR_BREAKS = 0.25;

    private static final byte JOIN = 0, ACTION = 1, LEAVE = 2;
    private final Member m;
    private final SplittableRandom rnd;
    private final boolean randomDays;
    private final SimTime time;
    private final Population population;
    private final Ids ids;
    private final EventEmitter emitter;
    private byte mode;
    private int day = -1;
    private final long[] starts = new long[3];
    private final int[] counts = new int[3];
    private int sessions;
    private int sess;
    private int left;
    private int actionNo;
    private int forcedOrderAt = -1;
    private long gapMean = 90_000;
    private long last;

    MemberActor(ActorSchedule schedule, EventEmitter emitter, SplittableRandom rnd, GeneratorConfig cfg, SimTime time,
            Population population, Ids ids, Member m) {
        super(schedule);
        this.emitter = emitter;
        this.rnd = rnd;
        this.randomDays = cfg.randomDays();
        this.time = time;
        this.population = population;
        this.ids = ids;
        this.m = m;
        this.last = m.joinTs;
        this.day = time.localDay(m.joinTs) - 1;
        if (m.joinTs > time.start) {
            mode = JOIN;
            nextTs = m.joinTs;
        } else {
            schedule();
        }
    }

    @Override
    void step() {
        long ts = nextTs;
        if (mode == JOIN) {
            emitter.join(m, ts);
        } else if (mode == LEAVE) {
            emitter.leave(m, ts);
            nextTs = Long.MAX_VALUE;
            return;
        } else {
            act(ts);
            left--;
            actionNo++;
        }
        last = ts;
        schedule();
    }

    private void schedule() {
        long t = nextActionTs();
        if (t >= m.endTs) {
            if (m.emitsLeave && m.endTs < time.end) {
                mode = LEAVE;
                nextTs = Math.max(m.endTs, last);
            } else {
                nextTs = Long.MAX_VALUE;
            }
        } else {
            mode = ACTION;
            nextTs = t >= time.end ? Long.MAX_VALUE : t;
        }
    }

    private long nextActionTs() {
        // A weekly burst spreads evenly over its planned length (0.8-1.2 of it): its end is known.
        if (left > 0 && m.plan == Member.WEEKLY) return last + (long) (gapMean * (0.8 + 0.4 * rnd.nextDouble()));
        if (left > 0) return last + Distributions.gap(rnd, gapMean);
        while (true) {
            while (sess + 1 < sessions) {
                sess++;
                left = counts[sess];
                if (left > 0) return Math.max(starts[sess], last + 1000);
            }
            if (++day >= time.days) return Long.MAX_VALUE;
            if (planDay(day)) sess = -1;
        }
    }

    private boolean planDay(int d) {
        long dayStart = time.day0 + d * SimTime.DAY;
        if (dayStart + SimTime.DAY <= m.joinTs || dayStart >= m.endTs || dayStart >= time.end) return false;
        int n;
        forcedOrderAt = -1;
        actionNo = 0;
        if (m.plan == Member.ORDINARY) {
            if (!ordinaryActiveOn(d)) return false;
            n = 1 + Distributions.poisson(rnd, m.meanActions - 1);
            sessions = n > 15 ? 3 : n > 6 ? 2 : 1;
            for (int s = 0; s < sessions; s++) starts[s] = dayStart + SimTime.sampleTimeOfDay(rnd);
            Arrays.sort(starts, 0, sessions);
        } else {
            if (d < m.phaseDay || d > m.stopDay || (d - m.phaseDay) % m.cadenceDays != 0) return false;
            n = Math.max(2, 1 + Distributions.poisson(rnd, m.meanActions - 1));
            sessions = 1;
            long jitter = m.plan == Member.WEEKLY ? rnd.nextLong(2 * WEEKLY_JITTER + 1) - WEEKLY_JITTER
                    : rnd.nextLong(80 * SimTime.MINUTE) - 40 * SimTime.MINUTE;
            starts[0] = dayStart + m.timeOfDay + jitter;
            if (m.buyerChurner && (m.paidOrders == 0 || rnd.nextDouble() < 0.4)) forcedOrderAt = n - 1;
        }
        int per = n / sessions;
        int total = 0;
        for (int s = 0; s < sessions; s++) {
            counts[s] = s == sessions - 1 ? n - per * (sessions - 1) : per;
            // Sessions before the stream starts did happen, just not in this stream.
            if (starts[s] < time.start) counts[s] = 0;
            total += counts[s];
        }
        // Busy members act faster rather than spill past the day: a session fits in about two hours.
        gapMean = Math.max(400, Math.min(90_000, 2 * SimTime.HOUR / Math.max(1, per)));
        if (m.plan == Member.WEEKLY) gapMean = m.burstMs / Math.max(1, n - 1);
        return total > 0;
    }

    /**
     * Whether an ordinary member is active on day {@code d}. By default members keep a rhythm
     * of their own, as CONTRACT §5's at-risk rule presumes: gaps between active days scatter
     * around their typical gap 1/pDay (0.6–1.4×), with an occasional longer break (1.4–2.2×,
     * one gap in ten), so a silence of three typical gaps means something. A share of them
     * ({@link #IRREGULAR_SHARE}) comes in phases instead: streaks of days close together, then
     * a break of 2-3.5 typical gaps (one gap in four), the breaks a rule reading only the usual
     * (median) gap mistakes for churn. With {@code randomDays} every day is an independent coin
     * flip instead.
     */
    private boolean ordinaryActiveOn(int d) {
        if (randomDays) return rnd.nextDouble() < m.pDay;
        double typical = 1 / m.pDay;
        if (m.nextActiveDay < 0) {
            m.irregular = rnd.nextDouble() < IRREGULAR_SHARE;
            m.nextActiveDay = d + rnd.nextInt((int) Math.ceil(typical));
        }
        if (d < m.nextActiveDay) return false;
        double f = m.irregular ? (rnd.nextDouble() < IRREGULAR_BREAKS ? 2 + 1.5 * rnd.nextDouble() : 0.4 + 0.4 * rnd.nextDouble())
                : rnd.nextDouble() < 0.1 ? 1.4 + 0.8 * rnd.nextDouble() : 0.6 + 0.8 * rnd.nextDouble();
        m.nextActiveDay = d + Math.max(1, (int) Math.round(typical * f));
        return true;
    }

    private void act(long ts) {
        int a;
        if (actionNo == forcedOrderAt) {
            a = Archetype.A_ORDER;
        } else if (m.plan == Member.WEEKLY && actionNo == 0) {
            a = Archetype.A_POST;
        } else if (m.plan == Member.WEEKLY) {
            // Every action of the burst is in the community, so its last one ends the quiet stretch's bound.
            double u = rnd.nextDouble() * m.arch.cdf[Archetype.A_CCLICK];
            a = 0;
            while (a < Archetype.A_CCLICK && m.arch.cdf[a] < u) a++;
        } else {
            double[] cdf = m.arch.cdf;
            // A member keeping a rhythm shows up in the community on their day: the day's first
            // action is one that counts as activity (CONTRACT §4), not an organic click or an order.
            // So does a planted churner: their cadence is one of community activity.
            boolean onTheirDay = actionNo == 0 && (m.plan == Member.CHURNER || m.plan == Member.ORDINARY && !randomDays);
            double u = onTheirDay ? rnd.nextDouble() * cdf[Archetype.A_CCLICK] : rnd.nextDouble();
            a = 0;
            while (a < cdf.length - 1 && cdf[a] < u) a++;
        }
        Community c = population.communityOf(m);
        switch (a) {
            case Archetype.A_POST:
            case Archetype.A_COMMENT:
            case Archetype.A_REPLY: {
                EventKind k = a == Archetype.A_POST ? EventKind.POST : a == Archetype.A_COMMENT ? EventKind.COMMENT : EventKind.REPLY;
                double u = rnd.nextDouble();
                int sentiment = u < 0.06 ? -1 : u < 0.36 ? 1 : 0;
                emitter.speak(m, ts, k, sentiment, -1);
                break;
            }
            case Archetype.A_REACTION:
                emitter.react(m, ts);
                break;
            case Archetype.A_SHARE:
                emitter.share(m, ts, ids.newShareId(), Distributions.item(rnd));
                break;
            case Archetype.A_CCLICK:
                if (c.shareCount > 0) {
                    int i = rnd.nextInt(c.shareCount);
                    emitter.communityClick(m, ts, Distributions.clickKind(rnd), c.shares[i], c.shareItems[i]);
                } else {
                    emitter.organicClick(m, ts);
                }
                break;
            case Archetype.A_ORGANIC:
                emitter.organicClick(m, ts);
                break;
            default:
                emitter.order(m, ts);
        }
    }
}
