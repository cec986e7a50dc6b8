package com.communitypulse.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.generator.GeneratorConfig;
import com.communitypulse.generator.GroundTruth;
import com.communitypulse.generator.JsonlWriter;
import com.communitypulse.job.PulseJob;
import com.communitypulse.testutils.Schemas;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File mode over 60 days of generated data with 10,000 members, checked against the generator's
 * planted churners, weekly members and churn spikes, and against the input itself. Size:
 * {@code -Dpulse.lifecycle.events} (default 150,000 good events, a few minutes on a 2-core machine;
 * the figures in the package docs come from 300,000). With {@code -Dpulse.lifecycle.replay=true} the job runs twice to check that alert ids
 * are deterministic.
 *
 * <p>Alerts are judged only up to the end of the generated data: at the end of a bounded input
 * Flink advances event time to the end of time, so every member's pending transitions (and the
 * churn wave they make) are flushed, which is not something the data showed.
 */
class LifecycleITCase {
    static final long EVENTS = Long.getLong("pulse.lifecycle.events", 150_000);
    /**
     * A second run over the same input for identical alerts. Off by default to keep CI short: every
     * CI build replays its data set twice in {@code PipelineRecountITCase} (file mode and Kafka) and
     * compares every alert's id, type, state, member and time.
     */
    static final boolean REPLAY = Boolean.getBoolean("pulse.lifecycle.replay");
    static final long DAY = 86_400_000L;
    static final ObjectMapper OM = new ObjectMapper();
    @TempDir static Path tmp;
    static GroundTruth truth;
    static List<JsonNode> alerts;
    static List<JsonNode> lifecycle;
    static List<JsonNode> replayAlerts;
    static Map<String, TreeSet<Long>> activity;
    static long runMillis;

    static GeneratorConfig generatorConfig() {
        return GeneratorConfig.builder().seed(4).communities(100).members(10_000).days(60).eventsTarget(EVENTS).build();
    }

    static PulseConfig jobConfig(Path dir) {
        // Pseudonymisation on (the default): lifecycle records carry pseudonyms, alerts the original ids.
        return PulseConfig.of(Map.of("checkpoint.dir", dir.resolve("cp").toUri().toString(), "metrics.prometheus-port", "0", "web.port", "0",
                "privacy.key-file", com.communitypulse.testutils.TestKeys.file(dir.resolve("keys"))));
    }

    @BeforeAll
    static void run() throws Exception {
        Path in = tmp.resolve("in");
        truth = JsonlWriter.write(generatorConfig(), in);
        long t0 = System.nanoTime();
        PulseJob.runFiles(jobConfig(tmp.resolve("run1")), in, tmp.resolve("out1"));
        runMillis = (System.nanoTime() - t0) / 1_000_000;
        alerts = read(tmp.resolve("out1/pulse.alerts.jsonl"));
        lifecycle = read(tmp.resolve("out1/pulse.lifecycle.jsonl"));
        if (REPLAY) {
            PulseJob.runFiles(jobConfig(tmp.resolve("run2")), in, tmp.resolve("out2"));
            replayAlerts = read(tmp.resolve("out2/pulse.alerts.jsonl"));
        }
        activity = communityActivity(in, new HashSet<>(truth.lateEventIds()));
        System.out.printf("LifecycleITCase: %d good events, %d members, %d days; job %.1f s (%.0f events/s); %d lifecycle records, %d alerts%n",
                truth.total(GroundTruth.TopicCounts::goodUnique), generatorConfig().members(), generatorConfig().days(), runMillis / 1000.0,
                truth.total(GroundTruth.TopicCounts::produced) * 1000.0 / runMillis, lifecycle.size(), alerts.size());
    }

    static List<JsonNode> read(Path f) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(f)) return out;
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) if (!line.isBlank()) out.add(OM.readTree(line));
        }
        return out;
    }

    /** Times of community activity per community/user, straight from the input files (member events, late ones excluded). */
    static Map<String, TreeSet<Long>> communityActivity(Path in, Set<String> late) throws IOException {
        Map<String, TreeSet<Long>> m = new HashMap<>();
        for (String f : new String[] {"pulse.messages.jsonl", "pulse.clicks.jsonl"}) {
            try (BufferedReader r = Files.newBufferedReader(in.resolve(f), StandardCharsets.ISO_8859_1)) {
                for (String line; (line = r.readLine()) != null; ) {
                    JsonNode e;
                    try {
                        e = OM.readTree(line.getBytes(StandardCharsets.ISO_8859_1));
                    } catch (IOException bad) {
                        continue;
                    }
                    if (e == null || !e.isObject() || !e.path("community_id").isTextual() || !e.path("user_id").isTextual()
                            || !e.path("ts").canConvertToLong() || e.get("ts").asLong() < 0) continue; // a negative ts is a poison record (DLQ)
                    String kind = e.path("kind").asText();
                    String role = e.path("role").asText("member");
                    if (kind.equals("join") || kind.equals("leave") || !role.equals("member") || late.contains(e.path("event_id").asText())) continue;
                    m.computeIfAbsent(e.get("community_id").asText() + "/" + e.get("user_id").asText(), k -> new TreeSet<>()).add(e.get("ts").asLong());
                }
            }
        }
        return m;
    }

    static List<JsonNode> inData(String type) {
        return alerts.stream().filter(a -> a.get("type").asText().equals(type) && a.get("event_ts").asLong() < truth.endTs())
                .collect(Collectors.toList());
    }

    static String key(JsonNode a) {
        return a.get("community_id").asText() + "/" + a.get("user_id").asText();
    }

    @Test
    void shouldFindPlantedChurnersWhenTheyStop() {
        Map<String, GroundTruth.Churner> planted = new HashMap<>();
        for (GroundTruth.Churner c : truth.churners()) planted.put(c.communityId() + "/" + c.userId(), c);
        List<JsonNode> atRisk = inData("MEMBER_AT_RISK");
        Set<String> found = new HashSet<>();
        int correct = 0;
        int stoppedForGood = 0;
        for (JsonNode a : atRisk) {
            GroundTruth.Churner c = planted.get(key(a));
            long ts = a.get("event_ts").asLong();
            if (c != null && ts > c.stopTs() && ts <= c.stopTs() + Math.max(7 * DAY, 3 * c.typicalGapMs()) + DAY) {
                correct++;
                found.add(key(a));
            } else if (activity.getOrDefault(key(a), new TreeSet<>()).higher(ts) == null) {
                stoppedForGood++;
            }
        }
        long detectable = truth.churners().stream().filter(c -> c.atRiskExpectedTs() < truth.endTs()).count();
        long recalled = truth.churners().stream().filter(c -> c.atRiskExpectedTs() < truth.endTs())
                .filter(c -> found.contains(c.communityId() + "/" + c.userId())).count();
        double recall = (double) recalled / detectable;
        double precision = atRisk.isEmpty() ? 0 : (double) correct / atRisk.size();
        System.out.printf("MEMBER_AT_RISK: %d alerts, planted churners %d (detectable %d), recall %.3f, precision vs planted %.3f; "
                        + "of the %d others, %d members never came back before the end of the data%n",
                atRisk.size(), truth.churners().size(), detectable, recall, precision, atRisk.size() - correct, stoppedForGood);
        assertThat(detectable).isGreaterThan(100);
        assertThat(recall).isGreaterThanOrEqualTo(0.95);
        // Not 0.9 any more: the generator's irregular members really go quiet for more than a week
        // now and then (some for good); what a moderator gets is judged by the back-within-a-week test.
        assertThat(precision).isGreaterThanOrEqualTo(0.70);
    }

    /**
     * What a moderator sees: of the at-risk alerts they get, how many were for members who were back
     * within a week anyway. Judged from the generated input alone (every alert at least 7 days
     * before the end of the data), independently of the job's own view of the member.
     */
    @Test
    void shouldRarelyAlertAtRiskForMembersWhoAreBackWithinAWeek() {
        int judged = 0;
        int back = 0;
        List<String> shown = new ArrayList<>();
        for (JsonNode a : inData("MEMBER_AT_RISK")) {
            long ts = a.get("event_ts").asLong();
            if (ts + 7 * DAY > truth.endTs()) continue;
            judged++;
            Long next = activity.getOrDefault(key(a), new TreeSet<>()).higher(ts);
            if (next != null && next <= ts + 7 * DAY) {
                back++;
                if (shown.size() < 5) shown.add(key(a) + " " + a.get("evidence").path("summary").asText());
            }
        }
        double share = judged == 0 ? 0 : (double) back / judged;
        System.out.printf("MEMBER_AT_RISK back within 7 days: %d of %d judged alerts = %.3f (goal <= 0.20); e.g. %s%n", back, judged, share, shown);
        assertThat(judged).isGreaterThan(100);
        assertThat(share).isLessThanOrEqualTo(0.20);
    }

    @Test
    void shouldNameTheRhythmAndTheSilenceInEveryAtRiskAlert() {
        for (JsonNode a : inData("MEMBER_AT_RISK")) {
            JsonNode ev = a.get("evidence");
            String summary = ev.get("summary").asText();
            long before = activity.get(key(a)).lower(a.get("event_ts").asLong());
            String since = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
                    .format(java.time.Instant.ofEpochMilli(before).atZone(java.time.ZoneId.of("Asia/Shanghai")));
            assertThat(summary).as(a.toString()).contains("silent ", " since " + since + " Asia/Shanghai", "at risk after ");
            assertThat(ev.get("at_risk_after_days").asDouble()).isGreaterThanOrEqualTo(7.0)
                    .isGreaterThanOrEqualTo(3 * ev.get("p90_gap_days").asDouble() - 1e-5);
        }
    }

    /**
     * The rule re-done from the input: sessions (no break over 12 h), the quiet stretches between
     * the latest 16 of them in whole hours, their p90 by nearest rank; the alert comes exactly
     * max(7 d, 3 × p90) after the member's last activity (default options, see docs/SEMANTICS.md, Lifecycle).
     */
    @Test
    void shouldAlertExactlyWhenTheSilenceOutlastsThreeTimesTheMembersP90Gap() {
        List<JsonNode> atRisk = inData("MEMBER_AT_RISK");
        assertThat(atRisk).isNotEmpty();
        int wider = 0;
        for (JsonNode a : atRisk) {
            long ts = a.get("event_ts").asLong();
            List<Long> before = new ArrayList<>(activity.get(key(a)).headSet(ts, false));
            List<Integer> gaps = new ArrayList<>();
            for (int i = 1; i < before.size(); i++) {
                long quiet = before.get(i) - before.get(i - 1);
                if (quiet > 12 * 3_600_000L) gaps.add((int) (quiet / 3_600_000L));
            }
            List<Integer> recent = new ArrayList<>(gaps.subList(Math.max(0, gaps.size() - 16), gaps.size()));
            java.util.Collections.sort(recent);
            long p90 = recent.isEmpty() ? 0 : recent.get((int) Math.ceil(0.9 * recent.size()) - 1) * 3_600_000L;
            long after = Math.min(30 * DAY, Math.max(7 * DAY, 3 * p90));
            if (after > 7 * DAY) wider++;
            assertThat(ts - before.get(before.size() - 1)).as(a.toString()).isEqualTo(after);
        }
        System.out.printf("MEMBER_AT_RISK: %d of %d alerts waited beyond 7 days for a slower rhythm%n", wider, atRisk.size());
    }

    @Test
    void shouldJustifyEveryAtRiskAlertByTheInput() {
        for (JsonNode a : inData("MEMBER_AT_RISK")) {
            long ts = a.get("event_ts").asLong();
            Long before = activity.get(key(a)).lower(ts);
            assertThat(before).as(a.toString()).isNotNull();
            assertThat(ts - before).as(a.toString()).isGreaterThanOrEqualTo(7 * DAY);
            assertThat(a.get("evidence").get("last_active_ts").asLong()).isEqualTo(before);
            assertThat(a.get("evidence").get("valuable_because")).isNotEmpty();
        }
    }

    @Test
    void shouldNeverFlagWeeklyMembersWhenTheirRhythmHolds() {
        Set<String> weekly = truth.weeklyMembers().stream().map(w -> w.communityId() + "/" + w.userId()).collect(Collectors.toSet());
        assertThat(weekly).hasSizeGreaterThan(50);
        assertThat(alerts).filteredOn(a -> a.get("type").asText().startsWith("MEMBER_") && weekly.contains(key(a)) && a.get("event_ts").asLong() < truth.endTs()).isEmpty();
        var ids = com.communitypulse.testutils.TestKeys.pseudonymizer();
        Set<String> weeklyPseudonyms = truth.weeklyMembers().stream().map(w -> w.communityId() + "/" + ids.pseudonym(w.userId())).collect(Collectors.toSet());
        assertThat(lifecycle).extracting(r -> r.get("key_id").asText()).containsOnly(com.communitypulse.testutils.TestKeys.KEY_ID);
        // Positive control: the pseudonyms computed here are the ones the job wrote (else the next check would pass vacuously).
        assertThat(lifecycle).filteredOn(r -> weeklyPseudonyms.contains(r.get("community_id").asText() + "/" + r.get("user_id").asText())).isNotEmpty();
        assertThat(lifecycle).filteredOn(r -> weeklyPseudonyms.contains(r.get("community_id").asText() + "/" + r.get("user_id").asText())
                && r.get("event_ts").asLong() < truth.endTs() && r.get("to").asText().matches("at_risk|churned")).isEmpty();
    }

    @Test
    void shouldDetectEveryPlantedChurnSpikeOnceWhenMembersLeaveTogether() {
        List<JsonNode> spikes = inData("CHURN_SPIKE");
        System.out.printf("CHURN_SPIKE: planted %d, alerts in data %s%n", truth.churnSpikes().size(),
                spikes.stream().map(s -> s.get("community_id").asText() + "/" + s.get("state").asText() + "@" + s.get("event_ts")).toList());
        assertThat(truth.churnSpikes()).isNotEmpty();
        for (GroundTruth.ChurnSpike s : truth.churnSpikes()) {
            List<JsonNode> firing = spikes.stream().filter(a -> a.get("community_id").asText().equals(s.communityId())
                    && a.get("state").asText().equals("firing") && a.get("event_ts").asLong() > s.startTs()
                    && a.get("event_ts").asLong() <= s.endTs() + 2 * 3_600_000L).toList();
            assertThat(firing).as("spike in " + s.communityId()).hasSize(1);
        }
    }

    @Test
    void shouldGiveIdenticalAlertsWhenReplayed() {
        org.junit.jupiter.api.Assumptions.assumeTrue(REPLAY, "replay run off: -Dpulse.lifecycle.replay=true (CI replays in PipelineRecountITCase)");
        // Ids, types, states, members and times; evidence counts of replies received may differ (see PipelineRecountITCase#alerts).
        Map<String, String> first = new TreeMap<>();
        Map<String, String> second = new TreeMap<>();
        for (JsonNode a : alerts) first.put(a.get("alert_id").asText(), identity(a));
        for (JsonNode a : replayAlerts) second.put(a.get("alert_id").asText(), identity(a));
        assertThat(first).isNotEmpty().isEqualTo(second);
        assertThat(alerts).hasSameSizeAs(replayAlerts);
    }

    static String identity(JsonNode a) {
        return a.get("type").asText() + " " + a.path("state").asText() + " " + a.get("community_id").asText() + " " + a.path("user_id").asText()
                + " " + a.get("event_ts").asLong();
    }


    @Test
    void shouldMatchSchemasWhenRecordsAreReal() {
        assertThat(lifecycle).isNotEmpty();
        for (int i = 0; i < lifecycle.size(); i += Math.max(1, lifecycle.size() / 2000)) {
            assertThat(Schemas.validate("lifecycle", lifecycle.get(i).toString())).as(lifecycle.get(i).toString()).isEmpty();
        }
        for (JsonNode a : alerts) {
            if (a.get("type").asText().matches("MEMBER_.*|CHURN_SPIKE")) assertThat(Schemas.validate("alert", a.toString())).isEmpty();
        }
    }
}
