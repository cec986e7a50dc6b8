package com.communitypulse.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.communitypulse.events.ParsedRecord;
import com.communitypulse.events.PulseEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventGeneratorTest {

    private static final GeneratorConfig TINY = GeneratorConfig.builder().seed(3).communities(10).members(300).days(2)
            .eventsTarget(8_000).build();

    @Test
    void shouldProduceIdenticalBytesWhenSeedIsTheSame() throws Exception {
        assertThat(digest(TINY)).isEqualTo(digest(TINY));
    }

    /**
     * The bytes of a run are part of the contract: tests, golden files and recorded runs rely on a
     * seed giving the same data in every version. These digests were taken before the simulation
     * was split into its parts and must only change on purpose (then update them and say so).
     */
    @Test
    void shouldKeepTheBytesOfPinnedRunsUnchanged() throws Exception {
        GeneratorConfig planted = GeneratorConfig.builder().seed(11).communities(6).members(900).days(12).eventsTarget(30_000)
                .churnerFraction(0.05).weeklyFraction(0.03).negativeEpisodes(3).churnSpikes(2).campaigns(3)
                .duplicateRate(0.05).outOfOrderRate(0.05).lateRate(0.01).malformedRate(0.01).build();
        // Starts mid-afternoon, off the local midnight, with memoryless members.
        GeneratorConfig offMidnight = TINY.toBuilder().randomDays(true)
                .startTs(GeneratorConfig.DEFAULT_START_TS + 13 * 3_600_000L + 17_000L).build();
        assertThat(HexFormat.of().formatHex(digest(TINY))).isEqualTo("f834848e0504b6fd063cb35a2b457fe15cb445432d945c9e2839f4fad5a6e843");
        assertThat(HexFormat.of().formatHex(digest(planted))).isEqualTo("3598d7576256eab653dcc034a146ca7f7be26edb984204b48fea9d148c5cf301");
        assertThat(HexFormat.of().formatHex(digest(offMidnight))).isEqualTo("d8ff26676c2149e46cdaec53a507ddddee83d87cf8184682f4aa52fe364d3730");
    }

    @Test
    void shouldProduceDifferentBytesWhenSeedDiffers() throws Exception {
        assertThat(digest(TINY)).isNotEqualTo(digest(TINY.toBuilder().seed(4).build()));
    }

    @Test
    void shouldKeepGoodEventsUnchangedWhenOnlyFaultRatesChange() {
        GeneratorConfig clean = TINY.toBuilder().noFaults().build();
        GeneratorConfig faulty = TINY.toBuilder().duplicateRate(0.2).outOfOrderRate(0.2).lateRate(0.05).malformedRate(0.05).build();
        Map<String, byte[]> a = goodById(clean);
        Map<String, byte[]> b = goodById(faulty);
        assertThat(b.keySet()).isEqualTo(a.keySet());
        for (Map.Entry<String, byte[]> e : a.entrySet()) assertThat(b.get(e.getKey())).isEqualTo(e.getValue());
    }

    @Test
    void shouldProduceOnlyGoodRecordsWhenFaultRatesAreZero() {
        EventGenerator g = new EventGenerator(TINY.toBuilder().noFaults().build());
        while (g.hasNext()) assertThat(g.next().kind()).isEqualTo(GeneratedRecord.Kind.GOOD);
        assertThat(g.truth().total(GroundTruth.TopicCounts::produced)).isEqualTo(g.truth().total(GroundTruth.TopicCounts::goodUnique));
    }

    @Test
    void shouldHonourFaultRatesRoughlyWhenRatesAreSet() {
        // One busy day, so that most delayed events are overtaken within maxDisorderMs.
        GeneratorConfig busy = GeneratedRun.small().toBuilder().days(1).eventsTarget(60_000).communities(10).build();
        GroundTruth t = GeneratedRun.of(busy).truth;
        double good = t.total(GroundTruth.TopicCounts::goodUnique);
        assertThat(t.total(GroundTruth.TopicCounts::duplicates) / good).isCloseTo(0.03, within(0.006));
        assertThat(t.total(GroundTruth.TopicCounts::outOfOrder) / good).isBetween(0.025, 0.041);
        assertThat(t.total(GroundTruth.TopicCounts::malformed) / good).isCloseTo(0.01, within(0.003));
        // Late events start only after two hours of stream time.
        assertThat(t.total(GroundTruth.TopicCounts::late) / good).isBetween(0.006, 0.012);
    }

    @Test
    void shouldReachEventsTargetApproximatelyWhenScaled() {
        for (GeneratorConfig c : List.of(TINY, GeneratedRun.small(), GeneratedRun.fiveWeeks())) {
            long good = GeneratedRun.of(c).truth.total(GroundTruth.TopicCounts::goodUnique);
            assertThat((double) good).as("good events for %s", c).isCloseTo(c.eventsTarget(), within(c.eventsTarget() * 0.2));
        }
    }

    @Test
    void shouldRejectEveryMalformedRecordAndAcceptEveryOtherWhenParsed() {
        GeneratedRun run = GeneratedRun.of(GeneratedRun.small());
        int malformed = 0;
        for (GeneratedRecord r : run.records) {
            ParsedRecord p = GeneratedRun.parse(r);
            if (r.kind() == GeneratedRecord.Kind.MALFORMED) {
                malformed++;
                assertThat(p.isEvent()).as("malformed record accepted: %s", new String(r.value(), StandardCharsets.UTF_8)).isFalse();
                assertThat(r.eventId()).isNull();
                // Also rejected after a lossy UTF-8 decode, as a line-based file reader might do.
                byte[] lossy = new String(r.value(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
                assertThat(new com.communitypulse.events.EventParser().parse(GeneratedRun.typeOf(r.topic()), lossy, r.topic(), 0, 0).isEvent())
                        .as("accepted after lossy decode: %s", new String(lossy, StandardCharsets.UTF_8)).isFalse();
            } else {
                assertThat(p.isEvent()).as("good record rejected: %s", p.getDeadLetter()).isTrue();
                assertThat(p.getEvent().getEventId()).isEqualTo(r.eventId());
                assertThat(p.getEvent().getTs()).isEqualTo(r.timestamp());
            }
        }
        assertThat(malformed).isGreaterThan(100);
    }

    @Test
    void shouldMatchTruthCountsWhenRecordsAreRecountedIndependently() {
        GeneratedRun run = GeneratedRun.of(GeneratedRun.small());
        long maxDisorder = run.config.maxDisorderMs();
        Map<String, long[]> counts = new HashMap<>(); // produced, unique, ooo, dup, late, malformed
        Map<String, Map<String, Long>> kinds = new HashMap<>();
        Map<String, byte[]> firstBytes = new HashMap<>();
        Set<String> lateIds = new HashSet<>();
        long maxSeen = Long.MIN_VALUE;
        long paid = 0, refunded = 0;
        for (GeneratedRecord r : run.records) {
            long[] c = counts.computeIfAbsent(r.topic(), k -> new long[6]);
            c[0]++;
            ParsedRecord p = GeneratedRun.parse(r);
            if (!p.isEvent()) {
                c[5]++;
                continue;
            }
            PulseEvent e = p.getEvent();
            byte[] seen = firstBytes.putIfAbsent(e.getEventId(), r.value());
            if (seen != null) {
                assertThat(r.value()).as("a repeated id repeats its bytes").isEqualTo(seen);
                assertThat(e.getTs()).as("duplicates arrive within the disorder bound").isGreaterThanOrEqualTo(maxSeen - maxDisorder);
                c[3]++;
                continue;
            }
            if (maxSeen != Long.MIN_VALUE && e.getTs() < maxSeen - maxDisorder) {
                c[4]++;
                lateIds.add(e.getEventId());
                assertThat(e.getTs()).isEqualTo(maxSeen - run.config.lateByMs());
                continue;
            }
            c[1]++;
            if (e.getTs() < maxSeen) c[2]++;
            maxSeen = Math.max(maxSeen, e.getTs());
            kinds.computeIfAbsent(r.topic(), k -> new HashMap<>()).merge(e.getKind().wireName(), 1L, Long::sum);
            if (e.getKind() == com.communitypulse.events.EventKind.PAID) paid += e.getAmountMinor();
            if (e.getKind() == com.communitypulse.events.EventKind.REFUNDED) refunded += e.getAmountMinor();
        }
        for (Map.Entry<String, long[]> en : counts.entrySet()) {
            GroundTruth.TopicCounts t = run.truth.topic(en.getKey());
            long[] c = en.getValue();
            assertThat(new long[] {t.produced(), t.goodUnique(), t.duplicates(), t.late(), t.malformed()})
                    .as(en.getKey()).containsExactly(c[0], c[1], c[3], c[4], c[5]);
            assertThat(c[2]).isEqualTo(t.outOfOrder());
            assertThat(t.kinds()).isEqualTo(kinds.get(en.getKey()));
        }
        assertThat(new HashSet<>(run.truth.lateEventIds())).isEqualTo(lateIds);
        assertThat(run.truth.paidAmountMinor()).isEqualTo(paid);
        assertThat(run.truth.refundedAmountMinor()).isEqualTo(refunded);
    }

    @Test
    void shouldEmitGoodEventsInEventTimeOrderWhenNotDelayed() {
        GeneratedRun run = GeneratedRun.of(GeneratedRun.small());
        long lastGood = Long.MIN_VALUE;
        long streamTs = Long.MIN_VALUE;
        Set<String> ids = new HashSet<>();
        for (GeneratedRecord r : run.records) {
            switch (r.kind()) {
                case GOOD:
                    assertThat(r.timestamp()).isGreaterThanOrEqualTo(lastGood);
                    lastGood = r.timestamp();
                    streamTs = Math.max(streamTs, r.timestamp());
                    assertThat(ids.add(r.eventId())).isTrue();
                    break;
                case OUT_OF_ORDER:
                    assertThat(r.timestamp()).isGreaterThanOrEqualTo(streamTs - run.config.maxDisorderMs());
                    streamTs = Math.max(streamTs, r.timestamp());
                    assertThat(ids.add(r.eventId())).isTrue();
                    break;
                case LATE:
                    assertThat(r.timestamp()).isEqualTo(streamTs - run.config.lateByMs());
                    assertThat(r.timestamp()).isGreaterThanOrEqualTo(run.config.startTs());
                    assertThat(streamTs).isGreaterThanOrEqualTo(run.config.startTs() + 2 * 3_600_000L);
                    assertThat(ids.add(r.eventId())).isTrue();
                    break;
                case DUPLICATE:
                    assertThat(ids).contains(r.eventId());
                    break;
                default:
                    break;
            }
            if (r.kind() != GeneratedRecord.Kind.MALFORMED) {
                assertThat(r.timestamp()).isBetween(run.config.startTs(), run.config.endTs() - 1);
            }
        }
    }

    @Test
    void shouldKeyMessagesByCommunityAndClickStreamByUserWhenEmitting() {
        GeneratedRun run = GeneratedRun.of(GeneratedRun.small());
        for (GeneratedRecord r : run.records.subList(0, 5_000)) {
            if (r.kind() == GeneratedRecord.Kind.MALFORMED) continue;
            PulseEvent e = GeneratedRun.parse(r).getEvent();
            String key = new String(r.key(), StandardCharsets.UTF_8);
            assertThat(key).isEqualTo(r.topic().equals("pulse.messages") ? e.getCommunityId() : e.getUserId());
        }
    }

    private static byte[] digest(GeneratorConfig c) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        EventGenerator g = new EventGenerator(c);
        while (g.hasNext()) {
            GeneratedRecord r = g.next();
            md.update(r.topic().getBytes(StandardCharsets.UTF_8));
            md.update(r.key());
            md.update(r.value());
            md.update(Long.toString(r.timestamp()).getBytes(StandardCharsets.UTF_8));
            md.update((byte) r.kind().ordinal());
        }
        md.update(g.truth().toJson().getBytes(StandardCharsets.UTF_8));
        return md.digest();
    }

    private static Map<String, byte[]> goodById(GeneratorConfig c) {
        Map<String, byte[]> m = new HashMap<>();
        EventGenerator g = new EventGenerator(c);
        while (g.hasNext()) {
            GeneratedRecord r = g.next();
            if (r.kind() == GeneratedRecord.Kind.GOOD || r.kind() == GeneratedRecord.Kind.OUT_OF_ORDER) m.put(r.eventId(), r.value());
        }
        return m;
    }
}
