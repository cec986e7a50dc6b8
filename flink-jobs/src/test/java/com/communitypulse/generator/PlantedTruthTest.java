package com.communitypulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.events.EventKind;
import com.communitypulse.events.EventType;
import com.communitypulse.events.MemberRole;
import com.communitypulse.events.PulseEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks the planted behaviour against the emitted events, recomputed independently of the generator. */
class PlantedTruthTest {
    private static final long DAY = 86_400_000L;
    private static final long HOUR = 3_600_000L;
    private static final long SHANGHAI = 8 * HOUR;

    private static GeneratedRun run;
    private static List<PulseEvent> events;
    private static Map<String, List<PulseEvent>> byUser;
    private static Set<String> negativeTexts;

    @BeforeAll
    static void generate() throws IOException {
        run = GeneratedRun.of(GeneratedRun.fiveWeeks());
        events = run.uniqueEvents();
        events.sort((a, b) -> Long.compare(a.getTs(), b.getTs()));
        byUser = events.stream().collect(Collectors.groupingBy(PulseEvent::getUserId));
        negativeTexts = new HashSet<>();
        try (InputStream in = PlantedTruthTest.class.getResourceAsStream("/generator/texts.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split("\t");
                if (f.length == 4 && f[1].equals("negative")) negativeTexts.add(f[3]);
            }
        }
    }

    private static boolean negative(PulseEvent e) {
        if (e.getText() == null) return false;
        for (String t : negativeTexts) if (e.getText().startsWith(t)) return true;
        return false;
    }

    private static int localDay(long ts) {
        return (int) Math.floorDiv(ts + SHANGHAI, DAY);
    }

    private static TreeSet<Integer> activeDays(String user) {
        TreeSet<Integer> days = new TreeSet<>();
        for (PulseEvent e : byUser.get(user)) if (e.getKind().isActivity()) days.add(localDay(e.getTs()));
        return days;
    }

    @Test
    void shouldStopEveryChurnerAtItsStopTimeWhenPlanted() {
        List<GroundTruth.Churner> churners = run.truth.churners();
        assertThat(churners).hasSizeGreaterThan(20);
        int detectable = 0;
        for (GroundTruth.Churner c : churners) {
            List<PulseEvent> mine = byUser.get(c.userId());
            assertThat(mine.get(mine.size() - 1).getTs()).as(c.userId()).isEqualTo(c.stopTs());
            assertThat(mine).allMatch(e -> e.getCommunityId() == null || e.getCommunityId().equals(c.communityId()));
            assertThat(activeDays(c.userId())).hasSize(c.activeDays());
            assertThat(c.activeDays()).isGreaterThanOrEqualTo(2);
            assertThat(c.valuable()).isTrue();
            // Regular: consecutive active days are exactly one cadence apart.
            Integer prev = null;
            for (int d : activeDays(c.userId())) {
                if (prev != null) assertThat(d - prev).as(c.userId()).isEqualTo(c.cadenceDays());
                prev = d;
            }
            if (c.atRiskExpectedTs() < run.config.endTs()) detectable++;
        }
        assertThat(detectable).isGreaterThan(churners.size() * 8 / 10);
        assertThat(churners.stream().map(GroundTruth.Churner::cadenceDays).distinct().count()).isGreaterThanOrEqualTo(3);
        assertThat(churners).anyMatch(c -> c.paidOrders() > 0).anyMatch(c -> c.activeDays() >= 8 && c.cadenceDays() <= 3);
    }

    @Test
    void shouldKeepWeeklyMembersActiveOneDayAWeekWhenPlanted() {
        List<GroundTruth.WeeklyMember> weekly = run.truth.weeklyMembers();
        assertThat(weekly).hasSizeGreaterThan(10);
        int acrossMidnight = 0;
        for (GroundTruth.WeeklyMember w : weekly) {
            TreeSet<Integer> days = activeDays(w.userId());
            assertThat(days).hasSize(w.activeDays());
            // A burst = events without a break over 6 h; each starts exactly a week after the one before.
            List<Integer> burstDays = new java.util.ArrayList<>();
            long last = Long.MIN_VALUE;
            boolean spans = false;
            for (PulseEvent e : byUser.get(w.userId())) {
                if (last != Long.MIN_VALUE) assertThat(e.getTs() - last).as("quiet gap of " + w.userId()).isLessThan(7 * DAY);
                if (last == Long.MIN_VALUE || e.getTs() - last > 6 * HOUR) {
                    burstDays.add(localDay(e.getTs()));
                } else if (localDay(e.getTs()) != localDay(last)) {
                    spans = true;
                }
                last = e.getTs();
            }
            assertThat(burstDays).hasSizeGreaterThanOrEqualTo(5);
            for (int i = 1; i < burstDays.size(); i++) assertThat(burstDays.get(i) - burstDays.get(i - 1)).as(w.userId()).isEqualTo(7);
            if (spans) acrossMidnight++;
            assertThat(w.lastActiveTs()).isGreaterThan(run.config.endTs() - 7 * DAY);
        }
        // Night owls: a real share of weekly members' bursts run past local midnight (gaps 1, 6, 1, 6 … between active days).
        assertThat(acrossMidnight).isGreaterThan(weekly.size() / 4);
    }

    @Test
    void shouldPlantNegativeEpisodesWithManyDistinctAuthorsWhenPlanted() {
        assertThat(run.truth.negativeEpisodes()).hasSize(run.config.negativeEpisodes());
        for (GroundTruth.NegativeEpisode ep : run.truth.negativeEpisodes()) {
            assertThat(ep.endTs() - ep.startTs()).isBetween(10 * 60_000L, 40 * 60_000L);
            List<PulseEvent> speaking = new ArrayList<>();
            List<PulseEvent> outside = new ArrayList<>();
            for (PulseEvent e : events) {
                if (!ep.communityId().equals(e.getCommunityId()) || e.getText() == null) continue;
                if (e.getTs() >= ep.startTs() && e.getTs() <= ep.endTs()) speaking.add(e);
                else outside.add(e);
            }
            List<PulseEvent> neg = speaking.stream().filter(PlantedTruthTest::negative).collect(Collectors.toList());
            assertThat(neg.size()).isGreaterThanOrEqualTo(ep.messages());
            assertThat(neg.stream().map(PulseEvent::getUserId).distinct().count()).isGreaterThanOrEqualTo(8);
            assertThat((double) neg.size() / speaking.size()).isGreaterThan(0.5);
            double baseline = outside.stream().filter(PlantedTruthTest::negative).count() / (double) outside.size();
            assertThat(baseline).isLessThan(0.1);
        }
    }

    @Test
    void shouldPlantChurnSpikesOfLeavesWhenPlanted() {
        assertThat(run.truth.churnSpikes()).hasSize(run.config.churnSpikes());
        for (GroundTruth.ChurnSpike s : run.truth.churnSpikes()) {
            assertThat(s.endTs() - s.startTs()).isLessThanOrEqualTo(3 * HOUR);
            List<PulseEvent> leaves = events.stream()
                    .filter(e -> e.getKind() == EventKind.LEAVE && s.communityId().equals(e.getCommunityId()))
                    .collect(Collectors.toList());
            long inSpike = leaves.stream().filter(e -> e.getTs() >= s.startTs() && e.getTs() <= s.endTs()).count();
            assertThat(inSpike).isGreaterThanOrEqualTo(s.leaves()).isGreaterThanOrEqualTo(10);
            long before = leaves.stream().filter(e -> e.getTs() < s.startTs() && e.getTs() >= s.startTs() - DAY).count();
            assertThat(before * 3).isLessThan(inSpike);
            for (String u : s.userIds()) {
                List<PulseEvent> mine = byUser.get(u);
                assertThat(mine.get(mine.size() - 1).getKind()).as(u).isEqualTo(EventKind.LEAVE);
            }
        }
    }

    @Test
    void shouldDriveClicksAndOrdersThroughSharesWhenCampaignsArePlanted() {
        assertThat(run.truth.campaigns()).hasSize(run.config.campaigns());
        for (GroundTruth.Campaign c : run.truth.campaigns()) {
            Set<String> shares = new HashSet<>(c.shareIds());
            List<PulseEvent> clicks = events.stream()
                    .filter(e -> e.getType() == EventType.CLICK && shares.contains(e.getShareId())).collect(Collectors.toList());
            List<PulseEvent> orders = events.stream()
                    .filter(e -> e.getKind() == EventKind.PAID && shares.contains(e.getShareId())).collect(Collectors.toList());
            assertThat(clicks).hasSizeGreaterThanOrEqualTo(c.clicks()).allMatch(e -> c.communityId().equals(e.getCommunityId()));
            assertThat(orders).hasSizeGreaterThanOrEqualTo(c.orders());
            assertThat(c.orders()).isPositive();
            // Members also find the campaign's links on their own, so the planted clicks are a lower bound.
            assertThat(clicks.stream().filter(e -> e.getTs() >= c.startTs() && e.getTs() <= c.endTs()).count())
                    .isGreaterThanOrEqualTo(c.clicks()).isLessThan(c.clicks() * 2L);
            assertThat(events).anyMatch(e -> e.getKind() == EventKind.SHARE && e.getRole() == MemberRole.STAFF
                    && e.getTs() == c.startTs() && c.communityId().equals(e.getCommunityId()));
        }
    }

    @Test
    void shouldAgreeWithSpecAttributionWhenOrdersAreReattributed() {
        Map<String, String> shareCommunity = new HashMap<>();
        Map<String, PulseEvent> lastCommunityClick = new HashMap<>();
        Map<String, Long> counts = new HashMap<>();
        for (PulseEvent e : events) {
            if (e.getType() == EventType.CLICK && e.getCommunityId() != null) {
                lastCommunityClick.put(e.getUserId(), e);
                if (e.getShareId() != null) shareCommunity.put(e.getShareId(), e.getCommunityId());
            } else if (e.getKind() == EventKind.PAID) {
                String how;
                PulseEvent last = lastCommunityClick.get(e.getUserId());
                if (e.getCommunityId() != null) how = "direct";
                else if (e.getShareId() != null && shareCommunity.containsKey(e.getShareId())) how = "share_id";
                else if (last != null && e.getTs() - last.getTs() <= DAY) how = "last_click";
                else how = "unattributed";
                counts.merge(how, 1L, Long::sum);
            }
        }
        assertThat(run.truth.attribution()).isEqualTo(counts);
        assertThat(counts).containsOnlyKeys("direct", "share_id", "last_click", "unattributed");
    }

    @Test
    void shouldRefundOnlyEarlierPaidOrdersWhenRefunding() {
        Map<String, PulseEvent> paid = new HashMap<>();
        int refunds = 0;
        for (PulseEvent e : events) {
            if (e.getKind() == EventKind.PAID) {
                assertThat(paid.put(e.getOrderId(), e)).isNull();
            } else if (e.getKind() == EventKind.REFUNDED) {
                PulseEvent p = paid.get(e.getOrderId());
                assertThat(p).as("refund of unknown order " + e.getOrderId()).isNotNull();
                assertThat(e.getAmountMinor()).isEqualTo(p.getAmountMinor());
                assertThat(e.getEventId()).isNotEqualTo(p.getEventId());
                assertThat(e.getTs()).isGreaterThan(p.getTs());
                refunds++;
            }
        }
        assertThat(refunds).isPositive();
    }

    @Test
    void shouldLookLikeRealCommunitiesWhenSimulated() {
        Map<String, Long> perCommunity = events.stream().filter(e -> e.getType() == EventType.MESSAGE)
                .collect(Collectors.groupingBy(PulseEvent::getCommunityId, Collectors.counting()));
        List<Long> sizes = perCommunity.values().stream().sorted().collect(Collectors.toList());
        assertThat(sizes.get(sizes.size() - 1)).isGreaterThan(5 * sizes.get(sizes.size() / 2));

        long evening = events.stream().filter(e -> hour(e.getTs()) >= 19 && hour(e.getTs()) < 23).count();
        long night = events.stream().filter(e -> hour(e.getTs()) >= 2 && hour(e.getTs()) < 6).count();
        assertThat(evening).isGreaterThan(4 * night);

        List<PulseEvent> speaking = events.stream().filter(e -> e.getKind().isSpeaking()).collect(Collectors.toList());
        assertThat(speaking).allMatch(e -> "zh".equals(e.getLang()) || "en".equals(e.getLang()));
        assertThat(speaking).anyMatch(e -> "en".equals(e.getLang()) && e.getText().contains("refund"));
        assertThat(speaking).anyMatch(e -> e.getText().startsWith("质量太差了，要求退款"));
        assertThat(speaking).anyMatch(e -> e.getRole() == MemberRole.STAFF);
        assertThat(events).filteredOn(e -> e.getKind() == EventKind.REPLY || e.getKind() == EventKind.REACTION)
                .isNotEmpty().allMatch(e -> e.getReplyToUser() != null && !e.getReplyToUser().equals(e.getUserId()));
        Set<EventKind> kinds = events.stream().map(PulseEvent::getKind).collect(Collectors.toSet());
        assertThat(kinds).containsExactlyInAnyOrder(EventKind.values());
        assertThat(events).anyMatch(e -> e.getType() == EventType.CLICK && e.getCommunityId() == null);
    }

    private static int hour(long ts) {
        return (int) (Math.floorMod(ts + SHANGHAI, DAY) / HOUR);
    }
}
