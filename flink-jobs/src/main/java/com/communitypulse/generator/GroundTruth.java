package com.communitypulse.generator;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a generator run planted and emitted, so that pipeline tests can check "nothing lost, nothing
 * double-counted" and whether the planted behaviour was detected. Complete once the
 * {@link EventGenerator} is exhausted; written beside the events as {@code truth.json}.
 *
 * <p>Per topic ({@link TopicCounts}): {@code produced} = every record written;
 * {@code good_unique} = distinct valid events that are not late (GOOD + OUT_OF_ORDER records);
 * {@code out_of_order} (a subset of good_unique), {@code duplicates}, {@code late},
 * {@code malformed}. So {@code produced = good_unique + duplicates + late + malformed}.
 * {@code kinds} counts good_unique events by wire kind/status. The ids of late events are in
 * {@link #lateEventIds()}.
 *
 * <p>Planted behaviour: {@link Churner}s (regular members who stop), {@link WeeklyMember}s (active
 * one day a week; must never be flagged), {@link NegativeEpisode}s, {@link ChurnSpike}s and
 * {@link Campaign}s. Times are epoch milliseconds of event time. Planted counts are lower bounds
 * where ordinary members can add to them (e.g. members also click a campaign's links on their own).
 *
 * <h2>How to run</h2>
 * <pre>{@code
 * GroundTruth t = GroundTruth.readJson(Path.of("/tmp/run/truth.json"));
 * long expectedMessages = t.topic("pulse.messages").goodUnique();   // after de-duplication, without late ones
 * }</pre>
 */
public final class GroundTruth {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .setVisibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A member who was regularly active and then stopped (no event of theirs after {@code stopTs}). */
    public record Churner(String userId, String communityId, int cadenceDays, long typicalGapMs, long firstActiveTs,
                          long stopTs, int activeDays, int paidOrders, boolean valuable, long atRiskExpectedTs,
                          long churnedExpectedTs) {}

    /** A member active on exactly one day a week until the end: a lifecycle must not flag them. */
    public record WeeklyMember(String userId, String communityId, long typicalGapMs, long firstActiveTs,
                               long lastActiveTs, int activeDays) {}

    /** Many distinct members posting negative messages in one community within [startTs, endTs]. */
    public record NegativeEpisode(String communityId, long startTs, long endTs, int messages, int authors,
                                  List<String> categories) {}

    /** Many members of one community leaving (kind {@code leave}) within [startTs, endTs]. */
    public record ChurnSpike(String communityId, long startTs, long endTs, int leaves, List<String> userIds) {}

    /** Share links posted in a community that drive clicks and orders within [startTs, endTs]. */
    public record Campaign(String communityId, List<String> shareIds, long startTs, long endTs, int participants,
                           int clicks, int orders) {}

    /** Record counts of one topic; see the class comment for how they add up. */
    public static final class TopicCounts {
        private long produced;
        private long goodUnique;
        private long outOfOrder;
        private long duplicates;
        private long late;
        private long malformed;
        private TreeMap<String, Long> kinds = new TreeMap<>();

        public long produced() { return produced; }
        public long goodUnique() { return goodUnique; }
        public long outOfOrder() { return outOfOrder; }
        public long duplicates() { return duplicates; }
        public long late() { return late; }
        public long malformed() { return malformed; }
        public Map<String, Long> kinds() { return Collections.unmodifiableMap(kinds); }

        void count(GeneratedRecord.Kind k) {
            produced++;
            switch (k) {
                case GOOD: goodUnique++; break;
                case OUT_OF_ORDER: goodUnique++; outOfOrder++; break;
                case DUPLICATE: duplicates++; break;
                case LATE: late++; break;
                case MALFORMED: malformed++; break;
                default: throw new IllegalStateException(k.name());
            }
        }

        void countKind(String wireKind) {
            kinds.merge(wireKind, 1L, Long::sum);
        }
    }

    private long seed;
    private long startTs;
    private long endTs;
    private long maxDisorderMs;
    private long lateByMs;
    private String config;
    private TreeMap<String, TopicCounts> topics = new TreeMap<>();
    private List<String> lateEventIds = new ArrayList<>();
    /** Paid orders among good_unique by how CONTRACT §4 attribution should place them: direct, share_id, last_click, unattributed. */
    private TreeMap<String, Long> attribution = new TreeMap<>();
    private long paidAmountMinor;
    private long refundedAmountMinor;
    private List<Churner> churners = new ArrayList<>();
    private List<WeeklyMember> weeklyMembers = new ArrayList<>();
    private List<NegativeEpisode> negativeEpisodes = new ArrayList<>();
    private List<ChurnSpike> churnSpikes = new ArrayList<>();
    private List<Campaign> campaigns = new ArrayList<>();

    private GroundTruth() {}

    GroundTruth(GeneratorConfig c) {
        seed = c.seed();
        startTs = c.startTs();
        endTs = c.endTs();
        maxDisorderMs = c.maxDisorderMs();
        lateByMs = c.lateByMs();
        config = c.toString();
        for (String t : new String[] {"pulse.messages", "pulse.clicks", "pulse.orders"}) {
            topics.put(t, new TopicCounts());
        }
    }

    public long seed() { return seed; }
    public long startTs() { return startTs; }
    public long endTs() { return endTs; }
    public long maxDisorderMs() { return maxDisorderMs; }
    public long lateByMs() { return lateByMs; }
    /** The generator configuration, as text, for humans. */
    public String config() { return config; }
    /** Counts per topic name ({@code pulse.messages}, {@code pulse.clicks}, {@code pulse.orders}). */
    public Map<String, TopicCounts> topics() { return Collections.unmodifiableMap(topics); }
    public TopicCounts topic(String name) { return topics.get(name); }
    public List<String> lateEventIds() { return Collections.unmodifiableList(lateEventIds); }
    public Map<String, Long> attribution() { return Collections.unmodifiableMap(attribution); }
    /** Sum of amount_minor of good_unique paid orders. */
    public long paidAmountMinor() { return paidAmountMinor; }
    /** Sum of amount_minor of good_unique refunds. */
    public long refundedAmountMinor() { return refundedAmountMinor; }
    public List<Churner> churners() { return Collections.unmodifiableList(churners); }
    public List<WeeklyMember> weeklyMembers() { return Collections.unmodifiableList(weeklyMembers); }
    public List<NegativeEpisode> negativeEpisodes() { return Collections.unmodifiableList(negativeEpisodes); }
    public List<ChurnSpike> churnSpikes() { return Collections.unmodifiableList(churnSpikes); }
    public List<Campaign> campaigns() { return Collections.unmodifiableList(campaigns); }

    /** Total over topics of one count, e.g. {@code total(TopicCounts::produced)}. */
    public long total(java.util.function.ToLongFunction<TopicCounts> f) {
        long s = 0;
        for (TopicCounts t : topics.values()) s += f.applyAsLong(t);
        return s;
    }

    void count(String topic, GeneratedRecord.Kind k) {
        topics.get(topic).count(k);
    }

    void countKind(String topic, String wireKind) {
        topics.get(topic).countKind(wireKind);
    }

    void addLate(String eventId) { lateEventIds.add(eventId); }
    void addAttribution(String how) { attribution.merge(how, 1L, Long::sum); }
    void addPaid(long amount) { paidAmountMinor += amount; }
    void addRefunded(long amount) { refundedAmountMinor += amount; }
    void add(Churner c) { churners.add(c); }
    void add(WeeklyMember w) { weeklyMembers.add(w); }
    void add(NegativeEpisode e) { negativeEpisodes.add(e); }
    void add(ChurnSpike s) { churnSpikes.add(s); }
    void add(Campaign c) { campaigns.add(c); }

    public void writeJson(Path file) {
        try {
            MAPPER.writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ground truth to " + file, e);
        }
    }

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GroundTruth readJson(Path file) {
        try {
            return MAPPER.readValue(file.toFile(), GroundTruth.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ground truth from " + file, e);
        }
    }
}
