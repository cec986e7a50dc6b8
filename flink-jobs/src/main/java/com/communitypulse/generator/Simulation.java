package com.communitypulse.generator;

import com.communitypulse.events.EventKind;
import com.communitypulse.events.MemberRole;
import com.communitypulse.events.PulseEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The population and its behaviour: produces the good events of a run in non-decreasing event-time
 * order, and records the planted truth.
 *
 * <p>A discrete-event simulation: every member, negative episode, campaign and pending refund is an
 * {@link Actor} in one priority queue ordered by the time of its next event. An actor emits events
 * only at its own next time and then schedules a later one, so the output is sorted by construction
 * and memory is O(members + pending refunds + planted plans), independent of the number of events.
 *
 * <p>Local days are Asia/Shanghai days (UTC+8, no DST), which drives the daily rhythm.
 */
final class Simulation {
    static final long DAY = GeneratorConfig.DAY_MS;
    static final long HOUR = 3_600_000L;
    static final long MINUTE = 60_000L;
    private static final long SHANGHAI_OFFSET = 8 * HOUR;
    static final String CURRENCY = "CNY";

    /** Relative activity per local hour: quiet nights, a lunch bump and an evening peak around 21:00. */
    private static final double[] HOURLY = {0.6, 0.3, 0.15, 0.1, 0.1, 0.15, 0.4, 0.9, 1.3, 1.5, 1.6, 1.8,
            2.0, 1.7, 1.4, 1.4, 1.5, 1.6, 1.9, 2.4, 3.0, 3.2, 2.6, 1.5};
    private static final double[] HOURLY_CDF = new double[24];
    private static final double HOURLY_MEAN;

    static {
        double s = 0;
        for (double h : HOURLY) s += h;
        double c = 0;
        for (int i = 0; i < 24; i++) {
            c += HOURLY[i] / s;
            HOURLY_CDF[i] = c;
        }
        HOURLY_CDF[23] = 1.0;
        HOURLY_MEAN = s / 24;
    }

    // ---- archetypes -------------------------------------------------------------------------
    enum Archetype {
        //      pDay  actions/day  post comment reply reaction share cclick organic order
        LURKER(0.15, 3, new double[] {2, 3, 2, 22, 1, 40, 25, 2}),
        CHATTER(0.60, 12, new double[] {15, 25, 25, 22, 3, 6, 2, 1}),
        BUYER(0.40, 8, new double[] {4, 6, 4, 6, 2, 40, 20, 8}),
        LEADER(0.90, 20, new double[] {25, 15, 30, 10, 8, 6, 1, 1}),
        STAFF(0.85, 10, new double[] {30, 5, 35, 5, 25, 0, 0, 0});

        final double pDay;
        final double actionsPerDay;
        final double[] cdf;

        Archetype(double pDay, double actionsPerDay, double[] w) {
            this.pDay = pDay;
            this.actionsPerDay = actionsPerDay;
            double s = 0;
            for (double x : w) s += x;
            cdf = new double[w.length];
            double c = 0;
            for (int i = 0; i < w.length; i++) {
                c += w[i] / s;
                cdf[i] = c;
            }
            cdf[w.length - 1] = 1.0;
        }

        double speakingShare() {
            return cdf[A_REPLY];
        }
    }

    static final int A_POST = 0, A_COMMENT = 1, A_REPLY = 2, A_REACTION = 3, A_SHARE = 4, A_CCLICK = 5, A_ORGANIC = 6, A_ORDER = 7;

    static final byte ORDINARY = 0, CHURNER = 1, WEEKLY = 2;
    /** How far a weekly member's burst start moves from week to week, either way. */
    static final long WEEKLY_JITTER = 30 * MINUTE;
    /** Share of ordinary members without a steady rhythm (heavy-tailed gaps between active days). */
    static final double IRREGULAR_SHARE = 0.1;
    /** Share of an irregular member's gaps that are breaks (2-3.5 typical gaps) rather than streaks. */
    static final double IRREGULAR_BREAKS = 0.25;

    static final class Member {
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

    static final class Community {
        final int idx;
        final String id;
        int[] members;
        int[] leaders;
        int staff = -1;
        final int[] recent = new int[8];
        int recentCount;
        int recentPos;
        final String[] shares = new String[4];
        final String[] shareItems = new String[4];
        int shareCount;
        int sharePos;
        int lastNegAuthor = -1;
        long lastNegTs;
        double speakingPerDay;

        Community(int idx) {
            this.idx = idx;
            this.id = "c" + idx;
        }

        void spoke(int member) {
            recent[recentPos] = member;
            recentPos = (recentPos + 1) % recent.length;
            if (recentCount < recent.length) recentCount++;
        }

        void addShare(String shareId, String item) {
            shares[sharePos] = shareId;
            shareItems[sharePos] = item;
            sharePos = (sharePos + 1) % shares.length;
            if (shareCount < shares.length) shareCount++;
        }
    }

    // ---- state --------------------------------------------------------------------------------
    private final GeneratorConfig cfg;
    private final GroundTruth truth;
    private final Texts texts = Texts.get();
    private final SplittableRandom rnd;
    final Member[] members;
    final Community[] communities;
    final long start;
    final long end;
    /** Local (Shanghai) midnight on or before {@link #start}; day d starts at day0 + d * DAY. */
    final long day0;
    final int days;
    private final String tag;
    private long eventSeq;
    private long orderSeq;
    private long shareSeq;
    private int actorSeq;
    private final ActorHeap queue = new ActorHeap();
    private final ArrayDeque<Emitted> ready = new ArrayDeque<>();
    private final List<Member> churners = new ArrayList<>();
    private final List<Member> weekly = new ArrayList<>();
    private final List<EpisodeActor> episodes = new ArrayList<>();
    private final List<CampaignActor> campaigns = new ArrayList<>();
    private final List<GroundTruth.ChurnSpike> spikes = new ArrayList<>();
    /** Members safe to use for late events: present throughout, never leave, not planted. */
    final int[] stableMembers;
    private boolean finished;

    /** One simulated event and the member it belongs to. */
    static final class Emitted {
        final PulseEvent event;
        final Member member;

        Emitted(PulseEvent event, Member member) {
            this.event = event;
            this.member = member;
        }
    }

    Simulation(GeneratorConfig cfg, GroundTruth truth) {
        this.cfg = cfg;
        this.truth = truth;
        this.rnd = new SplittableRandom(cfg.seed());
        this.start = cfg.startTs();
        this.end = cfg.endTs();
        this.days = cfg.days() + 1;
        this.day0 = Math.floorDiv(start + SHANGHAI_OFFSET, DAY) * DAY - SHANGHAI_OFFSET;
        this.tag = Long.toUnsignedString(cfg.seed(), 36);
        this.communities = new Community[cfg.communities()];
        this.members = new Member[cfg.members()];
        buildPopulation();
        plantChurnersAndWeekly();
        plantJoinsAndLeaves();
        calibrate();
        plantSpikes();
        this.stableMembers = stable();
        plantEpisodes();
        plantCampaigns();
        for (Member m : members) {
            MemberActor a = new MemberActor(m);
            if (a.nextTs != Long.MAX_VALUE) queue.add(a);
        }
    }

    // ---- setup --------------------------------------------------------------------------------

    private void buildPopulation() {
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
            m.joinTs = start;
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
            for (int k = 0; k < 2; k++) com.addShare(newShareId(), item(rnd));
        }
    }

    private void plantChurnersAndWeekly() {
        int nChurn = (int) Math.round(cfg.churnerFraction() * members.length);
        int nWeekly = (int) Math.round(cfg.weeklyFraction() * members.length);
        int[] order = shuffledIndexes();
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
        m.plan = CHURNER;
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
        m.timeOfDay = 9 * HOUR + rnd.nextLong(12 * HOUR);
        m.activeDays = new BitSet();
        churners.add(m);
    }

    private void plantWeekly(Member m) {
        m.plan = WEEKLY;
        m.arch = Archetype.CHATTER;
        m.cadenceDays = 7;
        m.phaseDay = rnd.nextInt(Math.min(7, cfg.days()));
        // Half of them are night owls whose weekly burst runs past midnight (two local days a week,
        // gaps of 1 and 6 days between active days); the rest start in the evening. The start moves
        // by up to WEEKLY_JITTER each week and a burst lasts 2.5-4 h (at least 0.8 of that between
        // its first and last action), so every quiet stretch stays below 7 days by construction.
        m.timeOfDay = rnd.nextBoolean() ? 22 * HOUR + 40 * MINUTE + rnd.nextLong(40 * MINUTE) : 19 * HOUR + rnd.nextLong(2 * HOUR);
        m.burstMs = 150 * MINUTE + rnd.nextLong(90 * MINUTE);
        m.activeDays = new BitSet();
        weekly.add(m);
    }

    private void plantJoinsAndLeaves() {
        long span = end - start;
        for (Member m : members) {
            if (m.planted() || m.arch == Archetype.STAFF) continue;
            double u = rnd.nextDouble();
            if (u < 0.10) {
                m.joinTs = start + (long) (span * (0.05 + 0.75 * rnd.nextDouble()));
            } else if (u < 0.12) {
                m.endTs = start + (long) (span * (0.1 + 0.85 * rnd.nextDouble()));
                m.emitsLeave = true;
            }
        }
    }

    /** Scales actions per active day so that the expected number of good events is about eventsTarget. */
    private void calibrate() {
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
            double alive = Math.max(0, Math.min(m.endTs, end) - m.joinTs) / (double) (end - start);
            c.speakingPerDay += alive * (m.planted() ? 1.0 / m.cadenceDays : p) * mean * m.arch.speakingShare();
        }
    }

    private double expectedActiveDays(Member m, double spanDays) {
        if (m.plan == CHURNER) return (m.stopDay + 1.0) / m.cadenceDays;
        if (m.plan == WEEKLY) return Math.max(1, spanDays / 7);
        double alive = Math.max(0, Math.min(m.endTs, end) - m.joinTs) / (double) DAY;
        return alive * m.arch.pDay;
    }

    private void plantSpikes() {
        long span = end - start;
        List<Integer> candidates = communitiesBySize();
        int planted = 0;
        for (int ci = 0; ci < candidates.size() && planted < cfg.churnSpikes(); ci++) {
            Community c = communities[candidates.get(ci)];
            List<Member> stable = new ArrayList<>();
            for (int idx : c.members) {
                Member m = members[idx];
                if (isStable(m) && !m.spikeLeaver) stable.add(m);
            }
            if (stable.size() < 20) continue;
            long lo = start + Math.max(DAY, (long) (span * 0.4));
            long hi = end - 4 * HOUR;
            if (hi <= lo) lo = start + span / 2 - HOUR;
            long t0 = wakingTime(lo, hi);
            long len = HOUR + rnd.nextLong(2 * HOUR);
            int s = stable.size();
            // Many for the community, but not a mass exodus in the largest ones.
            int k = Math.min((int) (s * 0.6), Math.max(10, (int) Math.min(s * 0.3, 40 + s * 0.02)));
            shuffle(stable);
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
        long midnight = day0 + localDay(t) * DAY;
        long w = midnight + 9 * HOUR + rnd.nextLong(13 * HOUR);
        if (w < lo) w += DAY;
        if (w > hi) w -= DAY;
        return w >= lo && w <= hi ? w : t;
    }

    private boolean isStable(Member m) {
        return !m.planted() && m.arch != Archetype.STAFF && m.joinTs == start && m.endTs == Long.MAX_VALUE;
    }

    private int[] stable() {
        int n = 0;
        for (Member m : members) if (isStable(m)) n++;
        int[] out = new int[n];
        n = 0;
        for (Member m : members) if (isStable(m)) out[n++] = m.idx;
        return out;
    }

    private void plantEpisodes() {
        long span = end - start;
        List<Integer> candidates = communitiesBySize();
        // Mid-sized first: the largest communities are noisy, the smallest cannot show many authors.
        int skip = Math.min(candidates.size() / 5, 2);
        int planted = 0;
        for (int ci = skip; ci < candidates.size() + skip && planted < cfg.negativeEpisodes(); ci++) {
            Community c = communities[candidates.get(ci % candidates.size())];
            long lo = start + Math.max(6 * HOUR, (long) (span * 0.2));
            long hi = end - HOUR;
            if (hi <= lo) lo = start + span / 3;
            long t0 = wakingTime(lo, hi);
            long len = 20 * MINUTE + rnd.nextLong(20 * MINUTE);
            List<Member> authors = new ArrayList<>();
            for (int idx : c.members) {
                Member m = members[idx];
                if (!m.planted() && m.arch != Archetype.STAFF && !m.episodeAuthor && m.aliveDuring(t0, t0 + len)) authors.add(m);
            }
            if (authors.size() < 12) continue;
            double hourFactor = HOURLY[localHour(t0)] / HOURLY_MEAN;
            double normal = c.speakingPerDay * len / DAY * hourFactor;
            int msgs = (int) Math.max(24, Math.ceil(1.5 * normal));
            int nAuthors = Math.min(authors.size(), Math.max(8, msgs / 3));
            msgs = Math.max(msgs, nAuthors);
            shuffle(authors);
            Member[] chosen = authors.subList(0, nAuthors).toArray(new Member[0]);
            for (Member m : chosen) m.episodeAuthor = true;
            EpisodeActor e = new EpisodeActor(c, t0, len, chosen, msgs);
            episodes.add(e);
            queue.add(e);
            planted++;
        }
    }

    private void plantCampaigns() {
        long span = end - start;
        List<Integer> candidates = communitiesBySize();
        int planted = 0;
        for (int ci = 0; ci < candidates.size() && planted < cfg.campaigns(); ci++) {
            // Spread campaigns over sizes: every other community in size order.
            Community c = communities[candidates.get((ci * 2 + 1) % candidates.size())];
            if (c.staff < 0) continue;
            long lo = start + (long) (span * 0.1);
            long hi = end - 3 * HOUR;
            if (hi <= lo) lo = start;
            long t0 = wakingTime(lo, hi);
            long len = 2 * HOUR + rnd.nextLong(4 * HOUR);
            long t1 = Math.min(end - 1, t0 + len);
            List<Member> eligible = new ArrayList<>();
            for (int idx : c.members) {
                Member m = members[idx];
                if (!m.planted() && m.arch != Archetype.STAFF && m.aliveDuring(t0, t1)) eligible.add(m);
            }
            if (eligible.size() < 10) continue;
            if (campaignsContain(c)) continue;
            shuffle(eligible);
            int n = Math.min(eligible.size(), Math.max(8, (int) (eligible.size() * 0.4)));
            CampaignActor a = new CampaignActor(c, t0, t1, eligible.subList(0, n), 1 + rnd.nextInt(3));
            campaigns.add(a);
            queue.add(a);
            planted++;
        }
    }

    private boolean campaignsContain(Community c) {
        for (CampaignActor a : campaigns) if (a.community == c) return true;
        return false;
    }

    private List<Integer> communitiesBySize() {
        List<Integer> ids = new ArrayList<>();
        for (int c = 0; c < communities.length; c++) ids.add(c);
        ids.sort((a, b) -> communities[b].members.length != communities[a].members.length
                ? Integer.compare(communities[b].members.length, communities[a].members.length) : Integer.compare(a, b));
        return ids;
    }

    private int[] shuffledIndexes() {
        int[] a = new int[members.length];
        for (int i = 0; i < a.length; i++) a[i] = i;
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private <T> void shuffle(List<T> l) {
        for (int i = l.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            T t = l.get(i);
            l.set(i, l.get(j));
            l.set(j, t);
        }
    }

    // ---- running ------------------------------------------------------------------------------

    /** The next good event in event-time order, or null when the simulation is over. */
    Emitted next() {
        while (ready.isEmpty()) {
            Actor a = queue.peek();
            if (a == null) {
                finish();
                return null;
            }
            // Actors added during step() start no earlier than a's current time and sort after it.
            a.step();
            if (a.nextTs < end) {
                queue.topChanged();
            } else {
                queue.removeTop();
            }
        }
        return ready.poll();
    }

    private void emit(PulseEvent e, Member m) {
        long ts = e.getTs();
        if (m != null) {
            if (m.firstTs < 0) m.firstTs = ts;
            m.lastTs = ts;
            if (e.getKind().isActivity()) {
                int d = localDay(ts);
                if (d != m.lastActiveDay) {
                    m.lastActiveDay = d;
                    if (m.activeDays != null) m.activeDays.set(d);
                }
            }
            if (e.getKind() == EventKind.PAID) m.paidOrders++;
            if (e.getCommunityId() != null && e.getShareId() != null && e.getType() == com.communitypulse.events.EventType.CLICK) {
                m.lastClickTs = ts;
                m.lastShareId = e.getShareId();
            }
        }
        String topic = e.getType().defaultTopic();
        truth.countKind(topic, e.getKind().wireName());
        if (e.getKind() == EventKind.PAID) truth.addPaid(e.getAmountMinor());
        if (e.getKind() == EventKind.REFUNDED) truth.addRefunded(e.getAmountMinor());
        ready.add(new Emitted(e, m));
    }

    private void finish() {
        if (finished) return;
        finished = true;
        for (Member m : churners) {
            if (m.firstTs < 0) continue;
            long gap = m.cadenceDays * DAY;
            int stop = localDay(m.lastTs);
            int last28 = m.activeDays.get(Math.max(0, stop - 27), stop + 1).cardinality();
            boolean valuable = m.paidOrders > 0 || last28 >= 8;
            truth.add(new GroundTruth.Churner(m.id, communities[m.community].id, m.cadenceDays, gap, m.firstTs, m.lastTs,
                    m.activeDays.cardinality(), m.paidOrders, valuable, m.lastTs + Math.max(7 * DAY, 3 * gap),
                    m.lastTs + 30 * DAY));
        }
        for (Member m : weekly) {
            if (m.firstTs < 0) continue;
            truth.add(new GroundTruth.WeeklyMember(m.id, communities[m.community].id, 7 * DAY, m.firstTs, m.lastTs,
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

    // ---- helpers ------------------------------------------------------------------------------

    int localDay(long ts) {
        return (int) Math.floorDiv(ts - day0, DAY);
    }

    static int localHour(long ts) {
        return (int) (Math.floorMod(ts + SHANGHAI_OFFSET, DAY) / HOUR);
    }

    static long sampleTimeOfDay(SplittableRandom r) {
        double u = r.nextDouble();
        int h = 0;
        while (h < 23 && HOURLY_CDF[h] < u) h++;
        return h * HOUR + r.nextLong(HOUR);
    }

    private String nextEventId() {
        return "e" + tag + "-" + Long.toString(eventSeq++, 36);
    }

    private String newShareId() {
        return "s" + tag + "-" + Long.toString(shareSeq++, 36);
    }

    private String newOrderId() {
        return "o" + tag + "-" + Long.toString(orderSeq++, 36);
    }

    static String item(SplittableRandom r) {
        double u = r.nextDouble();
        return "i" + (int) (2000 * u * u);
    }

    static long amount(SplittableRandom r) {
        double a = Math.exp(Math.log(9900) + 0.8 * r.nextGaussian());
        return Math.max(100, Math.round(a / 100) * 100);
    }

    static int poisson(SplittableRandom r, double mean) {
        if (mean <= 0) return 0;
        if (mean > 30) return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * r.nextGaussian()));
        double l = Math.exp(-mean), p = 1;
        int k = 0;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > l);
        return k - 1;
    }

    /** Time to a member's next action within a session: a floor plus an exponential tail, mean {@code mean}. */
    private static long gap(SplittableRandom r, long mean) {
        return mean / 8 + (long) (-Math.log(1 - r.nextDouble()) * (mean - mean / 8));
    }

    // ---- actions ------------------------------------------------------------------------------

    private void speak(Member m, long ts, EventKind kind, int sentiment, int category) {
        Community c = communities[m.community];
        String text;
        if (m.arch == Archetype.STAFF) {
            // Staff speak in their own voice; they never start a negative thread they would reply to.
            sentiment = 0;
            text = texts.staff(m.lang, rnd);
        } else if (sentiment < 0) {
            text = category >= 0 ? texts.negative(m.lang, category, rnd) : texts.negative(m.lang, rnd);
        } else if (sentiment > 0) {
            text = texts.positive(m.lang, rnd);
        } else {
            text = texts.neutral(m.lang, rnd);
        }
        String replyTo = null;
        if (kind == EventKind.REPLY) {
            replyTo = replyTarget(m, c, ts);
            if (replyTo == null) kind = EventKind.POST;
        }
        PulseEvent e = PulseEvent.message(nextEventId(), c.id, m.id, ts, kind, text).withLang(Texts.LANGS[m.lang]);
        if (replyTo != null) e.withReplyTo(replyTo);
        if (m.arch == Archetype.STAFF) e.withRole(MemberRole.STAFF);
        emit(e, m);
        c.spoke(m.idx);
        if (sentiment < 0) {
            c.lastNegAuthor = m.idx;
            c.lastNegTs = ts;
        }
    }

    private String replyTarget(Member m, Community c, long ts) {
        if (m.arch == Archetype.STAFF && c.lastNegAuthor >= 0 && ts - c.lastNegTs < 6 * HOUR && rnd.nextDouble() < 0.7) {
            return members[c.lastNegAuthor].id;
        }
        // Opinion leaders attract replies and reactions (top contributors, CONTRACT §4).
        if (c.leaders.length > 0 && rnd.nextDouble() < 0.4) {
            int t = c.leaders[rnd.nextInt(c.leaders.length)];
            if (t != m.idx) return members[t].id;
        }
        if (c.recentCount == 0) return null;
        int t = c.recent[rnd.nextInt(c.recentCount)];
        return t == m.idx ? null : members[t].id;
    }

    private void react(Member m, long ts) {
        Community c = communities[m.community];
        String target = replyTarget(m, c, ts);
        if (target == null) {
            speak(m, ts, EventKind.POST, 0, -1);
            return;
        }
        PulseEvent e = PulseEvent.message(nextEventId(), c.id, m.id, ts, EventKind.REACTION, null).withReplyTo(target);
        if (m.arch == Archetype.STAFF) e.withRole(MemberRole.STAFF);
        emit(e, m);
    }

    private void share(Member m, long ts, String shareId, String itemId) {
        Community c = communities[m.community];
        PulseEvent e = PulseEvent.message(nextEventId(), c.id, m.id, ts, EventKind.SHARE, null);
        if (m.arch == Archetype.STAFF) e.withRole(MemberRole.STAFF);
        emit(e, m);
        c.addShare(shareId, itemId);
    }

    private static EventKind clickKind(SplittableRandom r) {
        double u = r.nextDouble();
        return u < 0.5 ? EventKind.VIEW : u < 0.85 ? EventKind.CLICK : EventKind.ADD_TO_CART;
    }

    private void communityClick(Member m, long ts, EventKind kind, String shareId, String itemId) {
        emit(PulseEvent.click(nextEventId(), m.id, ts, kind, itemId, communities[m.community].id, shareId), m);
    }

    private void organicClick(Member m, long ts) {
        emit(PulseEvent.click(nextEventId(), m.id, ts, clickKind(rnd), item(rnd), null, null), m);
    }

    /** A paid order with attribution chosen from the member's click history (CONTRACT §4 cases). */
    private void order(Member m, long ts) {
        String community = communities[m.community].id;
        long since = ts - m.lastClickTs;
        String cid = null, sid = null, how;
        if (m.lastShareId != null && since <= 23 * HOUR) {
            double u = rnd.nextDouble();
            if (u < 0.4) {
                cid = community;
                sid = m.lastShareId;
                how = "direct";
            } else if (u < 0.7) {
                sid = m.lastShareId;
                how = "share_id";
            } else {
                how = "last_click";
            }
        } else if (since > 25 * HOUR && rnd.nextDouble() < 0.7) {
            how = "unattributed";
        } else {
            // Near the 24 h edge, stay unambiguous: the order names its community.
            cid = community;
            how = "direct";
        }
        placeOrder(m, ts, cid, sid, how);
    }

    private void placeOrder(Member m, long ts, String cid, String sid, String how) {
        long amount = amount(rnd);
        String orderId = newOrderId();
        emit(PulseEvent.order(nextEventId(), orderId, m.id, ts, EventKind.PAID, amount, CURRENCY, cid, sid), m);
        truth.addAttribution(how);
        if (!m.planted() && rnd.nextDouble() < 0.06) {
            long at = ts + HOUR + rnd.nextLong(47 * HOUR);
            // A refund is an order event of the member: never after they leave.
            if (at < end && at < m.endTs) {
                queue.add(new RefundActor(m, at, orderId, amount, cid, sid));
            }
        }
    }

    // ---- actors -------------------------------------------------------------------------------

    abstract class Actor implements Comparable<Actor> {
        long nextTs;
        final int seq = actorSeq++;

        /** By next time, then creation order, so ties resolve the same way in every run. */
        @Override
        public int compareTo(Actor o) {
            if (nextTs != o.nextTs) return nextTs < o.nextTs ? -1 : 1;
            return Integer.compare(seq, o.seq);
        }

        /** Emits this actor's events at {@link #nextTs} and sets the next time ({@code Long.MAX_VALUE}: done). */
        abstract void step();
    }

    final class MemberActor extends Actor {
        private static final byte JOIN = 0, ACTION = 1, LEAVE = 2;
        private final Member m;
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

        MemberActor(Member m) {
            this.m = m;
            this.last = m.joinTs;
            this.day = localDay(m.joinTs) - 1;
            if (m.joinTs > start) {
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
                emit(PulseEvent.message(nextEventId(), communities[m.community].id, m.id, ts, EventKind.JOIN, null), m);
            } else if (mode == LEAVE) {
                emit(PulseEvent.message(nextEventId(), communities[m.community].id, m.id, ts, EventKind.LEAVE, null), m);
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
                if (m.emitsLeave && m.endTs < end) {
                    mode = LEAVE;
                    nextTs = Math.max(m.endTs, last);
                } else {
                    nextTs = Long.MAX_VALUE;
                }
            } else {
                mode = ACTION;
                nextTs = t >= end ? Long.MAX_VALUE : t;
            }
        }

        private long nextActionTs() {
            // A weekly burst spreads evenly over its planned length (0.8-1.2 of it): its end is known.
            if (left > 0 && m.plan == WEEKLY) return last + (long) (gapMean * (0.8 + 0.4 * rnd.nextDouble()));
            if (left > 0) return last + gap(rnd, gapMean);
            while (true) {
                while (sess + 1 < sessions) {
                    sess++;
                    left = counts[sess];
                    if (left > 0) return Math.max(starts[sess], last + 1000);
                }
                if (++day >= days) return Long.MAX_VALUE;
                if (planDay(day)) sess = -1;
            }
        }

        private boolean planDay(int d) {
            long dayStart = day0 + d * DAY;
            if (dayStart + DAY <= m.joinTs || dayStart >= m.endTs || dayStart >= end) return false;
            int n;
            forcedOrderAt = -1;
            actionNo = 0;
            if (m.plan == ORDINARY) {
                if (!ordinaryActiveOn(d)) return false;
                n = 1 + poisson(rnd, m.meanActions - 1);
                sessions = n > 15 ? 3 : n > 6 ? 2 : 1;
                for (int s = 0; s < sessions; s++) starts[s] = dayStart + sampleTimeOfDay(rnd);
                Arrays.sort(starts, 0, sessions);
            } else {
                if (d < m.phaseDay || d > m.stopDay || (d - m.phaseDay) % m.cadenceDays != 0) return false;
                n = Math.max(2, 1 + poisson(rnd, m.meanActions - 1));
                sessions = 1;
                long jitter = m.plan == WEEKLY ? rnd.nextLong(2 * WEEKLY_JITTER + 1) - WEEKLY_JITTER : rnd.nextLong(80 * MINUTE) - 40 * MINUTE;
                starts[0] = dayStart + m.timeOfDay + jitter;
                if (m.buyerChurner && (m.paidOrders == 0 || rnd.nextDouble() < 0.4)) forcedOrderAt = n - 1;
            }
            int per = n / sessions;
            int total = 0;
            for (int s = 0; s < sessions; s++) {
                counts[s] = s == sessions - 1 ? n - per * (sessions - 1) : per;
                // Sessions before the stream starts did happen, just not in this stream.
                if (starts[s] < start) counts[s] = 0;
                total += counts[s];
            }
            // Busy members act faster rather than spill past the day: a session fits in about two hours.
            gapMean = Math.max(400, Math.min(90_000, 2 * HOUR / Math.max(1, per)));
            if (m.plan == WEEKLY) gapMean = m.burstMs / Math.max(1, n - 1);
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
            if (cfg.randomDays()) return rnd.nextDouble() < m.pDay;
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
                a = A_ORDER;
            } else if (m.plan == WEEKLY && actionNo == 0) {
                a = A_POST;
            } else if (m.plan == WEEKLY) {
                // Every action of the burst is in the community, so its last one ends the quiet stretch's bound.
                double u = rnd.nextDouble() * m.arch.cdf[A_CCLICK];
                a = 0;
                while (a < A_CCLICK && m.arch.cdf[a] < u) a++;
            } else {
                double[] cdf = m.arch.cdf;
                // A member keeping a rhythm shows up in the community on their day: the day's first
                // action is one that counts as activity (CONTRACT §4), not an organic click or an order.
                // So does a planted churner: their cadence is one of community activity.
                boolean onTheirDay = actionNo == 0 && (m.plan == CHURNER || m.plan == ORDINARY && !cfg.randomDays());
                double u = onTheirDay ? rnd.nextDouble() * cdf[A_CCLICK] : rnd.nextDouble();
                a = 0;
                while (a < cdf.length - 1 && cdf[a] < u) a++;
            }
            Community c = communities[m.community];
            switch (a) {
                case A_POST:
                case A_COMMENT:
                case A_REPLY: {
                    EventKind k = a == A_POST ? EventKind.POST : a == A_COMMENT ? EventKind.COMMENT : EventKind.REPLY;
                    double u = rnd.nextDouble();
                    int sentiment = u < 0.06 ? -1 : u < 0.36 ? 1 : 0;
                    speak(m, ts, k, sentiment, -1);
                    break;
                }
                case A_REACTION:
                    react(m, ts);
                    break;
                case A_SHARE:
                    share(m, ts, newShareId(), item(rnd));
                    break;
                case A_CCLICK:
                    if (c.shareCount > 0) {
                        int i = rnd.nextInt(c.shareCount);
                        communityClick(m, ts, clickKind(rnd), c.shares[i], c.shareItems[i]);
                    } else {
                        organicClick(m, ts);
                    }
                    break;
                case A_ORGANIC:
                    organicClick(m, ts);
                    break;
                default:
                    order(m, ts);
            }
        }
    }

    final class RefundActor extends Actor {
        private final Member m;
        private final String orderId;
        private final long amount;
        private final String cid;
        private final String sid;

        RefundActor(Member m, long at, String orderId, long amount, String cid, String sid) {
            this.m = m;
            this.nextTs = at;
            this.orderId = orderId;
            this.amount = amount;
            this.cid = cid;
            this.sid = sid;
        }

        @Override
        void step() {
            emit(PulseEvent.order(nextEventId(), orderId, m.id, nextTs, EventKind.REFUNDED, amount, CURRENCY, cid, sid), m);
            nextTs = Long.MAX_VALUE;
        }
    }

    /** Many distinct members posting negative messages in one or two moderation categories. */
    final class EpisodeActor extends Actor {
        final Community community;
        final Member[] authors;
        final int[] categories;
        private final long[] times;
        private int i;
        int emitted;
        long firstTs = -1;
        long lastTs;
        private final BitSet used = new BitSet();

        EpisodeActor(Community community, long t0, long len, Member[] authors, int messages) {
            this.community = community;
            this.authors = authors;
            int c1 = rnd.nextInt(Texts.CATEGORIES.length - 1);
            int c2 = rnd.nextInt(Texts.CATEGORIES.length - 1);
            // "abuse" stays out of episodes: they model an incident customers complain about.
            this.categories = c1 == c2 ? new int[] {c1} : new int[] {c1, c2};
            this.times = new long[messages];
            for (int k = 0; k < messages; k++) times[k] = t0 + rnd.nextLong(len);
            Arrays.sort(times);
            this.nextTs = times[0];
        }

        @Override
        void step() {
            // Every author speaks once before anyone speaks twice, so distinct authors are guaranteed.
            int a = i < authors.length ? i : rnd.nextInt(authors.length);
            Member m = authors[a];
            used.set(a);
            EventKind k = rnd.nextDouble() < 0.5 ? EventKind.POST : EventKind.COMMENT;
            speak(m, nextTs, k, -1, categories[rnd.nextInt(categories.length)]);
            if (firstTs < 0) firstTs = nextTs;
            lastTs = nextTs;
            emitted++;
            i++;
            nextTs = i < times.length ? times[i] : Long.MAX_VALUE;
        }

        int authorsUsed() {
            return used.cardinality();
        }
    }

    /** Staff share links; chosen members view, click, add to cart and buy through them. */
    final class CampaignActor extends Actor {
        private static final byte SHARE = 0, VIEW = 1, CLICK = 2, CART = 3, ORDER = 4;
        final Community community;
        final String[] shareIds;
        final String[] items;
        final Member[] participants;
        private long[] ts;
        private int[] who;
        private byte[] what;
        private byte[] which;
        private int n;
        private int i;
        int clicks;
        int orders;
        long firstTs = -1;
        long lastTs;

        CampaignActor(Community community, long t0, long t1, List<Member> participants, int nShares) {
            this.community = community;
            this.participants = participants.toArray(new Member[0]);
            this.shareIds = new String[nShares];
            this.items = new String[nShares];
            for (int s = 0; s < nShares; s++) {
                shareIds[s] = newShareId();
                items[s] = item(rnd);
            }
            int cap = nShares + 4 * this.participants.length;
            ts = new long[cap];
            who = new int[cap];
            what = new byte[cap];
            which = new byte[cap];
            for (int s = 0; s < nShares; s++) add(t0 + s * 1000L, -1, SHARE, s);
            long window = t1 - t0;
            for (int p = 0; p < this.participants.length; p++) {
                int s = rnd.nextInt(nShares);
                long t = t0 + 60_000 + (long) (rnd.nextDouble() * 0.6 * window);
                add(t, p, VIEW, s);
                if (rnd.nextDouble() >= 0.7) continue;
                t += 10_000 + rnd.nextLong(5 * MINUTE);
                add(t, p, CLICK, s);
                if (rnd.nextDouble() >= 0.5) continue;
                t += 30_000 + rnd.nextLong(10 * MINUTE);
                add(t, p, CART, s);
                if (rnd.nextDouble() >= 0.6) continue;
                t += MINUTE + rnd.nextLong(30 * MINUTE);
                if (t < t1) add(t, p, ORDER, s);
            }
            sortPlan();
            nextTs = ts[0];
        }

        private void add(long t, int p, byte action, int share) {
            ts[n] = t;
            who[n] = p;
            what[n] = action;
            which[n] = (byte) share;
            n++;
        }

        private void sortPlan() {
            Integer[] idx = new Integer[n];
            for (int k = 0; k < n; k++) idx[k] = k;
            Arrays.sort(idx, Comparator.comparingLong((Integer k) -> ts[k]).thenComparingInt(k -> k));
            long[] ts2 = new long[n];
            int[] who2 = new int[n];
            byte[] what2 = new byte[n], which2 = new byte[n];
            for (int k = 0; k < n; k++) {
                ts2[k] = ts[idx[k]];
                who2[k] = who[idx[k]];
                what2[k] = what[idx[k]];
                which2[k] = which[idx[k]];
            }
            ts = ts2;
            who = who2;
            what = what2;
            which = which2;
        }

        @Override
        void step() {
            long t = ts[i];
            int s = which[i];
            if (what[i] == SHARE) {
                share(members[community.staff], t, shareIds[s], items[s]);
            } else {
                Member m = participants[who[i]];
                switch (what[i]) {
                    case VIEW: communityClick(m, t, EventKind.VIEW, shareIds[s], items[s]); clicks++; break;
                    case CLICK: communityClick(m, t, EventKind.CLICK, shareIds[s], items[s]); clicks++; break;
                    case CART: communityClick(m, t, EventKind.ADD_TO_CART, shareIds[s], items[s]); clicks++; break;
                    default:
                        if (rnd.nextDouble() < 0.5) {
                            placeOrder(m, t, community.id, shareIds[s], "direct");
                        } else {
                            placeOrder(m, t, null, shareIds[s], "share_id");
                        }
                        orders++;
                }
            }
            if (firstTs < 0) firstTs = t;
            lastTs = t;
            i++;
            nextTs = i < n ? ts[i] : Long.MAX_VALUE;
        }
    }

    /**
     * A binary min-heap of actors with an in-place "top changed" step: the usual poll-then-add of
     * {@link java.util.PriorityQueue} costs two sifts per event, which dominated generation time.
     */
    static final class ActorHeap {
        private Actor[] heap = new Actor[64];
        private int size;

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

        Actor peek() {
            return size == 0 ? null : heap[0];
        }

        void removeTop() {
            Actor last = heap[--size];
            heap[size] = null;
            if (size > 0) siftDown(last);
        }

        /** Restores order after the top actor's time moved later. */
        void topChanged() {
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

    // ---- late events (used by the fault injector) ---------------------------------------------

    /** A fresh, valid event of a stable member at {@code ts}; never counted as good. */
    PulseEvent lateEvent(SplittableRandom r, long ts, String eventId, String orderId) {
        Member m = members[stableMembers[r.nextInt(stableMembers.length)]];
        String cid = communities[m.community].id;
        double u = r.nextDouble();
        if (u < 0.7) {
            boolean reaction = r.nextDouble() < 0.3;
            if (reaction) {
                return PulseEvent.message(eventId, cid, m.id, ts, EventKind.REACTION, null).withReplyTo(members[communities[m.community].members[0]].id);
            }
            String text = r.nextDouble() < 0.5 ? texts.neutral(m.lang, r) : texts.positive(m.lang, r);
            return PulseEvent.message(eventId, cid, m.id, ts, EventKind.COMMENT, text).withLang(Texts.LANGS[m.lang]);
        } else if (u < 0.95) {
            return PulseEvent.click(eventId, m.id, ts, clickKind(r), item(r), null, null);
        }
        return PulseEvent.order(eventId, orderId, m.id, ts, EventKind.PAID, amount(r), CURRENCY, null, null);
    }

    String tag() {
        return tag;
    }
}
