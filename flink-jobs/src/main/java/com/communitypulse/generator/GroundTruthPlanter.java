package com.communitypulse.generator;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plants the signals the job must find (churners, weekly regulars, churn spikes, negative episodes,
 * campaigns) into the population, and at the end of the run writes what was actually emitted for
 * them into the {@link GroundTruth}.
 *
 * <p>Kept together because each planted signal is sized against the population around it (a
 * spike against the community's stable members, an episode against its normal talk) and its truth
 * is read back from the same members and actors it planted; the recount tests compare the job's
 * findings against exactly these records.
 */
final class GroundTruthPlanter {
    private final GeneratorConfig cfg;
    private final SplittableRandom rnd;
    private final SimTime time;
    private final Population population;
    private final Member[] members;
    private final List<Member> churners = new ArrayList<>();
    private final List<Member> weekly = new ArrayList<>();
    private final List<EpisodeActor> episodes = new ArrayList<>();
    private final List<CampaignActor> campaigns = new ArrayList<>();
    private final List<GroundTruth.ChurnSpike> spikes = new ArrayList<>();

    GroundTruthPlanter(GeneratorConfig cfg, SplittableRandom rnd, SimTime time, Population population) {
        this.cfg = cfg;
        this.rnd = rnd;
        this.time = time;
        this.population = population;
        this.members = population.members;
    }

    /** Turns a share of the members (never staff) into churners and weekly regulars, alternately. */
    void plantChurnersAndWeekly() {
        int nChurn = (int) Math.round(cfg.churnerFraction() * members.length);
        int nWeekly = (int) Math.round(cfg.weeklyFraction() * members.length);
        int[] order = Distributions.shuffledIndexes(members.length, rnd);
        int k = 0;
        for (int i = 0; i < order.length && (nChurn > 0 || nWeekly > 0); i++) {
            Member m = members[order[i]];
            if (m.arch == Archetype.STAFF) continue;
            if ((k++ & 1) == 0 && nChurn > 0 || nWeekly == 0) {
                plantChurner(m);
                nChurn--;
            } else {
                plantWeekly(m);
                nWeekly--;
            }
        }
    }

    private void plantChurner(Member m) {
        m.plan = Member.CHURNER;
        double u = rnd.nextDouble();
        m.cadenceDays = u < 0.35 ? 1 : u < 0.65 ? 2 : u < 0.85 ? 3 : 4;
        // Valuable either way: cadence <= 3 gives >= 8 active days in 28; slower ones are buyers.
        m.buyerChurner = m.cadenceDays == 4 || rnd.nextDouble() < 0.4;
        m.arch = m.buyerChurner ? Archetype.BUYER : Archetype.CHATTER;
        int quiet = (int) Math.max(7, 3L * m.cadenceDays);
        int streamDays = cfg.days();
        // Stop anywhere from 40 % of the stream on, early enough that an at-risk threshold
        // (max(7d, 3 x gap)) and a week after it pass before the end: whether an alerted member
        // came back within a week can then be read from the data.
        // At least 8 active days first (an established cadence, see the lifecycle package docs).
        m.phaseDay = rnd.nextInt(m.cadenceDays);
        int latest = streamDays - quiet - 9 - rnd.nextInt(m.cadenceDays + 1);
        int min = Math.min(streamDays - 1, Math.max(Math.max(1, (int) (streamDays * 0.4)), m.phaseDay + 7 * m.cadenceDays));
        int want = latest <= min ? latest : min + rnd.nextInt(latest - min + 1);
        m.stopDay = Math.max(min, Math.min(want, streamDays - 1));
        if (m.phaseDay > m.stopDay) m.phaseDay = 0;
        // Too few active days to be valuable by frequency (>= 8 of 28): make them valuable by buying.
        if ((m.stopDay - m.phaseDay) / m.cadenceDays + 1 < 8 && !m.buyerChurner) {
            m.buyerChurner = true;
            m.arch = Archetype.BUYER;
        }
        m.timeOfDay = 9 * SimTime.HOUR + rnd.nextLong(12 * SimTime.HOUR);
        m.activeDays = new BitSet();
        churners.add(m);
    }

    private void plantWeekly(Member m) {
        m.plan = Member.WEEKLY;
        m.arch = Archetype.CHATTER;
        m.cadenceDays = 7;
        m.phaseDay = rnd.nextInt(Math.min(7, cfg.days()));
        // Half of them are night owls whose weekly burst runs past midnight (two local days a week,
        // gaps of 1 and 6 days between active days); the rest start in the evening. The start moves
        // by up to WEEKLY_JITTER each week and a burst lasts 2.5-4 h (at least 0.8 of that between
        // its first and last action), so every quiet stretch stays below 7 days by construction.
        m.timeOfDay = rnd.nextBoolean() ? 22 * SimTime.HOUR + 40 * SimTime.MINUTE + rnd.nextLong(40 * SimTime.MINUTE) : 19 * SimTime.HOUR + rnd.nextLong(2 * SimTime.HOUR);
        m.burstMs = 150 * SimTime.MINUTE + rnd.nextLong(90 * SimTime.MINUTE);
        m.activeDays = new BitSet();
        weekly.add(m);
    }

    /** Many stable members of a large community leave within one to three hours. */
    void plantSpikes() {
        long span = time.end - time.start;
        List<Integer> candidates = population.communitiesBySize();
        int planted = 0;
        for (int ci = 0; ci < candidates.size() && planted < cfg.churnSpikes(); ci++) {
            Community c = population.communities[candidates.get(ci)];
            List<Member> stable = new ArrayList<>();
            for (int idx : c.members) {
                Member m = members[idx];
                if (population.isStable(m) && !m.spikeLeaver) stable.add(m);
            }
            if (stable.size() < 20) continue;
            long lo = time.start + Math.max(SimTime.DAY, (long) (span * 0.4));
            long hi = time.end - 4 * SimTime.HOUR;
            if (hi <= lo) lo = time.start + span / 2 - SimTime.HOUR;
            long t0 = wakingTime(lo, hi);
            long len = SimTime.HOUR + rnd.nextLong(2 * SimTime.HOUR);
            int s = stable.size();
            // Many for the community, but not a mass exodus in the largest ones.
            int k = Math.min((int) (s * 0.6), Math.max(10, (int) Math.min(s * 0.3, 40 + s * 0.02)));
            Distributions.shuffle(stable, rnd);
            List<String> ids = new ArrayList<>();
            long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
            for (int i = 0; i < k; i++) {
                Member m = stable.get(i);
                m.spikeLeaver = true;
                m.emitsLeave = true;
                m.endTs = t0 + rnd.nextLong(len);
                ids.add(m.id);
                first = Math.min(first, m.endTs);
                last = Math.max(last, m.endTs);
            }
            spikes.add(new GroundTruth.ChurnSpike(c.id, first, last, k, ids));
            planted++;
        }
    }

    /** A time in [lo, hi] between 09:00 and 22:00 local when the range allows: incidents happen while people chat. */
    private long wakingTime(long lo, long hi) {
        long t = lo + (hi > lo ? rnd.nextLong(hi - lo) : 0);
        long midnight = time.day0 + time.localDay(t) * SimTime.DAY;
        long w = midnight + 9 * SimTime.HOUR + rnd.nextLong(13 * SimTime.HOUR);
        if (w < lo) w += SimTime.DAY;
        if (w > hi) w -= SimTime.DAY;
        return w >= lo && w <= hi ? w : t;
    }

    /** Negative episodes in mid-sized communities; their actors join {@code schedule}. */
    void plantEpisodes(ActorSchedule schedule, EventEmitter emitter) {
        long span = time.end - time.start;
        List<Integer> candidates = population.communitiesBySize();
        // Mid-sized first: the largest communities are noisy, the smallest cannot show many authors.
        int skip = Math.min(candidates.size() / 5, 2);
        int planted = 0;
        for (int ci = skip; ci < candidates.size() + skip && planted < cfg.negativeEpisodes(); ci++) {
            Community c = population.communities[candidates.get(ci % candidates.size())];
            long lo = time.start + Math.max(6 * SimTime.HOUR, (long) (span * 0.2));
            long hi = time.end - SimTime.HOUR;
            if (hi <= lo) lo = time.start + span / 3;
            long t0 = wakingTime(lo, hi);
            long len = 20 * SimTime.MINUTE + rnd.nextLong(20 * SimTime.MINUTE);
            List<Member> authors = new ArrayList<>();
            for (int idx : c.members) {
                Member m = members[idx];
                if (!m.planted() && m.arch != Archetype.STAFF && !m.episodeAuthor && m.aliveDuring(t0, t0 + len)) authors.add(m);
            }
            if (authors.size() < 12) continue;
            double hourFactor = SimTime.hourFactor(SimTime.localHour(t0));
            double normal = c.speakingPerDay * len / SimTime.DAY * hourFactor;
            int msgs = (int) Math.max(24, Math.ceil(1.5 * normal));
            int nAuthors = Math.min(authors.size(), Math.max(8, msgs / 3));
            msgs = Math.max(msgs, nAuthors);
            Distributions.shuffle(authors, rnd);
            Member[] chosen = authors.subList(0, nAuthors).toArray(new Member[0]);
            for (Member m : chosen) m.episodeAuthor = true;
            EpisodeActor e = new EpisodeActor(schedule, emitter, rnd, c, t0, len, chosen, msgs);
            episodes.add(e);
            schedule.add(e);
            planted++;
        }
    }

    /** Campaigns in communities of every size that have staff; their actors join {@code schedule}. */
    void plantCampaigns(ActorSchedule schedule, EventEmitter emitter, Ids ids) {
        long span = time.end - time.start;
        List<Integer> candidates = population.communitiesBySize();
        int planted = 0;
        for (int ci = 0; ci < candidates.size() && planted < cfg.campaigns(); ci++) {
            // Spread campaigns over sizes: every other community in size order.
            Community c = population.communities[candidates.get((ci * 2 + 1) % candidates.size())];
            if (c.staff < 0) continue;
            long lo = time.start + (long) (span * 0.1);
            long hi = time.end - 3 * SimTime.HOUR;
            if (hi <= lo) lo = time.start;
            long t0 = wakingTime(lo, hi);
            long len = 2 * SimTime.HOUR + rnd.nextLong(4 * SimTime.HOUR);
            long t1 = Math.min(time.end - 1, t0 + len);
            List<Member> eligible = new ArrayList<>();
            for (int idx : c.members) {
                Member m = members[idx];
                if (!m.planted() && m.arch != Archetype.STAFF && m.aliveDuring(t0, t1)) eligible.add(m);
            }
            if (eligible.size() < 10) continue;
            if (campaignsContain(c)) continue;
            Distributions.shuffle(eligible, rnd);
            int n = Math.min(eligible.size(), Math.max(8, (int) (eligible.size() * 0.4)));
            CampaignActor a = new CampaignActor(schedule, emitter, rnd, ids, c, members[c.staff], t0, t1, eligible.subList(0, n), 1 + rnd.nextInt(3));
            campaigns.add(a);
            schedule.add(a);
            planted++;
        }
    }

    private boolean campaignsContain(Community c) {
        for (CampaignActor a : campaigns) if (a.community == c) return true;
        return false;
    }

    /** Writes the planted signals as emitted into {@code truth}; call once, after the last event. */
    void recordTruth(GroundTruth truth) {
        for (Member m : churners) {
            if (m.firstTs < 0) continue;
            long gap = m.cadenceDays * SimTime.DAY;
            int stop = time.localDay(m.lastTs);
            int last28 = m.activeDays.get(Math.max(0, stop - 27), stop + 1).cardinality();
            boolean valuable = m.paidOrders > 0 || last28 >= 8;
            truth.add(new GroundTruth.Churner(m.id, population.communities[m.community].id, m.cadenceDays, gap, m.firstTs, m.lastTs,
                    m.activeDays.cardinality(), m.paidOrders, valuable, m.lastTs + Math.max(7 * SimTime.DAY, 3 * gap),
                    m.lastTs + 30 * SimTime.DAY));
        }
        for (Member m : weekly) {
            if (m.firstTs < 0) continue;
            truth.add(new GroundTruth.WeeklyMember(m.id, population.communities[m.community].id, 7 * SimTime.DAY, m.firstTs, m.lastTs,
                    m.activeDays.cardinality()));
        }
        for (EpisodeActor e : episodes) {
            if (e.emitted == 0) continue;
            List<String> cats = new ArrayList<>();
            for (int c : e.categories) cats.add(Texts.CATEGORIES[c]);
            truth.add(new GroundTruth.NegativeEpisode(e.community.id, e.firstTs, e.lastTs, e.emitted, e.authorsUsed(), cats));
        }
        for (GroundTruth.ChurnSpike s : spikes) truth.add(s);
        for (CampaignActor c : campaigns) {
            if (c.firstTs < 0) continue;
            truth.add(new GroundTruth.Campaign(c.community.id, List.of(c.shareIds), c.firstTs, c.lastTs, c.participants.length,
                    c.clicks, c.orders));
        }
    }
}
