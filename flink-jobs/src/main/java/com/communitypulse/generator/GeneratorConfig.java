package com.communitypulse.generator;

import java.util.Objects;

/**
 * Immutable settings of one generator run. Build with {@link #builder()} or start from
 * {@link #defaults()} and change fields with {@link #toBuilder()}; {@link Builder#build()} validates
 * every field and names the fix in its {@link IllegalArgumentException} message, which the CLI
 * prints as-is.
 *
 * <p>Fault rates are probabilities per good simulated event: each good event is, independently,
 * delayed (out-of-order) with {@code outOfOrderRate}, re-emitted (duplicate) with
 * {@code duplicateRate}, and accompanied by one extra late event with {@code lateRate} and one extra
 * malformed record with {@code malformedRate}. So {@code eventsTarget} counts good events only.
 *
 * <h2>How to run</h2>
 * <pre>{@code
 * GeneratorConfig c = GeneratorConfig.defaults().toBuilder().seed(7).days(35).eventsTarget(500_000).build();
 * GeneratorConfig clean = c.toBuilder().noFaults().build();   // no duplicates, disorder, late or malformed
 * }</pre>
 */
public final class GeneratorConfig {
    /** 2026-01-01T00:00:00+08:00 (midnight in Asia/Shanghai). */
    public static final long DEFAULT_START_TS = 1767196800000L;
    public static final long DAY_MS = 86_400_000L;

    private final long seed;
    private final int communities;
    private final int members;
    private final int days;
    private final long startTs;
    private final long eventsTarget;
    private final double duplicateRate;
    private final double outOfOrderRate;
    private final double lateRate;
    private final double malformedRate;
    private final long maxDisorderMs;
    private final long lateByMs;
    private final double churnerFraction;
    private final double weeklyFraction;
    private final int negativeEpisodes;
    private final int churnSpikes;
    private final int campaigns;
    private final double zhShare;
    private final boolean randomDays;

    private GeneratorConfig(Builder b) {
        seed = b.seed;
        communities = b.communities;
        members = b.members;
        days = b.days;
        startTs = b.startTs;
        eventsTarget = b.eventsTarget;
        duplicateRate = b.duplicateRate;
        outOfOrderRate = b.outOfOrderRate;
        lateRate = b.lateRate;
        malformedRate = b.malformedRate;
        maxDisorderMs = b.maxDisorderMs;
        lateByMs = b.lateByMs;
        churnerFraction = b.churnerFraction;
        weeklyFraction = b.weeklyFraction;
        negativeEpisodes = b.negativeEpisodes;
        churnSpikes = b.churnSpikes;
        campaigns = b.campaigns;
        zhShare = b.zhShare;
        randomDays = b.randomDays;
    }

    /** Small run: 50 communities, 2,000 members, 3 days, about 100k good events. */
    public static GeneratorConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.seed = seed;
        b.communities = communities;
        b.members = members;
        b.days = days;
        b.startTs = startTs;
        b.eventsTarget = eventsTarget;
        b.duplicateRate = duplicateRate;
        b.outOfOrderRate = outOfOrderRate;
        b.lateRate = lateRate;
        b.malformedRate = malformedRate;
        b.maxDisorderMs = maxDisorderMs;
        b.lateByMs = lateByMs;
        b.churnerFraction = churnerFraction;
        b.weeklyFraction = weeklyFraction;
        b.negativeEpisodes = negativeEpisodes;
        b.churnSpikes = churnSpikes;
        b.campaigns = campaigns;
        b.zhShare = zhShare;
        b.randomDays = randomDays;
        return b;
    }

    public long seed() { return seed; }
    public int communities() { return communities; }
    public int members() { return members; }
    public int days() { return days; }
    public long startTs() { return startTs; }
    /** Exclusive end of event time: {@code startTs + days} days. */
    public long endTs() { return startTs + days * DAY_MS; }
    public long eventsTarget() { return eventsTarget; }
    public double duplicateRate() { return duplicateRate; }
    public double outOfOrderRate() { return outOfOrderRate; }
    public double lateRate() { return lateRate; }
    public double malformedRate() { return malformedRate; }
    public long maxDisorderMs() { return maxDisorderMs; }
    public long lateByMs() { return lateByMs; }
    public double churnerFraction() { return churnerFraction; }
    public double weeklyFraction() { return weeklyFraction; }
    public int negativeEpisodes() { return negativeEpisodes; }
    public int churnSpikes() { return churnSpikes; }
    public int campaigns() { return campaigns; }
    public double zhShare() { return zhShare; }
    /** See {@link Builder#randomDays(boolean)}; false: ordinary members keep a personal rhythm. */
    public boolean randomDays() { return randomDays; }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof GeneratorConfig)) return false;
        GeneratorConfig c = (GeneratorConfig) o;
        return seed == c.seed && communities == c.communities && members == c.members && days == c.days
                && startTs == c.startTs && eventsTarget == c.eventsTarget && duplicateRate == c.duplicateRate
                && outOfOrderRate == c.outOfOrderRate && lateRate == c.lateRate && malformedRate == c.malformedRate
                && maxDisorderMs == c.maxDisorderMs && lateByMs == c.lateByMs && churnerFraction == c.churnerFraction
                && weeklyFraction == c.weeklyFraction && negativeEpisodes == c.negativeEpisodes
                && churnSpikes == c.churnSpikes && campaigns == c.campaigns && zhShare == c.zhShare
                && randomDays == c.randomDays;
    }

    @Override
    public int hashCode() {
        return Objects.hash(seed, communities, members, days, startTs, eventsTarget);
    }

    @Override
    public String toString() {
        return "GeneratorConfig{seed=" + seed + ", communities=" + communities + ", members=" + members + ", days=" + days
                + ", startTs=" + startTs + ", eventsTarget=" + eventsTarget + ", duplicateRate=" + duplicateRate
                + ", outOfOrderRate=" + outOfOrderRate + ", lateRate=" + lateRate + ", malformedRate=" + malformedRate
                + ", maxDisorderMs=" + maxDisorderMs + ", lateByMs=" + lateByMs + ", churnerFraction=" + churnerFraction
                + ", weeklyFraction=" + weeklyFraction + ", negativeEpisodes=" + negativeEpisodes
                + ", churnSpikes=" + churnSpikes + ", campaigns=" + campaigns + ", zhShare=" + zhShare + (randomDays ? ", randomDays=true" : "") + "}";
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private long seed = 42L;
        private int communities = 50;
        private int members = 2_000;
        private int days = 3;
        private long startTs = DEFAULT_START_TS;
        private long eventsTarget = 100_000L;
        private double duplicateRate = 0.01;
        private double outOfOrderRate = 0.02;
        private double lateRate = 0.002;
        private double malformedRate = 0.002;
        private long maxDisorderMs = 5_000L;
        private long lateByMs = 45 * 60_000L;
        private double churnerFraction = 0.02;
        private double weeklyFraction = 0.01;
        private int negativeEpisodes = 3;
        private int churnSpikes = 2;
        private int campaigns = 3;
        private double zhShare = 0.75;
        private boolean randomDays;

        private Builder() {}

        public Builder seed(long v) { seed = v; return this; }
        public Builder communities(int v) { communities = v; return this; }
        public Builder members(int v) { members = v; return this; }
        public Builder days(int v) { days = v; return this; }
        public Builder startTs(long v) { startTs = v; return this; }
        public Builder eventsTarget(long v) { eventsTarget = v; return this; }
        public Builder duplicateRate(double v) { duplicateRate = v; return this; }
        public Builder outOfOrderRate(double v) { outOfOrderRate = v; return this; }
        public Builder lateRate(double v) { lateRate = v; return this; }
        public Builder malformedRate(double v) { malformedRate = v; return this; }
        public Builder maxDisorderMs(long v) { maxDisorderMs = v; return this; }
        public Builder lateByMs(long v) { lateByMs = v; return this; }
        public Builder churnerFraction(double v) { churnerFraction = v; return this; }
        public Builder weeklyFraction(double v) { weeklyFraction = v; return this; }
        public Builder negativeEpisodes(int v) { negativeEpisodes = v; return this; }
        public Builder churnSpikes(int v) { churnSpikes = v; return this; }
        public Builder campaigns(int v) { campaigns = v; return this; }
        public Builder zhShare(double v) { zhShare = v; return this; }
        /**
         * Ordinary members act on independent random days (a memoryless member) instead of keeping
         * their own rhythm; a stress case for churn detection, since such members go quiet for a
         * week now and then without meaning to leave.
         */
        public Builder randomDays(boolean v) { randomDays = v; return this; }
        /** Sets all four fault rates to zero: a clean stream. */
        public Builder noFaults() { duplicateRate = 0; outOfOrderRate = 0; lateRate = 0; malformedRate = 0; return this; }

        public GeneratorConfig build() {
            require(communities >= 1, "communities must be at least 1 (got " + communities + ")");
            require(members >= 3L * communities, "members must be at least 3 x communities = " + 3L * communities
                    + " (got " + members + "); raise --members or lower --communities");
            require(days >= 1 && days <= 3650, "days must be between 1 and 3650 (got " + days + ")");
            require(eventsTarget >= 1, "events must be at least 1 (got " + eventsTarget + ")");
            long end = startTs + days * DAY_MS;
            require(startTs >= 1262304000000L && end < 4102444800000L,
                    "start time and days must keep event time between 2010 and 2100");
            rate("dup-rate", duplicateRate);
            rate("ooo-rate", outOfOrderRate);
            rate("late-rate", lateRate);
            rate("malformed-rate", malformedRate);
            rate("churner-fraction", churnerFraction);
            rate("weekly-fraction", weeklyFraction);
            rate("zh-share", zhShare);
            require(churnerFraction + weeklyFraction <= 0.5, "churner-fraction + weekly-fraction must be at most 0.5");
            require(maxDisorderMs >= 1 && maxDisorderMs <= 3_600_000L,
                    "max-disorder-ms must be between 1 and 3600000 (got " + maxDisorderMs + ")");
            require(lateByMs > maxDisorderMs && lateByMs <= DAY_MS,
                    "late-by-ms must be greater than max-disorder-ms and at most one day (got " + lateByMs + ")");
            require(negativeEpisodes >= 0 && churnSpikes >= 0 && campaigns >= 0,
                    "negative-episodes, churn-spikes and campaigns must not be negative");
            return new GeneratorConfig(this);
        }

        private static void rate(String name, double v) {
            require(v >= 0 && v <= 1 && !Double.isNaN(v), name + " must be a number between 0 and 1 (got " + v + ")");
        }

        private static void require(boolean ok, String message) {
            if (!ok) throw new IllegalArgumentException(message);
        }
    }
}
